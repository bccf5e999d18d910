import { randomUUID } from 'node:crypto';
import { keyIn, type KeyValueStore } from './kv.js';

export interface Feedback {
  at: string;
  platform: string;
  user: string;
  /** sha256 of the paste: feedback is kept without the pasted text, which may hold secrets. */
  pasteHash: string;
  guideId: string;
  verdict: 'helpful' | 'wrong';
}

/** Verdicts on answers; kept without expiry, since they are what the knowledge base learns from. */
export class FeedbackStore {
  constructor(private readonly kv: KeyValueStore) {}

  add(f: Feedback): Promise<void> {
    // Time first, so that keys sort in the order the verdicts were given.
    return this.kv.set(keyIn('feedback', `${f.at}:${randomUUID()}`), f);
  }

  async list(): Promise<Feedback[]> {
    const entries = await this.kv.list<Feedback>('feedback');
    return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((e) => e.value);
  }
}
