import type { BotReply } from '../bot/diagnostics.js';
import { keyIn, type KeyValueStore } from './kv.js';

/** Where a platform message goes, in the core's terms: a channel, and the conversation in it if one exists. */
export interface Destination {
  channel: string;
  /** The conversation key (what inbound events carry); absent: the first reply starts a conversation. */
  thread?: string;
  /** The message being answered, where a platform shows the answer as a reply to it (Discord DMs). */
  replyTo?: string;
  /**
   * The conversation the reply's buttons belong to when it is posted outside it: a Discord command's answer
   * that its interaction could not take, posted in the channel instead.
   */
  conversation?: string;
}

/** What the core does once a reply that started a conversation is posted and its key is known. */
export interface AfterThread {
  /** Remember the conversation as this alert group's thread (`IncidentStore.setAlertThread`). */
  alertThread?: string;
  /** The conversation key the answer's session was kept under until the real one was known. */
  session?: string;
}

/** One answer waiting to be delivered: the replies for a conversation, and how far delivery got. */
export interface OutboxEntry {
  /** The idempotency key (at most 20 characters); reply `i` goes out as `<key>.<i>`. */
  key: string;
  platform: string;
  to: Destination;
  replies: BotReply[];
  /** Replies the platform confirmed, in order; the next one to send is `replies[sent]`. */
  sent: number;
  /** When the event arrived (ms since the epoch): `delivery.maxAgeMinutes` counts from here. */
  createdAt: number;
  attempts: number;
  /** Not to be tried before this time (ms since the epoch). */
  nextAt: number;
  /** The last failure may have posted `replies[sent]` (a timeout, a reset, a 5xx): look before resending. */
  uncertain?: boolean;
  lastError?: string;
  after?: AfterThread;
}

/** A claim on an entry: while it lasts no other replica sends that entry. */
export interface Lease {
  key: string;
  token: string;
}

/**
 * The durable outbox over the key-value seam: `outbox:<key>` holds an entry, `outbox-lease:<key>` the
 * replica sending it (`setIfAbsent` with a TTL, so a replica that died lets go when the lease ends). Entries
 * expire on their own a while after `delivery.maxAgeMinutes`, so a store nobody delivers from stays bounded.
 */
export class OutboxStore {
  constructor(private readonly kv: KeyValueStore) {}

  /** Writes `entry` unless one with its key is already kept; true when this call wrote it. */
  add(entry: OutboxEntry, keepMs: number): Promise<boolean> {
    return this.kv.setIfAbsent(keyIn('outbox', entry.key), entry, { ttlMs: keepMs });
  }

  get(key: string): Promise<OutboxEntry | undefined> {
    return this.kv.get<OutboxEntry>(keyIn('outbox', key));
  }

  save(entry: OutboxEntry, keepMs: number): Promise<void> {
    return this.kv.set(keyIn('outbox', entry.key), entry, { ttlMs: keepMs });
  }

  async all(): Promise<OutboxEntry[]> {
    return (await this.kv.list<OutboxEntry>('outbox')).map((e) => e.value);
  }

  remove(key: string): Promise<void> {
    return this.kv.delete(keyIn('outbox', key));
  }

  /** The lease on `key` for `ms`, or undefined while another replica holds it. */
  async claim(key: string, token: string, ms: number): Promise<Lease | undefined> {
    return (await this.kv.setIfAbsent(keyIn('outbox-lease', key), token, { ttlMs: ms }))
      ? { key, token }
      : undefined;
  }

  /**
   * Lets go of a lease this replica holds. A lease that ran out and was taken over is left to its new
   * holder (checked, then deleted: the window between is a few milliseconds of one store round trip).
   */
  async release(lease: Lease): Promise<void> {
    const holder = await this.kv.get<string>(keyIn('outbox-lease', lease.key));
    if (holder === lease.token) await this.kv.delete(keyIn('outbox-lease', lease.key));
  }
}
