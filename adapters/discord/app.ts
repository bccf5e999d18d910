import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  TextInputStyle,
  ComponentType,
  type AutocompleteInteraction,
  type BaseMessageOptions,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type RateLimitData,
  type RepliableInteraction,
  type TextBasedChannel,
} from 'discord.js';
import { errorText, TaskTracker } from '../../src/frontend/kit.js';
import type { Logger } from 'pino';
import type { ActionPayload, ActionResult, Bot, InboundAction, InboundEvent } from '../../src/bot/bot.js';
import type { BotReply, DiagnosticOffer } from '../../src/bot/diagnostics.js';
import {
  networkCause,
  PlatformError,
  type ConnectionState,
  type Outbound,
} from '../../src/frontend/frontend.js';
import type { Principal } from '../../src/policy/policy.js';
import type { RunChoices } from '../../src/bot/run-choices.js';
import { isTextFile, readCapped, withFiles } from '../../src/frontend/files.js';
import { COMMAND } from './commands.js';
import { DiscordSender, discordFailure, toOptions } from './deliver.js';
import { outboundFor, type Outbox } from '../../src/delivery/outbox.js';
import { discordRestAgent } from './http.js';
import { clip } from '../../src/frontend/overflow.js';
import { WORDS } from '../../src/reply/words.js';
import type { DiscordConfig, DiscordEnv } from './config.js';
import {
  BUTTON,
  NO_PINGS,
  customId,
  echo,
  parseCustomId,
  renderDiscord,
  type DiscordMessage,
} from './render.js';

export const PLATFORM = 'discord';

export interface DiscordAppOptions {
  bot: Bot;
  settings: DiscordConfig;
  env: DiscordEnv;
  log: Logger;
  /** Whether passive listening is configured (the MessageContent intent is asked for only then). */
  passive: boolean;
  /** Autocomplete of `/run`: catalog ids and the hosts the user may use. */
  choices?: RunChoices;
  /** Where the proxy variables are read (`HTTPS_PROXY`, `NO_PROXY`); the process environment if unset. */
  proxyEnv?: NodeJS.ProcessEnv;
  /** The gateway connection after start (lost, back, or closed for good), for readiness. */
  onConnection?: (state: ConnectionState) => void;
  /** How long to wait for READY and the guilds before giving up. */
  readyTimeoutMs?: number;
  /** `match.maxPasteBytes`: how much of an attached file is read. */
  maxPasteBytes: number;
  /** Whether the policy names roles: then each member's guild roles (ids and names) go to it. */
  memberRoles?: boolean;
  /** Where answers to messages go: written ahead, sent with a nonce, retried until Discord takes them. */
  outbox: Outbox;
}

/**
 * A member's guild roles for the policy, by id and by name (not @everyone). In a guild, a missing member
 * is a failed lookup, which the policy denies; a DM has no roles.
 */
function memberRoles(
  guild: { id: string; roles: { cache: { get(id: string): { name: string } | undefined } } } | null,
  member: { roles: string[] | { cache: { keys(): Iterable<string> } } } | null | undefined,
  inGuild: boolean,
): { roles?: string[]; rolesError?: string } {
  if (!inGuild) return {};
  if (!member) return { rolesError: 'Discord sent no member with the event' };
  const ids = (Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()]).filter(
    (id) => id !== guild?.id,
  );
  const names = ids.flatMap((id) => {
    const n = guild?.roles.cache.get(id)?.name;
    return n ? [n] : [];
  });
  return { roles: [...ids, ...names] };
}

/** The fields of a discord.js attachment that reading it needs. */
interface FileRef {
  id: string;
  name: string;
  url: string;
  contentType: string | null;
}

export interface DiscordRunning {
  client: Client;
  outbound: Outbound;
  stop(): Promise<void>;
}

/** The intents used, and no more: MessageContent only when passive listening needs it. */
export function intentsFor(settings: DiscordConfig, passive: boolean): GatewayIntentBits[] {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  const content = settings.messageContent === 'always' || (settings.messageContent === 'auto' && passive);
  if (content) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

/** The channel the policy sees: a thread counts as its parent channel. */
function policyChannel(channel: TextBasedChannel | null, fallback: string): string {
  if (channel && channel.isThread()) return channel.parentId ?? channel.id;
  return channel?.id ?? fallback;
}

/** The conversation a message belongs to: its thread, its DM channel, or the thread it would start. */
function conversationOf(message: Message): string {
  if (!message.inGuild()) return message.channelId;
  if (message.channel.isThread()) return message.channelId;
  return message.id;
}

/** Removes mentions of the bot (`<@id>`, `<@!id>`, and `<@&id>` of its managed role). */
export function stripMention(
  text: string,
  botId: string | undefined,
  roleIds: readonly string[] = [],
): string {
  let t = text;
  if (botId) t = t.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ');
  for (const r of roleIds) if (/^\d+$/.test(r)) t = t.replace(new RegExp(`<@&${r}>`, 'g'), ' ');
  return t.trim();
}

/** "Interaction has already been acknowledged": an earlier attempt (answered with a 5xx) went through. */
const ALREADY_ACKNOWLEDGED = 40060;

/**
 * Acknowledges an interaction. When discord.js retried an acknowledgement that answered 5xx and Discord then
 * says it was acknowledged already, the first attempt went through: the reply continues as a follow-up
 * instead of failing.
 */
async function acknowledged(i: RepliableInteraction, ack: () => Promise<unknown>): Promise<void> {
  try {
    await ack();
  } catch (err) {
    if ((err as { code?: unknown }).code !== ALREADY_ACKNOWLEDGED) throw err;
    i.deferred = true;
  }
}

/** Gateway close codes retrying cannot fix, and what the operator should do. */
const FATAL_CLOSE: Record<number, string> = {
  4004: 'the gateway refused the token (4004: authentication failed); check DISCORD_TOKEN (reset tokens stop working)',
  4013: 'the gateway refused the intents (4013: invalid intents)',
  4014: 'the gateway refused a privileged intent (4014: disallowed intents); enable the Message Content intent in the Developer Portal, or set discord.messageContent: never',
};

const CLOSE_MESSAGES: Record<string, number> = {
  'Authentication failed': 4004,
  'Used invalid intents': 4013,
  'Used disallowed intents': 4014,
};

/** One line for an operator: what Discord said and whether retrying can help. */
export function discordStartError(err: unknown): PlatformError {
  if (err instanceof PlatformError) return err;
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  // @discordjs/ws rejects the login with these messages for the close codes it cannot recover from.
  const closed = typeof e?.message === 'string' ? CLOSE_MESSAGES[e.message] : undefined;
  if (closed !== undefined && FATAL_CLOSE[closed])
    return new PlatformError(PLATFORM, FATAL_CLOSE[closed], true);
  if (e?.code === 'TokenInvalid' || e?.status === 401)
    return new PlatformError(PLATFORM, 'the token was refused (401 Unauthorized); check DISCORD_TOKEN', true);
  const net = networkCause(err);
  if (net) return new PlatformError(PLATFORM, `cannot reach Discord (${net})`, false);
  if (typeof e?.status === 'number' && e.status >= 500)
    return new PlatformError(PLATFORM, `Discord answered ${e.status}`, false);
  return new PlatformError(PLATFORM, errorText(err), true);
}

/** Connects the client, registers every listener, and resolves once READY and the guilds arrived. */
export async function startDiscordApp(o: DiscordAppOptions): Promise<DiscordRunning> {
  const log = o.log;
  const maxWaitMs = o.settings.maxRetryAfterSeconds * 1000;
  const client = new Client({
    intents: intentsFor(o.settings, o.passive),
    // DM channels are not cached; without this partial, direct messages never arrive.
    partials: [Partials.Channel],
    allowedMentions: NO_PINGS,
    rest: {
      ...(o.settings.apiUrl ? { api: o.settings.apiUrl.replace(/\/+$/, '') } : {}),
      retries: o.settings.restRetries,
      timeout: o.settings.restTimeoutMs,
      // A rate limit longer than the configured wait fails the call (and the delivery is logged);
      // shorter ones are waited for by discord.js, per route bucket.
      rejectOnRateLimit: (data: RateLimitData) => data.retryAfter > maxWaitMs,
      agent: discordRestAgent(o.proxyEnv ?? process.env),
    },
  });

  const tasks = new TaskTracker(log, 'discord');
  const sender = new DiscordSender(client, o.settings, log);
  o.outbox.register(sender);
  /** Slow work runs after the acknowledgement; errors are logged and the bot keeps serving. */
  const later = tasks.later.bind(tasks);

  /** One delivery; a failure is logged with what was not delivered, and the caller carries on. */
  /** One error line for an answer Discord did not take, with what it would have said. */
  const undelivered = (
    what: string,
    where: Record<string, unknown>,
    msg: DiscordMessage | undefined,
    err: unknown,
  ): void =>
    log.error(
      {
        what,
        ...where,
        error: errorText(err),
        ...(msg
          ? {
              undelivered: {
                content: msg.content,
                embeds: msg.embeds.map((e) => e.title ?? e.description?.slice(0, 80)),
                files: msg.files.map((f) => f.name),
              },
            }
          : {}),
      },
      'discord reply not delivered',
    );

  const deliver = async (
    what: string,
    where: Record<string, unknown>,
    msg: DiscordMessage | undefined,
    fn: () => Promise<unknown>,
  ): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (err) {
      undelivered(what, where, msg, err);
      return false;
    }
  };

  client.rest.on('rateLimited', (info) =>
    log.warn(
      {
        route: info.route,
        method: info.method,
        retryAfterMs: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'discord rate limit',
    ),
  );
  client.on(Events.Error, (err) => log.error({ error: errorText(err) }, 'discord client error'));
  client.on(Events.Warn, (msg) => log.warn({ msg }, 'discord warning'));
  client.on(Events.ShardDisconnect, (ev, shard) =>
    log.warn({ shard, code: ev.code }, 'discord gateway disconnected'),
  );
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, 'discord gateway reconnecting'));
  client.on(Events.ShardResume, (shard, replayed) =>
    log.info({ shard, replayed }, 'discord gateway session resumed'),
  );
  client.on(Events.ShardReady, (shard) => log.info({ shard }, 'discord gateway session ready'));
  client.on(Events.ShardError, (err, shard) =>
    log.error({ shard, error: errorText(err) }, 'discord gateway error'),
  );

  /** Text attachments (`message.txt` of a long paste, uploaded logs), each read up to the paste cap. */
  const readFiles = async (files: Iterable<FileRef>): Promise<string[]> => {
    const out: string[] = [];
    for (const f of files) {
      if (!isTextFile({ name: f.name, mimetype: f.contentType })) continue;
      try {
        out.push(await readCapped(await fetch(f.url), o.maxPasteBytes));
      } catch (err) {
        log.warn({ attachment: f.id, name: f.name, error: errorText(err) }, 'could not read an attachment');
      }
    }
    return out;
  };

  const converse = async (
    ev: InboundEvent,
    files: FileRef[] = [],
    early?: (reply: BotReply) => Promise<void>,
  ) =>
    o.bot.receive(
      files.length ? { ...ev, text: withFiles(ev.text, await readFiles(files)) } : ev,
      early ? { early } : {},
    );

  // ---- messages: mentions, DMs, passive listening ---------------------------------------------------
  client.on(Events.MessageCreate, (message) => {
    const me = client.user?.id;
    if (!me || message.author.id === me || message.system) return;
    const dm = !message.inGuild();
    // Typing @faultline often picks the bot's managed role (<@&id>) rather than its user: both count.
    const botRoles = message.inGuild()
      ? message.mentions.roles.filter((r) => r.tags?.botId === me).map((r) => r.id)
      : [];
    const mentioned = message.mentions.users.has(me) || botRoles.length > 0;
    const thread = conversationOf(message);
    const fromBot = message.author.bot || Boolean(message.webhookId);
    // Integrations (Alertmanager, Sentry, Datadog) put their text in embeds.
    const embedText = fromBot
      ? message.embeds.flatMap((e) => [
          e.title,
          e.description,
          ...e.fields.map((f) => `${f.name}: ${f.value}`),
          e.footer?.text,
        ])
      : [];
    const ev: InboundEvent = {
      platform: PLATFORM,
      eventId: message.id,
      user: message.author.id,
      channel: policyChannel(message.channel, message.channelId),
      thread,
      text:
        dm || mentioned
          ? stripMention(message.content, me, botRoles)
          : withFiles(
              message.content,
              embedText.filter((t): t is string => Boolean(t)),
            ),
      trigger: dm ? 'dm' : mentioned ? 'mention' : 'passive',
      fromBot,
      ...(o.memberRoles ? memberRoles(message.guild, message.member, message.inGuild()) : {}),
      ...(fromBot
        ? {
            botIds: [message.author.id, message.applicationId, message.webhookId].filter((x): x is string =>
              Boolean(x),
            ),
          }
        : {}),
    };
    const files = [...message.attachments.values()];
    later('message', { channel: message.channelId, message: message.id, trigger: ev.trigger }, async () => {
      const post = async (replies: BotReply[], id: string) => {
        if (!replies.length) return;
        sender.nameFrom(thread, ev.text);
        const outcome = await o.outbox.post({
          platform: PLATFORM,
          id,
          to: { channel: message.channelId, thread, replyTo: message.id },
          replies,
        });
        log.info(
          {
            channel: message.channelId,
            message: message.id,
            replies: replies.length,
            delivery: outcome.state,
          },
          'discord reply',
        );
      };
      // A fan-out's hosts are posted as each finishes, each under its own delivery key.
      let part = 0;
      const early = (r: BotReply) => post([r], `${message.id}:${++part}`);
      const replies = await converse(ev, files, early);
      log.debug(
        { trigger: ev.trigger, channel: ev.channel, message: message.id, replies: replies.length },
        'discord message handled',
      );
      await post(replies, message.id);
    });
  });

  const sendAll = async (
    where: Record<string, unknown>,
    thread: string,
    replies: BotReply[],
    send: (opts: BaseMessageOptions, index: number) => Promise<unknown>,
  ) => {
    let i = 0;
    for (const r of replies) {
      const msg = renderDiscord(r, thread);
      const ok = await deliver('send', where, msg, () => send(toOptions(msg), i));
      log.info({ ...where, kind: r.kind, delivered: ok }, 'discord reply');
      i++;
    }
  };

  const outbound: Outbound = outboundFor(o.outbox, PLATFORM);

  // ---- interactions ----------------------------------------------------------------------------------
  const who = (i: Interaction): Principal & { channel: string; roles?: string[] } => ({
    platform: PLATFORM,
    user: i.user.id,
    channel: policyChannel(i.channel, i.channelId ?? ''),
    ...(o.memberRoles ? memberRoles(i.guild, i.member, i.inGuild()) : {}),
  });

  /**
   * The first reply edits the deferred response, the rest follow up. When Discord does not take one for a
   * reason that can heal (an outage of its webhooks, after discord.js's own retries), the rest go to the
   * outbox and are posted in the channel, where any replica retries them; their buttons keep this
   * conversation. A hidden (ephemeral) answer is never moved into the channel.
   */
  const answer = async (i: RepliableInteraction, thread: string, replies: BotReply[]) => {
    const where = { interaction: i.id, channel: i.channelId };
    if (!replies.length) {
      await deliver('editReply', where, undefined, () => i.editReply({ content: 'Nothing to show.' }));
      return;
    }
    for (let n = 0; n < replies.length; n++) {
      const msg = renderDiscord(replies[n]!, thread);
      try {
        const opts = toOptions(msg);
        await (n === 0 ? i.editReply(opts) : i.followUp({ ...opts, allowedMentions: NO_PINGS }));
        log.info({ ...where, kind: replies[n]!.kind, delivered: true }, 'discord reply');
      } catch (err) {
        if (discordFailure(err).failure === 'drop' || i.ephemeral || !i.channelId) {
          undelivered('send', where, msg, err);
          continue;
        }
        await toChannel(i, thread, replies.slice(n), err);
        return;
      }
    }
  };

  /** A command Discord took but could not answer (or acknowledge): its answer, posted in the channel. */
  const toChannel = async (i: RepliableInteraction, thread: string, replies: BotReply[], err: unknown) => {
    const outcome = await o.outbox.post({
      platform: PLATFORM,
      id: `${i.id}:channel`,
      to: { channel: i.channelId ?? '', conversation: thread },
      replies,
    });
    log.warn(
      { interaction: i.id, channel: i.channelId, error: errorText(err), delivery: outcome.state },
      'discord interaction answer moved to the channel through the outbox',
    );
  };

  const ephemeral = async (i: RepliableInteraction, text: string) => {
    const opts = { content: echo(text).slice(0, 2000), allowedMentions: NO_PINGS };
    await deliver('ephemeral', { interaction: i.id }, undefined, () =>
      i.deferred || i.replied
        ? i.followUp({ ...opts, flags: MessageFlags.Ephemeral })
        : i.reply({ ...opts, flags: MessageFlags.Ephemeral }),
    );
  };

  /** Undefined once acknowledged; 'drop' when retrying cannot help (logged); else the failure that can heal. */
  const deferOrWhy = async (i: RepliableInteraction): Promise<undefined | 'drop' | Error> => {
    try {
      await acknowledged(i, () => i.deferReply({}));
      return undefined;
    } catch (err) {
      if (discordFailure(err).failure !== 'drop' && i.channelId) return err as Error;
      undelivered('deferReply', { interaction: i.id, channel: i.channelId }, undefined, err);
      return 'drop';
    }
  };

  const defer = async (i: RepliableInteraction, hidden = false): Promise<boolean> =>
    deliver('deferReply', { interaction: i.id, channel: i.channelId }, undefined, () =>
      acknowledged(i, () => i.deferReply(hidden ? { flags: MessageFlags.Ephemeral } : {})),
    );

  /** Acknowledge at once (Discord allows 3 s), then run the conversation and answer in the response. */
  const converseLater = async (
    i: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
    what: string,
    context: Record<string, unknown>,
    thread: string,
    text: string,
    trigger: 'command' | 'action',
    files: FileRef[] = [],
  ) => {
    // Not acknowledged in time (Discord down): the person sees "did not respond", and the answer still
    // comes, in the channel, once Discord takes it.
    const unacknowledged = await deferOrWhy(i);
    if (unacknowledged === 'drop') return;
    later(what, { interaction: i.id, ...context }, async () => {
      const replies = await converse(
        {
          ...who(i),
          eventId: i.id,
          thread,
          text,
          trigger,
        },
        files,
      );
      if (unacknowledged && replies.length) await toChannel(i, thread, replies, unacknowledged);
      else if (!unacknowledged) await answer(i, thread, replies);
    });
  };

  /** `/explain text:` holds 6,000 characters; `file:` takes a whole log, read up to the paste cap. */
  const onExplain = async (i: ChatInputCommandInteraction) => {
    const text = i.options.getString('text') ?? '';
    const file = i.options.getAttachment('file');
    if (!text.trim() && !file) {
      await ephemeral(i, 'Give the error as `text:` or attach it as `file:`.');
      return;
    }
    await converseLater(i, 'explain', {}, i.id, text, 'command', file ? [file] : []);
  };

  const onRun = async (i: ChatInputCommandInteraction) => {
    const diagnostic = i.options.getString('diagnostic', true).trim();
    const host = i.options.getString('host', true).trim();
    const params = (i.options.getString('params') ?? '').trim();
    if (!diagnostic || !host || /\s/.test(diagnostic) || /\s/.test(host)) {
      await ephemeral(i, 'The diagnostic and the host are single words (pick them from the suggestions).');
      return;
    }
    const text = `run ${diagnostic} on ${host}${params ? ` ${params}` : ''}`;
    await converseLater(i, 'run', { diagnostic, host }, i.id, text, 'command');
  };

  const onExplainMessage = async (i: MessageContextMenuCommandInteraction) => {
    const target = i.targetMessage;
    const text = target.content;
    const files = [...target.attachments.values()].filter((f) =>
      isTextFile({ name: f.name, mimetype: f.contentType }),
    );
    if (!text.trim() && !files.length) {
      await ephemeral(
        i,
        'That message has no text I can read (embeds are not read; paste the error with /explain).',
      );
      return;
    }
    await converseLater(
      i,
      'explain message',
      { message: target.id },
      conversationOf(target),
      text,
      'action',
      files,
    );
  };

  /** `/fits guide:` answers "which guide fits?" for the thread it is used in (a thread or a DM). */
  const onFits = async (i: ChatInputCommandInteraction) => {
    const picked = i.options.getString('guide', true).trim();
    const action: InboundAction = {
      ...who(i),
      eventId: i.id,
      thread: i.channelId,
      kind: 'correct',
      ...(picked.toLowerCase() === 'none' ? {} : { guideId: picked }),
    };
    const res = await o.bot.act(action);
    for (const note of res.privately) await ephemeral(i, note);
  };

  const onAutocomplete = async (i: AutocompleteInteraction) => {
    const focused = i.options.getFocused(true);
    const typed = String(focused.value).toLowerCase();
    let names: { name: string; value: string }[] = [];
    if (i.commandName === COMMAND.fits) {
      names = [
        ...o.bot
          .searchGuides(typed, 24)
          .map((g) => ({ name: clip(`${g.title} (${g.id})`, 100), value: g.id })),
        { name: WORDS.noneOfThese, value: 'none' },
      ];
      await deliver('autocomplete', { interaction: i.id }, undefined, () => i.respond(names.slice(0, 25)));
      return;
    }
    try {
      const all = (await o.choices?.runChoices(who(i))) ?? [];
      if (focused.name === 'diagnostic') {
        names = all
          .filter((c) => c.catalogId.includes(typed))
          .map((c) => ({ name: `${c.catalogId}: ${c.description}`.slice(0, 100), value: c.catalogId }));
      } else if (focused.name === 'host') {
        const picked = (i.options.getString('diagnostic') ?? '').trim();
        const hosts = new Set<string>();
        for (const c of all) if (!picked || c.catalogId === picked) for (const h of c.hosts) hosts.add(h);
        names = [...hosts]
          .filter((h) => h.toLowerCase().includes(typed))
          .map((h) => ({ name: h.slice(0, 100), value: h.slice(0, 100) }));
      }
    } catch (err) {
      log.error({ interaction: i.id, error: errorText(err) }, 'autocomplete failed');
    }
    await deliver('autocomplete', { interaction: i.id }, undefined, () => i.respond(names.slice(0, 25)));
  };

  const runForm = (offer: DiagnosticOffer, thread: string) => {
    const id = customId(BUTTON.modal, thread, offer.catalogId);
    if (!id || offer.params.length > 4) return undefined;
    const first = offer.hosts.length === 1 ? offer.hosts[0] : undefined;
    return {
      custom_id: id,
      title: `Run ${offer.catalogId}`.slice(0, 45),
      components: [
        {
          type: ComponentType.ActionRow as const,
          components: [
            {
              type: ComponentType.TextInput as const,
              custom_id: 'host',
              label: 'Host',
              style: TextInputStyle.Short,
              required: true,
              max_length: 200,
              placeholder: offer.hosts.join(', ').slice(0, 100),
              ...(first ? { value: first } : {}),
            },
          ],
        },
        ...offer.params.map((p) => ({
          type: ComponentType.ActionRow as const,
          components: [
            {
              type: ComponentType.TextInput as const,
              custom_id: `p:${p.name}`.slice(0, 100),
              label: p.name.slice(0, 45),
              style: TextInputStyle.Short,
              required: true,
              max_length: 1000,
              ...(p.choices?.length ? { placeholder: p.choices.join(', ').slice(0, 100) } : {}),
              ...(p.suggested !== undefined ? { value: p.suggested } : {}),
            },
          ],
        })),
      ],
    };
  };

  /** Delivers what the core decided about an action, keeping Discord's order of responses. */
  const respond = async (
    i: ButtonInteraction | ModalSubmitInteraction,
    thread: string,
    res: ActionResult,
  ) => {
    if (res.form) {
      const modal = runForm(res.form, thread);
      if (!modal) {
        await ephemeral(
          i,
          `Use \`/run diagnostic:${res.form.catalogId} host:<host> params:name=value ...\` (this one takes more parameters than a form holds).`,
        );
        return;
      }
      // A modal must be the first response, within 3 seconds: it is not deferred.
      if (i.isButton())
        await deliver('showModal', { interaction: i.id }, undefined, () => i.showModal(modal));
      return;
    }
    if (res.then) {
      const next = res.then;
      if (!(await defer(i))) return;
      later(next.kind, { interaction: i.id }, async () => respond(i, thread, await o.bot.act(next)));
      return;
    }
    if (res.update) {
      const { content } = renderDiscord(res.update, thread);
      await deliver('update message', { interaction: i.id }, undefined, () =>
        i.editReply({ content, components: [], allowedMentions: NO_PINGS }),
      );
    }
    if (res.to)
      await sendAll({ interaction: i.id, channel: i.channelId }, res.to.thread, res.replies, (opts) =>
        i.followUp({ ...opts, allowedMentions: NO_PINGS }),
      );
    else if (res.replies.length) await answer(i, thread, res.replies);
    for (const note of res.privately) await ephemeral(i, note);
  };

  const buttonPayload = (kind: string, a: string, b: string): ActionPayload | undefined => {
    switch (kind) {
      case BUTTON.next:
        return { kind: 'next' };
      case BUTTON.mute:
        return { kind: 'mute' };
      case BUTTON.helpful:
      case BUTTON.wrong:
        return { kind: 'feedback', guideId: a, verdict: kind === BUTTON.helpful ? 'helpful' : 'wrong' };
      case BUTTON.run:
        return { kind: 'run', guideId: a, catalogId: b };
      case BUTTON.correct:
        return { kind: 'correct', ...(a ? { guideId: a } : {}) };
      case BUTTON.choose:
        return { kind: 'choose' };
      case BUTTON.approve:
        return { kind: 'approve', requestId: a };
      case BUTTON.reject:
        return { kind: 'reject', requestId: a };
      default:
        return undefined;
    }
  };

  const onButton = async (i: ButtonInteraction) => {
    const { kind, parts } = parseCustomId(i.customId);
    const [thread = '', a = '', b = ''] = parts;
    if (!thread) return;
    const payload = buttonPayload(kind, a, b);
    if (!payload) {
      log.warn({ customId: i.customId }, 'unknown button');
      return;
    }
    const requester = who(i);
    const action: InboundAction = {
      ...requester,
      eventId: i.id,
      thread,
      ...payload,
    };
    // Quick answers (a form, a private note, a run to acknowledge) respond directly; the rest defer first.
    // "Wrong guide" answers with a question in the thread (deferred below); the other verdicts privately.
    if (
      payload.kind === 'run' ||
      payload.kind === 'mute' ||
      payload.kind === 'correct' ||
      (payload.kind === 'feedback' && payload.verdict === 'helpful')
    ) {
      await respond(i, thread, await o.bot.act(action));
      return;
    }
    const decision = payload.kind === 'approve' || payload.kind === 'reject';
    const acked = decision
      ? await deliver('deferUpdate', { interaction: i.id }, undefined, () =>
          acknowledged(i, () => i.deferUpdate()),
        )
      : await defer(i);
    if (!acked) return;
    later(payload.kind, { interaction: i.id }, async () => respond(i, thread, await o.bot.act(action)));
  };

  const onModal = async (i: ModalSubmitInteraction) => {
    const { kind, parts } = parseCustomId(i.customId);
    const [thread = '', catalogId = ''] = parts;
    if (kind !== BUTTON.modal || !thread || !catalogId) return;
    const host = i.fields.getTextInputValue('host').trim();
    const params: Record<string, string> = {};
    for (const [fieldId, field] of i.fields.fields) {
      if (fieldId.startsWith('p:') && 'value' in field && typeof field.value === 'string')
        params[fieldId.slice(2)] = field.value;
    }
    const requester = who(i);
    if (!(await defer(i))) return;
    const action: InboundAction = {
      kind: 'form-submit',
      ...requester,
      eventId: i.id,
      thread,
      catalogId,
      host,
      params,
    };
    later('run (form)', { interaction: i.id, catalogId }, async () =>
      respond(i, thread, await o.bot.act(action)),
    );
  };

  client.on(Events.InteractionCreate, (i) => {
    const handle = async () => {
      if (i.isAutocomplete()) return onAutocomplete(i);
      if (i.isChatInputCommand()) {
        if (i.commandName === COMMAND.explain) return onExplain(i);
        if (i.commandName === COMMAND.run) return onRun(i);
        if (i.commandName === COMMAND.fits) return onFits(i);
      }
      if (i.isMessageContextMenuCommand() && i.commandName === COMMAND.explainMessage)
        return onExplainMessage(i);
      if (i.isButton()) return onButton(i);
      if (i.isModalSubmit()) return onModal(i);
      log.warn({ type: i.type, interaction: i.id }, 'unhandled interaction');
    };
    later('interaction', { interaction: i.id, type: i.type }, handle);
  });

  let started = false;
  const ready = new Promise<void>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new PlatformError(PLATFORM, 'the gateway did not become ready in time', false)),
      o.readyTimeoutMs ?? 60_000,
    );
    client.once(Events.ClientReady, () => {
      clearTimeout(t);
      resolve();
    });
    client.on(Events.ShardDisconnect, (ev) => {
      const why = FATAL_CLOSE[ev.code];
      if (!why) return;
      clearTimeout(t);
      if (started) o.onConnection?.({ up: false, reason: why, fatal: true });
      else reject(new PlatformError(PLATFORM, why, true));
    });
  });
  try {
    await client.login(o.env.token);
    await ready;
  } catch (err) {
    await client.destroy();
    throw discordStartError(err);
  }
  started = true;
  if (o.onConnection) {
    const report = o.onConnection;
    client.on(Events.ShardReconnecting, () =>
      report({ up: false, reason: 'gateway connection lost, reconnecting' }),
    );
    client.on(Events.ShardResume, () => report({ up: true }));
    client.on(Events.ShardReady, () => report({ up: true }));
  }
  log.info({ user: client.user?.id, guilds: client.guilds.cache.size }, 'discord front end started');
  return {
    client,
    outbound,
    async stop() {
      // Finish replies and diagnostic runs already under way, then disconnect.
      await tasks.drain();
      await client.destroy();
      log.info('discord front end stopped');
    },
  };
}
