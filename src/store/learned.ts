import { createHash, randomUUID } from 'node:crypto';
import type { LearnedExample } from '../match/learned.js';
import { keyIn, type KeyValueStore } from './kv.js';

/**
 * Corrections the bot learns from, kept without expiry in the durable store so that every replica sees
 * them. Ids are short and time-ordered, for `faultline learned remove ID`.
 */
export class LearnedStore {
  constructor(private readonly kv: KeyValueStore) {}

  async add(example: Omit<LearnedExample, 'id'>): Promise<LearnedExample> {
    const id = `${Date.parse(example.at).toString(36)}${randomUUID().slice(0, 4)}`;
    const full: LearnedExample = { id, ...example };
    await this.kv.set(keyIn('learned', id), full);
    return full;
  }

  async list(): Promise<LearnedExample[]> {
    const entries = await this.kv.list<LearnedExample>('learned');
    return entries.map((e) => e.value).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  /** True when there was such an example. */
  async remove(id: string): Promise<boolean> {
    return (await this.kv.take(keyIn('learned', id))) !== undefined;
  }
}

/** A paste no guide answered, grouped by its template. */
export interface Gap {
  template: string;
  count: number;
  /** The latest redacted paste of this template. */
  sample: string;
  firstSeen: string;
  lastSeen: string;
  /** The nearest guides when it was last seen, with their scores. */
  nearest: { id: string; score: number }[];
}

/**
 * Pastes that got "no guide fits" or "none of these", one record per template, so that the list of
 * guides to write next is a read of one namespace.
 */
export class GapStore {
  /**
   * The record under way per key: a read-then-write, so two pastes of one template at once (a log pasted
   * twice, an alert storm) would count once. Serialised here within a replica; replicas racing on the same
   * template within milliseconds can still lose one count, which a frequency ranking can bear.
   */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly kv: KeyValueStore) {}

  record(
    template: string,
    sample: string,
    nearest: { id: string; score: number }[],
    at: string,
  ): Promise<void> {
    if (!template) return Promise.resolve();
    const key = keyIn('gap', createHash('sha256').update(template).digest('hex').slice(0, 24));
    const before = this.pending.get(key) ?? Promise.resolve();
    const mine = before.then(() => this.write(key, template, sample, nearest, at));
    const settled = mine.catch(() => undefined);
    this.pending.set(key, settled);
    void settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
    return mine;
  }

  private async write(
    key: string,
    template: string,
    sample: string,
    nearest: { id: string; score: number }[],
    at: string,
  ): Promise<void> {
    const old = await this.kv.get<Gap>(key);
    await this.kv.set(key, {
      template,
      count: (old?.count ?? 0) + 1,
      sample,
      firstSeen: old?.firstSeen ?? at,
      lastSeen: at,
      nearest,
    } satisfies Gap);
  }

  async list(): Promise<Gap[]> {
    return (await this.kv.list<Gap>('gap')).map((e) => e.value);
  }

  /**
   * True for the one caller (of every replica) that is to post the digest of `slot`; kept a little
   * longer than a week, so that a restart within the week does not post it again.
   */
  claimDigest(slot: string, at: string): Promise<boolean> {
    return this.kv.setIfAbsent(keyIn('gap-digest', slot), at, { ttlMs: DIGEST_CLAIM_TTL_MS });
  }

  /** Gives the slot back when its digest could not be queued, so that the next attempt can post it. */
  releaseDigest(slot: string): Promise<void> {
    return this.kv.delete(keyIn('gap-digest', slot));
  }
}

const DIGEST_CLAIM_TTL_MS = 8 * 24 * 60 * 60 * 1000;

/** The gaps newest first among the most frequent: clusters by count, then by when last seen. */
export function rankGaps(gaps: Gap[], sinceMs: number | undefined, now = Date.now()): Gap[] {
  return gaps
    .filter((g) => sinceMs === undefined || now - Date.parse(g.lastSeen) <= sinceMs)
    .sort((a, b) => b.count - a.count || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
}
