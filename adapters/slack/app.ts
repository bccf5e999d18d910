import {
  App,
  LogLevel,
  SocketModeReceiver,
  type BlockAction,
  type ButtonAction,
  type MessageShortcut,
  type SlackActionMiddlewareArgs,
  type types,
} from '@slack/bolt';
import type { Logger } from 'pino';
import type { ActionPayload, ActionResult, Bot, InboundAction, InboundEvent } from '../../src/bot/bot.js';
import type { BotReply, DiagnosticOffer } from '../../src/bot/diagnostics.js';
import { ACTION, echo, parseValue, renderSlack } from './blocks.js';
import type { SlackConfig, SlackEnv } from './config.js';
import { Delivery, type Target } from './deliver.js';
import { boltLogger } from './logger.js';
import { VerifiedHttpReceiver } from './receiver.js';

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
}

export interface SlackRunning {
  app: BoltApp;
  /** HTTP mode: the bound port. */
  port?: number;
  stop(): Promise<void>;
}

/** `<channel>/<ts>`: the bot's conversation key for a Slack thread. */
export function threadKey(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

export function parseThreadKey(key: string): Target | undefined {
  const i = key.indexOf('/');
  if (i <= 0 || i === key.length - 1) return undefined;
  return { channel: key.slice(0, i), threadTs: key.slice(i + 1) };
}

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
  let receiver: VerifiedHttpReceiver | undefined;
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
    app = new App({ token: o.env.botToken, receiver, logger, logLevel: LogLevel.INFO, clientOptions });
  } else {
    if (!o.env.appToken) throw new Error('Slack Socket Mode needs SLACK_APP_TOKEN');
    const socketReceiver = new SocketModeReceiver({
      appToken: o.env.appToken,
      logger,
      logLevel: LogLevel.INFO,
      installerOptions: { clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}) } },
      ...(o.socket?.clientPingTimeout ? { clientPingTimeout: o.socket.clientPingTimeout } : {}),
      ...(o.socket?.serverPingTimeout ? { serverPingTimeout: o.socket.serverPingTimeout } : {}),
    });
    app = new App({
      token: o.env.botToken,
      receiver: socketReceiver,
      logger,
      logLevel: LogLevel.INFO,
      clientOptions,
    });
  }
  const delivery = new Delivery(app.client, log, {
    maxAttempts: o.settings.maxAttempts,
    maxRetryAfterSeconds: o.settings.maxRetryAfterSeconds,
    ...(o.sleep ? { sleep: o.sleep } : {}),
  });
  const inflight = new Set<Promise<void>>();
  /** Slow work runs after the ack; errors are logged and the bot keeps serving. */
  const later = (what: string, fields: Record<string, unknown>, fn: () => Promise<void>) => {
    const p = fn()
      .catch((err: unknown) =>
        log.error(
          { ...fields, what, error: err instanceof Error ? err.message : String(err) },
          'slack handler failed',
        ),
      )
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const post = async (target: Target, replies: BotReply[]) => {
    const key = threadKey(target.channel, target.threadTs ?? '');
    for (const r of replies) {
      const ts = await delivery.post(target, renderSlack(r, { thread: key }));
      log.info(
        { channel: target.channel, thread_ts: target.threadTs, kind: r.kind, delivered: ts !== undefined },
        'slack reply',
      );
    }
  };

  const converse = async (ev: InboundEvent, target: Target) => {
    const replies = await o.bot.receive(ev);
    log.debug(
      { eventId: ev.eventId, trigger: ev.trigger, channel: ev.channel, replies: replies.length },
      'slack event handled',
    );
    await post(target, replies);
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
    later('app_mention', { event_id: body.event_id, channel: event.channel }, () =>
      converse(ev, { channel: event.channel, threadTs: root }),
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
      text: isDm ? stripMention(m.text ?? '', context.botUserId) : (m.text ?? ''),
      trigger: isDm ? 'dm' : 'passive',
      fromBot,
    };
    later('message', { event_id: body.event_id, channel: m.channel }, () =>
      converse(ev, { channel: m.channel, threadTs: root }),
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
          ? `<@${command.user_id}> asked to explain:\n${quote(rest)}`
          : `<@${command.user_id}> asked: \`/faultline run ${echo(rest).replace(/`/g, "'")}\``;
      const ts = await delivery.post(
        { channel: command.channel_id },
        { text: header, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: header } }], files: [] },
      );
      if (!ts) {
        await respond({
          response_type: 'ephemeral',
          text: 'I could not post in this channel (invite me with `/invite @faultline`, or try again later).',
        });
        return;
      }
      const ev: InboundEvent = {
        platform: PLATFORM,
        user: command.user_id,
        channel: command.channel_id,
        thread: threadKey(command.channel_id, ts),
        text: word === 'run' ? `run ${rest}` : rest,
        trigger: 'command',
      };
      await converse(ev, { channel: command.channel_id, threadTs: ts });
    });
  });

  app.shortcut(SHORTCUT, async ({ shortcut, ack }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const s = shortcut as MessageShortcut;
    const root = s.message.thread_ts ?? s.message.ts;
    const text = s.message.text ?? '';
    const ev: InboundEvent = {
      platform: PLATFORM,
      user: s.user.id,
      channel: s.channel.id,
      thread: threadKey(s.channel.id, root),
      text: text.trim() ? text : 'help',
      trigger: 'action',
    };
    later('shortcut', { channel: s.channel.id, user: s.user.id }, () =>
      converse(ev, { channel: s.channel.id, threadTs: root }),
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
          { error: err instanceof Error ? err.message : String(err), catalogId: offer.catalogId },
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
            error: err instanceof Error ? err.message : String(err),
          },
          'could not update the message',
        );
      }
    }
    if (res.then) await deliver(await o.bot.act(res.then), where);
    const to = res.to ? parseThreadKey(res.to.thread) : where.target;
    if (to) await post(to, res.replies);
    for (const note of res.privately)
      await delivery.ephemeral(where.channel, where.user, echo(note), where.target?.threadTs);
  };

  const onButton =
    (kind: (v: Record<string, string>) => ActionPayload | undefined) =>
    async ({ ack, body, action }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const v = parseValue(action.value);
      const target = v.t ? parseThreadKey(v.t) : undefined;
      const channel = target?.channel ?? body.channel?.id ?? '';
      const what = kind(v);
      if (!what || !v.t) return;
      const inbound: InboundAction = {
        platform: PLATFORM,
        user: body.user.id,
        channel,
        thread: v.t,
        ...what,
      };
      later(what.kind, { channel, action: action.action_id }, async () =>
        deliver(await o.bot.act(inbound), {
          target,
          channel,
          user: body.user.id,
          ...((body.container?.message_ts ?? body.message?.ts)
            ? { messageTs: (body.container?.message_ts ?? body.message?.ts) as string }
            : {}),
          triggerId: body.trigger_id,
        }),
      );
    };

  app.action<BlockAction<ButtonAction>>(
    ACTION.next,
    onButton(() => ({ kind: 'next' })),
  );
  for (const verdict of ['helpful', 'wrong'] as const)
    app.action<BlockAction<ButtonAction>>(
      verdict === 'helpful' ? ACTION.helpful : ACTION.wrong,
      onButton((v) => (v.g ? { kind: 'feedback', guideId: v.g, verdict } : undefined)),
    );
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTION.run}_`),
    onButton((v) => (v.c && v.g ? { kind: 'run', guideId: v.g, catalogId: v.c } : undefined)),
  );
  app.action<BlockAction<ButtonAction>>(
    new RegExp(`^${ACTION.correct}_`),
    onButton((v) => ({ kind: 'correct', ...(v.g ? { guideId: v.g } : {}) })),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.approve,
    onButton((v) => (v.r ? { kind: 'approve', requestId: v.r } : undefined)),
  );
  app.action<BlockAction<ButtonAction>>(
    ACTION.reject,
    onButton((v) => (v.r ? { kind: 'reject', requestId: v.r } : undefined)),
  );

  app.view(MODAL, async ({ ack, view, body }) => {
    const meta = parseValue(view.private_metadata);
    const target = meta.t ? parseThreadKey(meta.t) : undefined;
    const values = view.state.values;
    const host = values.host?.v?.selected_option?.value ?? '';
    if (!target || !meta.t || !meta.c || !host) {
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
      thread: meta.t,
      catalogId: meta.c,
      host,
      params,
    };
    later('run (form)', { channel: target.channel, catalogId: meta.c }, async () =>
      deliver(await o.bot.act(action), { target, channel: target.channel, user: body.user.id }),
    );
  });

  await app.client.auth.test();
  await app.start();
  const port = receiver?.port;
  log.info({ mode: o.settings.mode, ...(port !== undefined ? { port } : {}) }, 'slack front end started');
  return {
    app,
    ...(port !== undefined ? { port } : {}),
    async stop() {
      // Finish replies and diagnostic runs already under way, then disconnect.
      await Promise.allSettled([...inflight]);
      await app.stop();
      log.info('slack front end stopped');
    },
  };
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
    private_metadata: JSON.stringify({ t: thread, c: offer.catalogId }),
    title: { type: 'plain_text', text: 'Run a diagnostic' },
    submit: { type: 'plain_text', text: 'Run' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
