import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { BotReply } from '../../src/bot/diagnostics.js';
import type { Destination, SendResult, Sender } from '../../src/delivery/outbox.js';
import { networkCause } from '../../src/frontend/frontend.js';
import { renderSlack } from './blocks.js';

export interface DeliveryOptions {
  maxAttempts: number;
  maxRetryAfterSeconds: number;
  /** Wait between attempts after a 5xx or a network error (doubled each time). */
  backoffMs?: number;
  /** For tests: how waiting is done. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Target {
  channel: string;
  threadTs?: string;
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

/** The message metadata type faultline's replies carry; its payload holds the reply's idempotency key. */
export const REPLY_EVENT_TYPE = 'faultline_reply';

/** Slack errors that say the request failed before anything was posted, and may pass later. */
const NOT_POSTED_PLATFORM = new Set(['ratelimited', 'service_unavailable', 'team_added_to_org']);
/** Slack errors after which the message may or may not be there. */
const MAYBE_POSTED_PLATFORM = new Set(['internal_error', 'fatal_error', 'request_timeout']);
/** Network failures that mean the request never reached Slack. */
const NOT_SENT = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)\b/;

/**
 * What a failed Web API call means for the outbox: Slack refused it for good (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`: dropped), it never got there (connection refused, 429: retried), or it
 * may have been posted (a timeout, a reset, a 5xx: looked for before it is sent again).
 */
export function slackFailure(err: unknown): Extract<SendResult, { ok: false }> {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') {
    const sec = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return {
      ok: false,
      failure: 'retry',
      reason: '429',
      detail: `rate limited for ${sec} s`,
      retryAfterMs: sec * 1000,
    };
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'error';
    if (NOT_POSTED_PLATFORM.has(code)) return { ok: false, failure: 'retry', reason: code, detail: code };
    if (MAYBE_POSTED_PLATFORM.has(code))
      return { ok: false, failure: 'uncertain', reason: code, detail: code };
    return { ok: false, failure: 'drop', reason: code, detail: `Slack refused it: ${code}` };
  }
  if (e.code === 'slack_webapi_http_error') {
    const status = e.statusCode ?? 0;
    if (status >= 500 || status === 408)
      return { ok: false, failure: 'uncertain', reason: String(status), detail: `Slack answered ${status}` };
    return { ok: false, failure: 'drop', reason: String(status), detail: `Slack answered ${status}` };
  }
  const net = networkCause(err) ?? (e.code === 'slack_webapi_request_error' ? describe(err) : undefined);
  if (net) {
    const code = /\b(E[A-Z_]+|UND_ERR_[A-Z_]+)\b/.exec(net)?.[1] ?? 'network';
    return NOT_SENT.test(net)
      ? { ok: false, failure: 'retry', reason: code, detail: net }
      : {
          ok: false,
          failure: 'uncertain',
          reason: code === 'network' && /timeout/i.test(net) ? 'timeout' : code,
          detail: net,
        };
  }
  return { ok: false, failure: 'uncertain', reason: 'error', detail: describe(err) };
}

/**
 * Slack for the outbox: each message carries its idempotency key in `metadata`, so after an ambiguous
 * failure the thread (or, for a first message, the channel's recent history) is read for it.
 */
export class SlackSender implements Sender {
  readonly platform = 'slack';

  constructor(
    private readonly client: webApi.WebClient,
    private readonly delivery: Delivery,
  ) {}

  async send(to: Destination, reply: BotReply, key: string): Promise<SendResult> {
    const target = to.thread ? parseThreadKey(to.thread) : undefined;
    const msg = renderSlack(reply, { thread: to.thread ?? '' });
    let ts: string | undefined;
    try {
      const res = await this.client.chat.postMessage({
        channel: to.channel,
        ...(target?.threadTs ? { thread_ts: target.threadTs } : {}),
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: REPLY_EVENT_TYPE, event_payload: { key } },
      });
      ts = res.ts;
    } catch (err) {
      return slackFailure(err);
    }
    const thread = to.thread ?? threadKey(to.channel, ts ?? '');
    if (!to.thread && ts && msg.blocks.some((b) => b.type === 'actions')) {
      // Buttons carry their conversation, which exists only now that the message does.
      const again = renderSlack(reply, { thread });
      await this.delivery
        .call('chat.update', () =>
          this.client.chat.update({ channel: to.channel, ts, text: again.text, blocks: again.blocks }),
        )
        .catch(() => undefined);
    }
    const where = { channel: to.channel, threadTs: parseThreadKey(thread)?.threadTs };
    // Files are best effort (bounded retries, then a log line): an upload has no idempotency key.
    for (const f of msg.files) await this.delivery.upload(where, f.filename, f.title, f.content);
    return { ok: true, to: { channel: to.channel, thread } };
  }

  async find(to: Destination, key: string, since: number): Promise<Destination | undefined> {
    const target = to.thread ? parseThreadKey(to.thread) : undefined;
    const res = target?.threadTs
      ? await this.client.conversations.replies({
          channel: to.channel,
          ts: target.threadTs,
          include_all_metadata: true,
          limit: 200,
        })
      : await this.client.conversations.history({
          channel: to.channel,
          oldest: String(Math.floor(since / 1000) - 60),
          include_all_metadata: true,
          limit: 200,
        });
    const hit = (res.messages ?? []).find(
      (m) =>
        m.metadata?.event_type === REPLY_EVENT_TYPE &&
        (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
    );
    if (!hit?.ts) return undefined;
    return { channel: to.channel, thread: to.thread ?? threadKey(to.channel, hit.ts) };
  }
}

/** The retry decision for one failed Web API call. */
function retryDelay(err: unknown, attempt: number, o: DeliveryOptions): number | undefined {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number };
  if (e.code === 'slack_webapi_rate_limited_error') {
    const sec = typeof e.retryAfter === 'number' ? e.retryAfter : 1;
    return sec > o.maxRetryAfterSeconds ? undefined : sec * 1000;
  }
  if (e.code === 'slack_webapi_http_error' && typeof e.statusCode === 'number' && e.statusCode >= 500)
    return (o.backoffMs ?? 250) * 2 ** (attempt - 1);
  if (e.code === 'slack_webapi_request_error') return (o.backoffMs ?? 250) * 2 ** (attempt - 1);
  return undefined;
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; data?: { error?: string } };
  return e.data?.error
    ? `${e.code ?? 'error'}: ${e.data.error}`
    : `${e.code ?? 'error'}: ${e.message ?? String(err)}`;
}

/**
 * Posts messages and files with bounded retries: 429 waits for Retry-After (each call on its own, so a
 * rate-limited channel does not stall the others), 5xx and network errors back off. A message that
 * cannot be delivered is logged with everything needed to post it again, and the caller carries on.
 */
export class Delivery {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly log: Logger,
    private readonly opts: DeliveryOptions,
  ) {}

  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const delay = attempt < this.opts.maxAttempts ? retryDelay(err, attempt, this.opts) : undefined;
        if (delay === undefined) throw err;
        this.log.warn(
          { call: what, attempt, delayMs: delay, error: describe(err) },
          'slack call failed; retrying',
        );
        await sleep(delay);
      }
    }
  }

  /** files.uploadV2 into the thread; a failure is logged with the target and the file name. */
  async upload(target: Target, filename: string, title: string, content: string): Promise<boolean> {
    try {
      await this.call('files.uploadV2', () =>
        this.client.filesUploadV2(
          target.threadTs
            ? { channel_id: target.channel, thread_ts: target.threadTs, filename, title, content }
            : { channel_id: target.channel, filename, title, content },
        ),
      );
      return true;
    } catch (err) {
      this.log.error(
        {
          undelivered: {
            channel: target.channel,
            thread_ts: target.threadTs,
            file: filename,
            bytes: Buffer.byteLength(content),
          },
          error: describe(err),
        },
        'slack file not delivered',
      );
      return false;
    }
  }

  async ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    try {
      await this.call('chat.postEphemeral', () =>
        this.client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      );
    } catch (err) {
      this.log.error(
        { undelivered: { channel, user, thread_ts: threadTs, text }, error: describe(err) },
        'slack ephemeral message not delivered',
      );
    }
  }
}
