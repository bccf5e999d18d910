import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BotReply } from '../bot/diagnostics.js';
import type { DeliveryConfig } from '../config/schema.js';
import { sessionKey } from '../bot/bot.js';
import type { Outbound } from '../frontend/frontend.js';
import type { Stores } from '../store/stores.js';
import { StoreUnreachableError } from '../store/kv.js';
import { MemoryKeyValueStore } from '../store/memory.js';
import {
  OutboxStore,
  type AfterThread,
  type Destination,
  type Lease,
  type OutboxEntry,
} from '../store/outbox.js';

export type { AfterThread, Destination, OutboxEntry } from '../store/outbox.js';

/**
 * How a platform took one message. `retry`: it was not posted and may be later (connection refused, 429,
 * a 5xx before the request was read). `uncertain`: it may have been posted (a timeout, a reset after the
 * request was sent, a 5xx): the next attempt looks for it first, or relies on the platform's idempotency
 * key. `drop`: retrying cannot help (channel not found, not in channel, invalid auth).
 */
export type SendResult =
  | { ok: true; to: Destination }
  | {
      ok: false;
      failure: 'retry' | 'uncertain' | 'drop';
      /** A short code for the metric and the log (`channel_not_found`, `ECONNREFUSED`, `503`). */
      reason: string;
      /** One line for the log. */
      detail: string;
      /** The platform asked for this wait (429 Retry-After). */
      retryAfterMs?: number;
    };

/**
 * What an adapter gives the outbox: how to post one reply with its idempotency key, and (where the platform
 * does not enforce the key itself) how to find a message that may have been posted.
 */
export interface Sender {
  platform: string;
  /** Posts `reply` in `to`; on success, where the conversation is (the thread a first reply started). */
  send(to: Destination, reply: BotReply, key: string): Promise<SendResult>;
  /**
   * After an uncertain failure: where the message carrying `key` is if it was posted (posted at or after
   * `since`), undefined if it was not. Throws when the platform cannot be asked.
   */
  find?(to: Destination, key: string, since: number): Promise<Destination | undefined>;
}

export interface OutboxObserver {
  outboxAttempt(platform: string): void;
  outboxDelivered(platform: string): void;
  outboxDropped(platform: string, reason: string): void;
  outboxDepth(depth: number, oldestSeconds: number): void;
}

export interface PostRequest {
  platform: string;
  to: Destination;
  replies: BotReply[];
  /** What makes this answer unique: the event, message or interaction id (the idempotency key comes from it). */
  id: string;
  /** When the event arrived (ms); now when omitted. */
  createdAt?: number;
  after?: AfterThread;
}

export type PostOutcome =
  | { state: 'delivered'; to: Destination }
  /** Kept in the outbox: some replica delivers it when the platform takes it. */
  | { state: 'queued'; reason: string }
  | { state: 'dropped'; reason: string };

/** `<key>.<index>`: at most 20 characters, within Discord's 25 for a nonce. */
export function replyKey(key: string, index: number): string {
  return `${key}.${index}`;
}

/** The idempotency key of an answer: 16 characters of a hash of its event id. */
export function outboxKey(id: string): string {
  return createHash('sha256').update(id).digest('base64url').slice(0, 16);
}

/**
 * The wait before retry `attempt` (1 for the first retry): `firstRetrySeconds` doubled each time, at most
 * `maxRetrySeconds`, with "equal jitter" (half fixed, half random) so that replicas recovering from one
 * outage do not all retry in the same instant.
 */
export function backoffMs(
  config: DeliveryConfig,
  attempt: number,
  random: () => number = Math.random,
): number {
  const cap = config.maxRetrySeconds * 1000;
  const base = Math.min(cap, config.firstRetrySeconds * 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}

/** Longer than any entry may wait, so an entry nobody delivers expires in the store too. */
const KEEP_MARGIN_MS = 60 * 60 * 1000;

/**
 * The durable outbox, owned by the core: every answer is written ahead (idempotency key from its event id),
 * then sent at once; it is removed when the platform confirms. A failure that may heal keeps it and
 * schedules a retry with backoff until `delivery.maxAgeMinutes` after the event; one that cannot is dropped
 * with one log line. Any replica's loop delivers what is due, under a lease, so a replica that dies
 * mid-reply leaves the entry for another (or for itself after a restart).
 *
 * While the store is unreachable (Redis down) answers still go out directly; one that then fails cannot
 * be kept, and the log line and the `store_unreachable` drop say so.
 */
export class Outbox {
  private readonly senders = new Map<string, Sender>();
  private readonly observers: OutboxObserver[] = [];
  private timer: NodeJS.Timeout | undefined;
  private passing: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly store: OutboxStore,
    private readonly config: DeliveryConfig,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>,
    private readonly opts: {
      /** Runs once a reply that started a conversation is posted (alert threads). */
      afterThread?: (after: AfterThread, to: Destination, platform: string) => Promise<void>;
      now?: () => number;
      random?: () => number;
    } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  register(sender: Sender): void {
    this.senders.set(sender.platform, sender);
  }

  unregister(platform: string): void {
    this.senders.delete(platform);
  }

  observe(observer: OutboxObserver): void {
    this.observers.push(observer);
  }

  private get maxAgeMs(): number {
    return this.config.maxAgeMinutes * 60_000;
  }

  private get keepMs(): number {
    return this.maxAgeMs + KEEP_MARGIN_MS;
  }

  private get leaseMs(): number {
    return this.config.leaseSeconds * 1000;
  }

  /** Writes the answer ahead, then sends it at once. */
  async post(req: PostRequest): Promise<PostOutcome> {
    const now = this.now();
    const entry: OutboxEntry = {
      key: outboxKey(`${req.platform}:${req.id}`),
      platform: req.platform,
      to: req.to,
      replies: req.replies,
      sent: 0,
      createdAt: req.createdAt ?? now,
      attempts: 0,
      nextAt: now,
      ...(req.after ? { after: req.after } : {}),
    };
    if (!entry.replies.length) return { state: 'delivered', to: entry.to };
    let lease: Lease | undefined;
    try {
      lease = await this.store.claim(entry.key, randomUUID(), this.leaseMs);
      if (!lease) return { state: 'queued', reason: 'another replica is delivering it' };
      if (!(await this.store.add(entry, this.keepMs))) {
        await this.store.release(lease);
        return { state: 'queued', reason: 'already in the outbox' };
      }
    } catch (e) {
      if (!(e instanceof StoreUnreachableError)) throw e;
      // Sending without a record beats not answering; only a failure now is lost.
      this.log.warn(
        { key: entry.key, platform: entry.platform, error: e.detail },
        'outbox: state store unreachable; sending without keeping',
      );
      return this.deliver(entry, undefined);
    }
    return this.deliver(entry, lease);
  }

  /** Starts this replica's delivery loop. */
  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.passing = this.pass()
        .catch((e: unknown) => this.log.error({ error: String(e) }, 'outbox pass failed'))
        .finally(() => {
          this.passing = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.config.pollSeconds * 1000);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the loop and waits for a pass under way; entries stay for another replica or the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.passing;
  }

  /** One look at the outbox: delivers every due entry whose platform runs here and no replica holds. */
  async pass(): Promise<void> {
    let entries: OutboxEntry[];
    try {
      entries = await this.store.all();
    } catch (e) {
      if (e instanceof StoreUnreachableError) return;
      throw e;
    }
    const now = this.now();
    const oldest = entries.reduce((m, e) => Math.min(m, e.createdAt), now);
    for (const o of this.observers) o.outboxDepth(entries.length, (now - oldest) / 1000);
    entries.sort((a, b) => a.nextAt - b.nextAt);
    try {
      for (const e of entries) {
        if (this.stopped) return;
        if (e.nextAt > this.now() || !this.senders.has(e.platform)) continue;
        const lease = await this.store.claim(e.key, randomUUID(), this.leaseMs);
        if (!lease) continue;
        const fresh = await this.store.get(e.key);
        if (!fresh || fresh.nextAt > this.now()) {
          await this.store.release(lease);
          continue;
        }
        await this.deliver(fresh, lease);
      }
    } catch (e) {
      // The store went away mid-pass: what was not reached waits for the next one.
      if (!(e instanceof StoreUnreachableError)) throw e;
    }
  }

  /** Sends what is left of `entry`; `lease` undefined: the store is unreachable and nothing is kept. */
  private async deliver(entry: OutboxEntry, lease: Lease | undefined): Promise<PostOutcome> {
    const fields = { key: entry.key, platform: entry.platform, channel: entry.to.channel };
    if (this.now() - entry.createdAt > this.maxAgeMs) return this.drop(entry, lease, 'expired', 'too old');
    const sender = this.senders.get(entry.platform);
    if (!sender) {
      if (!lease) return this.drop(entry, lease, 'store_unreachable', `${entry.platform} is not running`);
      await this.store.release(lease);
      return { state: 'queued', reason: `${entry.platform} is not running` };
    }
    let durable = lease !== undefined;
    while (entry.sent < entry.replies.length) {
      const key = replyKey(entry.key, entry.sent);
      let result: SendResult | undefined;
      if (entry.uncertain && sender.find) {
        try {
          const found = await sender.find(entry.to, key, entry.createdAt);
          if (found) {
            this.log.info(
              { ...fields, reply: key },
              'outbox: found the reply already posted; not sending it again',
            );
            result = { ok: true, to: found };
          }
        } catch (e) {
          result = {
            ok: false,
            failure: 'uncertain',
            reason: 'lookup',
            detail: `could not look for it: ${String((e as Error).message ?? e)}`,
          };
        }
      }
      const reply = entry.replies[entry.sent];
      if (!result && reply) {
        entry.attempts++;
        for (const o of this.observers) o.outboxAttempt(entry.platform);
        try {
          result = await sender.send(entry.to, reply, key);
        } catch (e) {
          // A sender classifies what it knows; anything else is treated as possibly sent.
          result = {
            ok: false,
            failure: 'uncertain',
            reason: 'error',
            detail: String((e as Error).message ?? e),
          };
        }
      }
      if (!result || !result.ok) {
        const failure = result && !result.ok ? result : undefined;
        return this.failed(entry, lease, durable, failure);
      }
      const started = !entry.to.thread && result.to.thread !== undefined;
      entry.to = result.to;
      entry.sent++;
      delete entry.uncertain;
      for (const o of this.observers) o.outboxDelivered(entry.platform);
      if (started && entry.after && this.opts.afterThread) {
        try {
          await this.opts.afterThread(entry.after, entry.to, entry.platform);
        } catch (e) {
          this.log.warn(
            { ...fields, error: String((e as Error).message ?? e) },
            'outbox: could not record the new thread',
          );
        }
      }
      if (durable && entry.sent < entry.replies.length) {
        try {
          await this.store.save(entry, this.keepMs);
        } catch (e) {
          if (!(e instanceof StoreUnreachableError)) throw e;
          durable = false;
        }
      }
    }
    try {
      if (durable) await this.store.remove(entry.key);
      if (lease) await this.store.release(lease);
    } catch (e) {
      // Delivered; a stale entry is found delivered (by its key) or expires.
      this.log.warn(
        { ...fields, error: String((e as Error).message ?? e) },
        'outbox: delivered, but the entry could not be removed',
      );
    }
    return { state: 'delivered', to: entry.to };
  }

  private async failed(
    entry: OutboxEntry,
    lease: Lease | undefined,
    durable: boolean,
    f: Extract<SendResult, { ok: false }> | undefined,
  ): Promise<PostOutcome> {
    const failure: Extract<SendResult, { ok: false }> = f ?? {
      ok: false,
      failure: 'uncertain',
      reason: 'error',
      detail: 'no result',
    };
    if (failure.failure === 'drop') return this.drop(entry, lease, failure.reason, failure.detail);
    const wait = Math.max(backoffMs(this.config, entry.attempts, this.random), failure.retryAfterMs ?? 0);
    entry.nextAt = this.now() + wait;
    entry.lastError = `${failure.reason}: ${failure.detail}`;
    if (failure.failure === 'uncertain') entry.uncertain = true;
    if (entry.nextAt - entry.createdAt > this.maxAgeMs)
      return this.drop(
        entry,
        lease,
        'expired',
        `delivery.maxAgeMinutes (${this.config.maxAgeMinutes}) reached; last: ${entry.lastError}`,
      );
    if (!durable || !lease)
      return this.drop(
        entry,
        lease,
        'store_unreachable',
        `state store unreachable, so it cannot be kept; ${entry.lastError}`,
      );
    try {
      await this.store.save(entry, this.keepMs);
      await this.store.release(lease);
    } catch (e) {
      if (!(e instanceof StoreUnreachableError)) throw e;
      return this.drop(
        entry,
        undefined,
        'store_unreachable',
        `state store unreachable, so it cannot be kept; ${entry.lastError}`,
      );
    }
    this.log.warn(
      {
        key: entry.key,
        platform: entry.platform,
        channel: entry.to.channel,
        attempt: entry.attempts,
        retryInMs: wait,
        error: entry.lastError,
      },
      'reply not delivered yet; kept in the outbox',
    );
    return { state: 'queued', reason: entry.lastError };
  }

  private async drop(
    entry: OutboxEntry,
    lease: Lease | undefined,
    reason: string,
    detail: string,
  ): Promise<PostOutcome> {
    for (const o of this.observers) o.outboxDropped(entry.platform, reason);
    this.log.error(
      {
        key: entry.key,
        platform: entry.platform,
        channel: entry.to.channel,
        thread: entry.to.thread,
        reason,
        undelivered: entry.replies.length - entry.sent,
        attempts: entry.attempts,
      },
      `reply dropped: ${detail}`,
    );
    if (lease) {
      try {
        await this.store.remove(entry.key);
        await this.store.release(lease);
      } catch {
        // The entry expires by itself; the next pass drops it as too old.
      }
    }
    return { state: 'dropped', reason };
  }
}

/** How the core posts into `platform` when it was not asked from there (alerts): through the outbox. */
export function outboundFor(outbox: Outbox, platform: string): Outbound {
  return {
    post: (req) =>
      outbox.post({
        platform,
        id: req.id,
        to: { channel: req.channel, ...(req.thread ? { thread: req.thread } : {}) },
        replies: req.replies,
        ...(req.after ? { after: req.after } : {}),
      }),
  };
}

/**
 * What the core records once a reply that started a conversation is posted: an alert group's thread, and
 * the session an answer was kept under while its thread was not known yet (a Slack slash command during an
 * outage), so that "Not this one" works on the delivered answer.
 */
export function recordThread(stores: Pick<Stores, 'incidents' | 'sessions'>) {
  return async (after: AfterThread, to: Destination, platform: string): Promise<void> => {
    if (!to.thread) return;
    if (after.alertThread) await stores.incidents.setAlertThread(after.alertThread, to.thread);
    if (after.session) {
      const s = await stores.sessions.get(sessionKey({ platform, thread: after.session, user: '' }));
      if (s) await stores.sessions.set(sessionKey({ platform, thread: to.thread, user: '' }), s);
    }
  };
}

/**
 * An outbox in this process's memory, for a front end started on its own (tests, embedding): it retries
 * within the process but keeps nothing across a restart. `faultline start` passes the one on its store.
 */
export function localOutbox(
  config: DeliveryConfig,
  log: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>,
): Outbox {
  return new Outbox(new OutboxStore(new MemoryKeyValueStore()), config, log);
}
