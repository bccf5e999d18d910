import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackMessage } from './blocks.js';

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

  /** Posts a message and its files; returns the message ts, or undefined when it could not be delivered. */
  async post(target: Target, msg: SlackMessage): Promise<string | undefined> {
    let ts: string | undefined;
    try {
      const res = await this.call('chat.postMessage', () =>
        this.client.chat.postMessage({
          channel: target.channel,
          ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
          text: msg.text,
          blocks: msg.blocks,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      ts = res.ts;
    } catch (err) {
      this.log.error(
        {
          undelivered: {
            channel: target.channel,
            thread_ts: target.threadTs,
            text: msg.text,
            blocks: msg.blocks,
            files: msg.files.map((f) => f.filename),
          },
          error: describe(err),
        },
        'slack reply not delivered',
      );
      return undefined;
    }
    for (const f of msg.files) await this.upload(target, f.filename, f.title, f.content);
    return ts;
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
