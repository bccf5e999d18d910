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
  constructor(private readonly kv: KeyValueStore) {}

  async record(
    template: string,
    sample: string,
    nearest: { id: string; score: number }[],
    at: string,
  ): Promise<void> {
    if (!template) return;
    const key = keyIn('gap', createHash('sha256').update(template).digest('hex').slice(0, 24));
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
}
