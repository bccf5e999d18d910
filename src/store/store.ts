import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface Feedback {
  at: string;
  platform: string;
  user: string;
  /** sha256 of the paste: feedback is kept without the pasted text, which may hold secrets. */
  pasteHash: string;
  guideId: string;
  verdict: 'helpful' | 'wrong';
}

/** What a conversation remembers between messages: the ranked matches and which one is shown. */
export interface Session {
  pasteHash: string;
  matchIds: string[];
  scores: number[];
  shown: number;
  evidence: { line: number; text: string; signature: string | undefined }[];
  truncatedInput: boolean;
}

/**
 * The bot's state, behind one small interface so several replicas can later share one store (Redis, a
 * database). Every method is async for that reason even where the local implementation is not.
 */
export interface Store {
  /** Records `key`; true the first time, false for a repeat within `ttlMs` (duplicate deliveries). */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
  addFeedback(f: Feedback): Promise<void>;
  listFeedback(): Promise<Feedback[]>;
  getSession(key: string): Promise<Session | undefined>;
  setSession(key: string, s: Session): Promise<void>;
  getValue<T>(ns: string, key: string): Promise<T | undefined>;
  setValue<T>(ns: string, key: string, value: T | undefined): Promise<void>;
}

const MAX_KEYS = 50_000;

/** In-process state: dedupe keys expire, sessions are capped (oldest dropped first). */
export class MemoryStore implements Store {
  private seen = new Map<string, number>();
  private sessions = new Map<string, Session>();
  private values = new Map<string, unknown>();
  protected feedback: Feedback[] = [];

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < ttlMs) return false;
    this.seen.set(key, now);
    if (this.seen.size > MAX_KEYS) {
      for (const [k, t] of this.seen) if (now - t >= ttlMs || this.seen.size > MAX_KEYS) this.seen.delete(k);
    }
    return true;
  }
  async addFeedback(f: Feedback): Promise<void> {
    this.feedback.push(f);
  }
  async listFeedback(): Promise<Feedback[]> {
    return [...this.feedback];
  }
  async getSession(key: string): Promise<Session | undefined> {
    return this.sessions.get(key);
  }
  async setSession(key: string, s: Session): Promise<void> {
    this.sessions.delete(key);
    this.sessions.set(key, s);
    if (this.sessions.size > MAX_KEYS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }
  async getValue<T>(ns: string, key: string): Promise<T | undefined> {
    return this.values.get(`${ns}\u0000${key}`) as T | undefined;
  }
  async setValue<T>(ns: string, key: string, value: T | undefined): Promise<void> {
    if (value === undefined) this.values.delete(`${ns}\u0000${key}`);
    else this.values.set(`${ns}\u0000${key}`, value);
  }
}

/**
 * Memory store whose feedback is also appended to `feedback.jsonl` and fsynced: feedback a user gave is
 * never lost to a crash. Dedupe keys and sessions are short-lived and stay in memory.
 */
export class FileStore extends MemoryStore {
  private readonly feedbackFile: string;

  constructor(dir: string) {
    super();
    mkdirSync(dir, { recursive: true });
    this.feedbackFile = path.join(dir, 'feedback.jsonl');
    if (existsSync(this.feedbackFile)) {
      for (const line of readFileSync(this.feedbackFile, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          this.feedback.push(JSON.parse(line) as Feedback);
        } catch {
          // A torn last line from a crash mid-write: the complete lines before it still count.
        }
      }
    }
  }

  override async addFeedback(f: Feedback): Promise<void> {
    const fd = openSync(this.feedbackFile, 'a');
    try {
      appendFileSync(fd, JSON.stringify(f) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await super.addFeedback(f);
  }
}
