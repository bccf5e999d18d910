import { randomUUID } from 'node:crypto';
import {
  App,
  LogLevel,
  SocketModeReceiver,
  webApi,
  type BlockAction,
  type ButtonAction,
  type ExternalSelectAction,
  type MessageShortcut,
  type SlackActionMiddlewareArgs,
  type types,
} from '@slack/bolt';
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
import {
  ACTION,
  buttonValue,
  echo,
  LIMITS,
  parseValue,
  renderSlack,
  slackText,
  SEARCH_BLOCK,
  type ButtonPayload,
} from './blocks.js';
import { clip } from '../../src/frontend/overflow.js';
import type { SlackConfig, SlackEnv } from './config.js';
import {
  Delivery,
  parseThreadKey,
  SlackSender,
  slackFailure,
  threadKey,
  REPLY_EVENT_TYPE,
  type Target,
} from './deliver.js';
import { outboundFor, outboxKey, replyKey, type Outbox } from '../../src/delivery/outbox.js';
import { boltLogger } from './logger.js';
import { isTextFile, readCapped, withFiles } from '../../src/frontend/files.js';
import { VerifiedHttpReceiver } from './receiver.js';
import { SlackUserGroups } from './roles.js';

type BoltApp = App;

export const PLATFORM = 'slack';
export const COMMAND = '/faultline';
export const SHORTCUT = 'explain_error';
export const MODAL = 'fl_run_modal';

export const SLASH_HELP = [
  '*faultline* explains pasted errors and runs whitelisted diagnostics.',
  '• `/faultline explain <error text>`: find the guide for an error',
  '• `/faultline run <diagnostic> on <host> [name=value ...]`: run a diagnostic (policy decides; some need a second person)',
  '• `/faultline help`: this text',
  'You can also mention me with a paste, send me a direct message, or use the message shortcut *Explain this error* on any message.',
  'Under an answer: *Not this one* shows the next guide; *Helpful* / *Wrong guide* rate it.',
].join('\n');

export interface SlackAppOptions {
  bot: Bot;
  settings: SlackConfig;
  env: SlackEnv;
  log: Logger;
  /** Socket Mode tuning, for tests (reconnect delay is `clientPingTimeout` × failures). */
  socket?: { clientPingTimeout?: number; serverPingTimeout?: number };
  /** For tests: how delivery waits between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** The Socket Mode connection after start (lost, back), for readiness. */
  onConnection?: (state: ConnectionState) => void;
  /** `match.maxPasteBytes`: how much of an uploaded file is read. */
  maxPasteBytes: number;
  /** Whether the policy names roles: then each person's user groups are looked up for it. */
  userGroups?: boolean;
  /** Where replies go: written ahead, sent, and retried until Slack takes them. */
  outbox: Outbox;
}

export interface SlackRunning {
  app: BoltApp;
  /** HTTP mode: the bound port. */
  port?: number;
  outbound: Outbound;
  stop(): Promise<void>;
}

export { parseThreadKey, threadKey } from './deliver.js';

interface MessageLike {
  type: string;
  subtype?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  channel: string;
  channel_type?: string;
  ts: string;
  thread_ts?: string;
  files?: SlackFile[];
  app_id?: string;
  bot_profile?: { app_id?: string };
  /** Integrations (Alertmanager, Sentry, Datadog) put their text here rather than in `text`. */
  attachments?: {
    pretext?: string;
    title?: string;
    text?: string;
    fallback?: string;
    fields?: { title?: string; value?: string }[];
    footer?: string;
  }[];
  blocks?: unknown[];
}

/** Every `text` string in Block Kit blocks (sections, fields, context, rich text), in order. */
function blockText(blocks: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else if (k !== 'accessory') walk(x);
      }
    }
  };
  walk(blocks);
  return out;
}

/** The text an integration's message carries in its attachments and blocks. */
function integrationText(m: MessageLike): string[] {
  const out: string[] = [];
  for (const a of m.attachments ?? []) {
    for (const t of [a.pretext, a.title, a.text ?? a.fallback]) if (t) out.push(t);
    for (const f of a.fields ?? []) if (f.value) out.push(f.title ? `${f.title}: ${f.value}` : f.value);
    if (a.footer) out.push(a.footer);
  }
  out.push(...blockText(m.blocks));
  // The message's own text is often a summary of the same: keep each line once.
  return [...new Set(out)].filter((t) => t !== m.text);
}

/** The fields of a Slack file object that reading it needs. */
interface SlackFile {
  id?: string;
  name?: string;
  title?: string;
  mimetype?: string;
  filetype?: string;
  /** `snippet` for a text snippet. */
  mode?: string;
  url_private?: string;
  url_private_download?: string;
}

/** Builds the Bolt app with every listener; `start` connects (Socket Mode) or listens (HTTP). */
export async function startSlackApp(o: SlackAppOptions): Promise<SlackRunning> {
  const log = o.log;
  const apiUrl = o.settings.apiUrl
    ? o.settings.apiUrl.endsWith('/')
      ? o.settings.apiUrl
      : `${o.settings.apiUrl}/`
    : undefined;
  const clientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    // We retry ourselves (bounded, per call): the SDK's default would pause every call for a 429.
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  };
  const logger = boltLogger(log.child({ component: 'bolt' }));
  // The bot's own ids, once: Bolt would otherwise call auth.test before EVERY event, so that during a Slack
  // API outage events arriving over Socket Mode would fail before the bot saw them (nothing to keep).
  let me: { botId?: string; botUserId?: string };
  try {
    const who = await new webApi.WebClient(o.env.botToken, { ...clientOptions, logger }).auth.test();
    me = {
      ...(who.bot_id ? { botId: who.bot_id } : {}),
      ...(who.user_id ? { botUserId: who.user_id } : {}),
    };
  } catch (err) {
    throw slackStartError(err, 'SLACK_BOT_TOKEN');
  }
  let receiver: VerifiedHttpReceiver | undefined;
  let socketReceiver: SocketModeReceiver | undefined;
  let app: BoltApp;
  if (o.settings.mode === 'http') {
    if (!o.env.signingSecret) throw new Error('Slack HTTP mode needs SLACK_SIGNING_SECRET');
    receiver = new VerifiedHttpReceiver({
      signingSecret: o.env.signingSecret,
      path: o.settings.path,
      port: o.settings.port,
      toleranceSeconds: o.settings.timestampToleranceSeconds,
      log,
    });
    app = new App({
      token: o.env.botToken,
      ...me,
      receiver,
      logger,
      logLevel: LogLevel.INFO,
      clientOptions,
      // Bolt's own check runs in its constructor and, when it fails, rejects where nothing can catch it
      // (an uncaught stack trace); auth.test below verifies the token instead, with an error we name.
      tokenVerificationEnabled: false,
    });
  } else {
    if (!o.env.appToken) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN');
    socketReceiver = new SocketModeReceiver({
      appToken: o.env.appToken,
      logger,
      logLevel: LogLevel.INFO,
      installerOptions: { clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}) } },
      ...(o.socket?.clientPingTimeout ? { clientPingTimeout: o.socket.clientPingTimeout } : {}),
      ...(o.socket?.serverPingTimeout ? { serverPingTimeout: o.socket.serverPingTimeout } : {}),
    });
    app = new App({
      token: o.env.botToken,
      ...me,
      receiver: socketReceiver,
      logger,
      logLevel: LogLevel.INFO,
      clientOptions,
      tokenVerificationEnabled: false,
    });
  }
  const delivery = new Delivery(app.client, log, {
    maxAttempts: o.settings.maxAttempts,
    maxRetryAfterSeconds: o.settings.maxRetryAfterSeconds,
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
  const tasks = new TaskTracker(log, 'slack');
  const groups = o.userGroups ? new SlackUserGroups(app.client) : undefined;
  /** The person's user groups for the policy, or the lookup's failure (which the policy denies). */
  const withRoles = async <T extends { user: string }>(x: T): Promise<T> =>
    groups && x.user ? { ...x, ...(await groups.rolesOf(x.user)) } : x;
  /** Slow work runs after the ack; errors are logged and the bot keeps serving. */
  const later = tasks.later.bind(tasks);

  const sender = new SlackSender(app.client, delivery);
  o.outbox.register(sender);

  /** Replies through the outbox; `id` (the event's, or the action's) is where the idempotency key comes from. */
  const post = async (target: Target, replies: BotReply[], id: string) => {
    if (!replies.length) return;
    const outcome = await o.outbox.post({
      platform: PLATFORM,
      id,
      to: {
        channel: target.channel,
        ...(target.threadTs ? { thread: threadKey(target.channel, target.threadTs) } : {}),
      },
      replies,
    });
    log.info(
      {
        channel: target.channel,
        thread_ts: target.threadTs,
        replies: replies.length,
        delivery: outcome.state,
      },
      'slack reply',
    );
  };

  /** Uploaded text files and snippets, fetched with the bot token, each read up to the paste cap. */
  const readFiles = async (files: SlackFile[] | undefined): Promise<string[]> => {
    const out: string[] = [];
    for (const f of files ?? []) {
      const url = f.url_private_download ?? f.url_private;
      const name = f.name ?? f.title ?? '';
      if (!url || !isTextFile({ name, mimetype: f.mimetype, snippet: f.mode === 'snippet' })) continue;
      try {
        const res = await fetch(url, { headers: { authorization: `Bearer ${o.env.botToken}` } });
        out.push(await readCapped(res, o.maxPasteBytes));
      } catch (err) {
        log.warn(
          { file: f.id, name, error: err instanceof Error ? err.message : String(err) },
          'could not read an uploaded file',
        );
      }
    }
    return out;
  };

  const outbound: Outbound = outboundFor(o.outbox, PLATFORM);

  const converse = async (
    ev: InboundEvent,
    target: Target,
    files?: SlackFile[],
    id = ev.eventId ?? randomUUID(),
  ) => {
    if (files?.length) ev = { ...ev, text: withFiles(ev.text, await readFiles(files)) };
    // A fan-out's hosts are posted in the thread as each finishes, each under its own delivery key.
    let part = 0;
    const early = (r: BotReply) => post(target, [r], `${id}:${++part}`);
    const replies = await o.bot.receive(await withRoles(ev), { early });
    log.debug(
      { eventId: ev.eventId, trigger: ev.trigger, channel: ev.channel, replies: replies.length },
      'slack event handled',
    );
    await post(target, replies, id);
  };

  app.error(async (err) => {
    log.error({ error: err.message, code: (err as { code?: string }).code }, 'bolt error');
  });

  app.event('app_mention', async ({ event, body, context }) => {
    const root = event.thread_ts ?? event.ts;
    const text = stripMention(event.text ?? '', context.botUserId);
    const ev: InboundEvent = {
      platform: PLATFORM,
      eventId: body.event_id,
      user: event.user ?? '',
      channel: event.channel,
      thread: threadKey(event.channel, root),
      text,
      trigger: 'mention',
      fromBot: Boolean(event.bot_id),
    };
    const files = (event as { files?: SlackFile[] }).files;
    later('app_mention', { event_id: body.event_id, channel: event.channel }, () =>
      converse(ev, { channel: event.channel, threadTs: root }, files),
    );
  });

  app.event('message', async ({ event, body, context }) => {
    const m = event as unknown as MessageLike;
    // Edits, deletions, joins and the like are not pastes.
    if (
      m.subtype &&
      m.subtype !== 'bot_message' &&
      m.subtype !== 'file_share' &&
      m.subtype !== 'thread_broadcast'
    )
      return;
    const fromBot = Boolean(m.bot_id) || m.subtype === 'bot_message';
    const fromSelf =
      (m.bot_id !== undefined && m.bot_id === context.botId) ||
      (m.user !== undefined && m.user === context.botUserId);
    const botIds = [m.bot_id, m.app_id, m.bot_profile?.app_id].filter((x): x is string => Boolean(x));
    const isDm = m.channel_type === 'im';
    // In channels, a message that mentions the bot arrives as app_mention too; that one answers.
    if (!isDm && context.botUserId && (m.text ?? '').includes(`<@${context.botUserId}>`)) return;
    const root = m.thread_ts ?? m.ts;
    const ev: InboundEvent = {
      platform: PLATFORM,
      eventId: body.event_id,
      user: m.user ?? '',
      channel: m.channel,
      thread: threadKey(m.channel, root),
      text: isDm
        ? stripMention(m.text ?? '', context.botUserId)
        : fromBot
          ? withFiles(m.text ?? '', integrationText(m))
          : (m.text ?? ''),
      trigger: isDm ? 'dm' : 'passive',
      fromBot,
      ...(fromBot ? { botIds } : {}),
      ...(fromSelf ? { fromSelf } : {}),
    };
    later('message', { event_id: body.event_id, channel: m.channel }, () =>
      converse(ev, { channel: m.channel, threadTs: root }, m.files),
    );
  });

  app.command(COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const text = command.text.trim();
    const word = (text.split(/\s+/)[0] ?? '').toLowerCase();
    const rest = text.slice(word.length).trim();
    const fields = { command: COMMAND, channel: command.channel_id, user: command.user_id };
    if (!text || word === 'help') {
      later('command help', fields, async () => {
        await respond({ response_type: 'ephemeral', text: SLASH_HELP });
      });
      return;
    }
    if (word !== 'explain' && word !== 'run') {
      later('command usage', fields, async () => {
        await respond({
          response_type: 'ephemeral',
          text: `Unknown subcommand "${echo(word.slice(0, 40))}".\n${SLASH_HELP}`,
        });
      });
      return;
    }
    later(`command ${word}`, fields, async () => {
      if (word === 'explain' && !rest) {
        await respond({ response_type: 'ephemeral', text: 'Usage: `/faultline explain <error text>`' });
        return;
      }
      // A visible message to thread the answer under, quoting (neutralised) what was asked.
      const header =
        word === 'explain'
          ? `<@${command.user_id}> asked to explain:\n${quote(slackText(rest))}`
          : `<@${command.user_id}> asked: \`/faultline run ${echo(slackText(rest)).replace(/`/g, "'")}\``;
      const id = `command:${command.trigger_id}`;
      const ev: InboundEvent = {
        platform: PLATFORM,
        user: command.user_id,
        channel: command.channel_id,
        thread: '',
        text: word === 'run' ? `run ${rest}` : rest,
        trigger: 'command',
      };
      let ts: string | undefined;
      try {
        ts = (
          await app.client.chat.postMessage({
            channel: command.channel_id,
            text: header,
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: header } }],
            unfurl_links: false,
            unfurl_media: false,
            metadata: {
              event_type: REPLY_EVENT_TYPE,
              event_payload: { key: replyKey(outboxKey(`${id}:header`), 0) },
            },
          })
        ).ts;
      } catch (err) {
        const f = slackFailure(err);
        log.warn({ ...fields, error: f.detail, failure: f.failure }, 'could not post the command header');
        if (f.failure === 'drop') {
          await respond({
            response_type: 'ephemeral',
            text:
              f.reason === 'not_in_channel' || f.reason === 'channel_not_found'
                ? 'I could not post in this channel (invite me with `/invite @faultline`).'
                : `I could not post in this channel (Slack said \`${echo(f.reason)}\`).`,
          });
          return;
        }
        // An outage, not the channel: the answer goes to the outbox and starts its own thread when Slack
        // takes it. Until then its session lives under a provisional key, moved to the real thread then.
        const provisional = threadKey(command.channel_id, `pending-${outboxKey(id)}`);
        const replies = await o.bot.receive(await withRoles({ ...ev, thread: provisional }));
        const outcome = await o.outbox.post({
          platform: PLATFORM,
          id,
          to: { channel: command.channel_id },
          replies,
          after: { session: provisional },
        });
        log.info({ ...fields, replies: replies.length, delivery: outcome.state }, 'slack reply');
        if (outcome.state !== 'delivered')
          await respond({
            response_type: 'ephemeral',
            text:
              outcome.state === 'dropped'
                ? 'Slack did not take the answer; try again in a moment.'
                : 'Slack is not taking messages right now; the answer will be posted in this channel when it is.',
          }).catch(() => undefined);
        return;
      }
      if (!ts) return;
      await converse(
        { ...ev, thread: threadKey(command.channel_id, ts) },
        { channel: command.channel_id, threadTs: ts },
        undefined,
        id,
      );
    });
  });

  app.shortcut(SHORTCUT, async ({ shortcut, ack }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const s = shortcut as MessageShortcut;
    const root = s.message.thread_ts ?? s.message.ts;
    const text = s.message.text ?? '';
    const files = (s.message as { files?: SlackFile[] }).files;
    const ev: InboundEvent = {
      platform: PLATFORM,
      user: s.user.id,
      channel: s.channel.id,
      thread: threadKey(s.channel.id, root),
      text: text.trim() || files?.length ? text : 'help',
      trigger: 'action',
    };
    later('shortcut', { channel: s.channel.id, user: s.user.id }, () =>
      converse(
        ev,
        { channel: s.channel.id, threadTs: root },
        files,
        `shortcut:${s.action_ts}:${s.trigger_id}`,
      ),
    );
  });

  /** Delivers what the core decided about an action: a form, an updated message, replies, private notes. */
  const deliver = async (
    res: ActionResult,
    where: {
      target: Target | undefined;
      channel: string;
      user: string;
      messageTs?: string;
      triggerId?: string;
      /** What makes this action's replies unique (their idempotency key comes from it). */
      id: string;
    },
  ) => {
    if (res.form && where.target && where.triggerId) {
      const offer = res.form;
      const thread = threadKey(where.target.channel, where.target.threadTs ?? '');
      try {
        await delivery.call('views.open', () =>
          app.client.views.open({ trigger_id: where.triggerId ?? '', view: runModal(offer, thread) }),
        );
      } catch (err) {
        log.error(
          { error: errorText(err), catalogId: offer.catalogId },
          'could not open the diagnostic form',
        );
      }
    }
    if (res.update && where.messageTs && where.channel) {
      const { blocks, text } = renderSlack(res.update, { thread: '' });
      try {
        await delivery.call('chat.update', () =>
          app.client.chat.update({ channel: where.channel, ts: where.messageTs ?? '', text, blocks }),
        );
      } catch (err) {
        log.warn(
          {
            channel: where.channel,
            ts: where.messageTs,
            error: errorText(err),
          },
          'could not update the message',
        );
      }
    }
    if (res.then)
      await deliver(await o.bot.act(await withRoles(res.then)), { ...where, id: `${where.id}:then` });
    const to = res.to ? parseThreadKey(res.to.thread) : where.target;
    if (to) await post(to, res.replies, where.id);
    for (const note of res.privately)
      await delivery.ephemeral(where.channel, where.user, echo(note), where.target?.threadTs);
  };

  const onButton =
    (kind: (v: ButtonPayload) => ActionPayload | undefined) =>
    async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const v = parseValue(action.value);
      const target = v.thread ? parseThreadKey(v.thread) : undefined;
      const channel = target?.channel ?? body.channel?.id ?? '';
      const what = kind(v);
      if (!what || !v.thread) return;
      const inbound: InboundAction = {
        platform: PLATFORM,
        user: body.user.id,
        channel,
        thread: v.thread,
        ...what,
      };
      later(what.kind, { channel, action: action.action_id }, async () =>
        deliver(await o.bot.act(await withRoles(inbound)), {
          target,
          channel,
          user: body.user.id,
          ...((body.container?.message_ts ?? body.message?.ts)
            ? { messageTs: (body.container?.message_ts ?? body.message?.ts) as string }
            : {}),
          triggerId: body.trigger_id,
          id: `action:${body.trigger_id}:${action.action_ts}`,
        }),
      );
    };

  app.action<BlockAction<ButtonAction>>(
    ACTION.next,
    onButton(() => ({ kind: 'next' })),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.mute,
    onButton(() => ({ kind: 'mute' })),
  );
  for (const verdict of ['helpful', 'wrong'] as const)
    app.action<BlockAction<ButtonAction>>(
      verdict === 'helpful' ? ACTION.helpful : ACTION.wrong,
      onButton((v) => (v.guide ? { kind: 'feedback', guideId: v.guide, verdict } : undefined)),
    );
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTION.run}_`),
    onButton((v) =>
      v.catalog && v.guide ? { kind: 'run', guideId: v.guide, catalogId: v.catalog } : undefined,
    ),
  );
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTION.correct}_`),
    onButton((v) => ({ kind: 'correct', ...(v.guide ? { guideId: v.guide } : {}) })),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.choose,
    onButton(() => ({ kind: 'choose' })),
  );
  // The search over every guide: Slack asks for options as the person types, then sends the pick.
  app.options(ACTION.search, async ({ options, ack }) => {
    const found = o.bot.searchGuides(options.value, 100);
    await ack({
      options: found.map((g) => ({
        text: { type: 'plain_text' as const, text: clip(`${g.title} (${g.id})`, LIMITS.buttonText) },
        value: g.id,
      })),
    });
  });
  app.action<BlockAction<ExternalSelectAction>>(ACTION.search, async ({ ack, body, action }) => {
    await ack();
    const thread = action.block_id.startsWith(SEARCH_BLOCK) ? action.block_id.slice(SEARCH_BLOCK.length) : '';
    const guideId = action.selected_option?.value;
    const target = parseThreadKey(thread);
    if (!target || !guideId) return;
    const inbound: InboundAction = {
      platform: PLATFORM,
      user: body.user.id,
      channel: target.channel,
      thread,
      kind: 'correct',
      guideId,
    };
    later('correct', { channel: target.channel, action: action.action_id }, async () =>
      deliver(await o.bot.act(await withRoles(inbound)), {
        target,
        channel: target.channel,
        user: body.user.id,
        id: `action:${body.trigger_id}:${action.action_ts}`,
      }),
    );
  });
  app.action<BlockAction<ButtonAction>>(
    ACTION.approve,
    onButton((v) => (v.request ? { kind: 'approve', requestId: v.request } : undefined)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.reject,
    onButton((v) => (v.request ? { kind: 'reject', requestId: v.request } : undefined)),
  );

  app.view(MODAL, async ({ ack, view, body }) => {
    const meta = parseValue(view.private_metadata);
    const target = meta.thread ? parseThreadKey(meta.thread) : undefined;
    const values = view.state.values;
    const host = values.host?.v?.selected_option?.value ?? '';
    if (!target || !meta.thread || !meta.catalog || !host) {
      await ack({ response_action: 'errors', errors: { host: 'Choose a host' } });
      return;
    }
    await ack();
    const params: Record<string, string> = {};
    for (const [blockId, block] of Object.entries(values)) {
      if (!blockId.startsWith('p_')) continue;
      const el = block.v;
      const value = el?.selected_option?.value ?? el?.value ?? '';
      params[blockId.slice(2)] = value;
    }
    const action: InboundAction = {
      kind: 'form-submit',
      platform: PLATFORM,
      user: body.user.id,
      channel: target.channel,
      thread: meta.thread,
      catalogId: meta.catalog,
      host,
      params,
    };
    later('run (form)', { channel: target.channel, catalogId: meta.catalog }, async () =>
      deliver(await o.bot.act(await withRoles(action)), {
        target,
        channel: target.channel,
        user: body.user.id,
        id: `view:${view.id}:${view.hash}`,
      }),
    );
  });

  try {
    // Socket Mode retries apps.connections.open for ever on errors it deems recoverable (missing_scope
    // among them); one call first turns a refused app token into an error at start.
    if (o.env.appToken && o.settings.mode === 'socket')
      await app.client.apps.connections.open({ token: o.env.appToken });
    await app.start();
  } catch (err) {
    await app.stop().catch(() => undefined);
    throw slackStartError(err, o.settings.mode === 'socket' ? 'SLACK_APP_TOKEN' : undefined);
  }
  const sm = socketReceiver?.client;
  if (sm && o.onConnection) {
    const report = o.onConnection;
    sm.on('connected', () => report({ up: true }));
    sm.on('reconnecting', () => report({ up: false, reason: 'Socket Mode connection lost, reconnecting' }));
  }
  const port = receiver?.port;
  log.info({ mode: o.settings.mode, ...(port !== undefined ? { port } : {}) }, 'slack front end started');
  return {
    app,
    outbound,
    ...(port !== undefined ? { port } : {}),
    async stop() {
      // Finish replies and diagnostic runs already under way, then disconnect.
      await tasks.drain();
      await app.stop();
      log.info('slack front end stopped');
    },
  };
}

/** Slack errors that retrying cannot fix: the token or the app's installation is refused. */
const FATAL_SLACK_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'user_removed_from_team',
  'team_disabled',
  'missing_scope',
  'not_allowed_token_type',
  'no_permission',
  'invalid_token',
]);

/** One line for an operator: what Slack said, which token it was about, and whether retrying can help. */
export function slackStartError(err: unknown, token: string | undefined): PlatformError {
  const e = err as { code?: unknown; data?: { error?: unknown; needed?: unknown }; statusCode?: unknown };
  const net = networkCause(err);
  if (net) return new PlatformError(PLATFORM, `cannot reach Slack (${net})`, false);
  if (e?.code === 'slack_webapi_platform_error' && typeof e.data?.error === 'string') {
    const code = e.data.error;
    const needed = typeof e.data.needed === 'string' ? ` (needs ${e.data.needed})` : '';
    const which = token ? `; check ${token}` : '';
    return new PlatformError(PLATFORM, `${code}${needed}${which}`, FATAL_SLACK_ERRORS.has(code));
  }
  if (e?.code === 'slack_webapi_request_error')
    return new PlatformError(PLATFORM, `cannot reach Slack (${errorMessage(err)})`, false);
  if (e?.code === 'slack_webapi_http_error' || e?.code === 'slack_webapi_rate_limited_error')
    return new PlatformError(PLATFORM, `Slack answered ${String(e.statusCode ?? 'an error')}`, false);
  return new PlatformError(PLATFORM, errorMessage(err), true);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Removes the leading mention of the bot (and any other user mention right at the start). */
export function stripMention(text: string, botUserId: string | undefined): string {
  let t = text;
  if (botUserId) t = t.split(`<@${botUserId}>`).join(' ');
  return t.replace(/^\s*<@[A-Z0-9]+>\s*/, '').trim();
}

const QUOTE_LINES = 8;
const QUOTE_CHARS = 1200;

/** The start of a paste as a quote; the note says how much was left out (it is only a header). */
function quote(text: string): string {
  const lines = text.split('\n');
  let shown = lines.slice(0, QUOTE_LINES).join('\n');
  if (shown.length > QUOTE_CHARS) shown = shown.slice(0, QUOTE_CHARS);
  const more = text.length - shown.length;
  const body = '```' + echo(shown).replace(/```/g, '`\u200d``') + '```';
  return more > 0
    ? `${body}\n_(${lines.length} lines in all; the first ${shown.split('\n').length} are quoted)_`
    : body;
}

function runModal(offer: DiagnosticOffer, thread: string): types.ModalView {
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${echo(offer.catalogId)}*: ${echo(offer.description)}${offer.needsApproval ? '\n_This needs approval by a second person._' : ''}`,
      },
    },
    {
      type: 'input',
      block_id: 'host',
      label: { type: 'plain_text', text: 'Host' },
      element: {
        type: 'static_select',
        action_id: 'v',
        options: offer.hosts
          .slice(0, 100)
          .map((h) => ({ text: { type: 'plain_text', text: h.slice(0, 75) }, value: h })),
        ...(offer.hosts.length === 1 && offer.hosts[0]
          ? {
              initial_option: {
                text: { type: 'plain_text', text: offer.hosts[0].slice(0, 75) },
                value: offer.hosts[0],
              },
            }
          : {}),
      },
    },
  ];
  for (const p of offer.params.slice(0, 20)) {
    const label = { type: 'plain_text' as const, text: p.name.slice(0, 2000) };
    const hint = p.description
      ? { hint: { type: 'plain_text' as const, text: p.description.slice(0, 2000) } }
      : {};
    if (p.choices?.length) {
      blocks.push({
        type: 'input',
        block_id: `p_${p.name}`,
        label,
        ...hint,
        element: {
          type: 'static_select',
          action_id: 'v',
          options: p.choices
            .slice(0, 100)
            .map((c) => ({ text: { type: 'plain_text', text: c.slice(0, 75) }, value: c })),
          ...(p.suggested && p.choices.includes(p.suggested)
            ? {
                initial_option: {
                  text: { type: 'plain_text', text: p.suggested.slice(0, 75) },
                  value: p.suggested,
                },
              }
            : {}),
        },
      });
    } else {
      blocks.push({
        type: 'input',
        block_id: `p_${p.name}`,
        label,
        ...hint,
        element: {
          type: 'plain_text_input',
          action_id: 'v',
          ...(p.suggested ? { initial_value: p.suggested } : {}),
        },
      });
    }
  }
  return {
    type: 'modal',
    callback_id: MODAL,
    private_metadata: buttonValue({ thread, catalog: offer.catalogId }),
    title: { type: 'plain_text', text: 'Run a diagnostic' },
    submit: { type: 'plain_text', text: 'Run' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
