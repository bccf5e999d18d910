import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
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
  /** Removes and returns in one step, so that two callers racing for a value cannot both get it. */
  takeValue<T>(ns: string, key: string): Promise<T | undefined>;
  listValues<T>(ns: string): Promise<T[]>;
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
    const v = this.values.get(`${ns}\u0000${key}`) as T | undefined;
    return v === undefined ? undefined : structuredClone(v);
  }
  async setValue<T>(ns: string, key: string, value: T | undefined): Promise<void> {
    if (value === undefined) this.values.delete(`${ns}\u0000${key}`);
    else this.values.set(`${ns}\u0000${key}`, structuredClone(value));
  }
  async takeValue<T>(ns: string, key: string): Promise<T | undefined> {
    const v = this.values.get(`${ns}\u0000${key}`) as T | undefined;
    if (v !== undefined) await this.setValue(ns, key, undefined);
    return v;
  }
  async listValues<T>(ns: string): Promise<T[]> {
    const prefix = `${ns}\u0000`;
    return [...this.values].filter(([k]) => k.startsWith(prefix)).map(([, v]) => structuredClone(v) as T);
  }
}

/** Appends one JSON line and fsyncs it before returning: what was accepted survives a crash. */
function appendDurably(file: string, record: unknown): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    appendFileSync(fd, JSON.stringify(record) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The complete JSON lines of a file; a torn last line from a crash mid-write is skipped. */
function readJsonLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  const out: unknown[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // torn line: the complete lines before it still count
    }
  }
  return out;
}

/**
 * Memory store that also keeps, in `dir`, what must outlive the process: feedback (`feedback.jsonl`) and
 * values such as pending approvals (`values.jsonl`, a log of sets and deletes replayed and compacted at
 * start). Every write is fsynced before it is acknowledged. Dedupe keys and sessions stay in memory:
 * losing them on a restart costs at most a repeated answer.
 */
export class FileStore extends MemoryStore {
  private readonly feedbackFile: string;
  private readonly valuesFile: string;

  constructor(dir: string) {
    super();
    mkdirSync(dir, { recursive: true });
    this.feedbackFile = path.join(dir, 'feedback.jsonl');
    this.valuesFile = path.join(dir, 'values.jsonl');
    for (const f of readJsonLines(this.feedbackFile)) this.feedback.push(f as Feedback);
    const live = new Map<string, { ns: string; key: string; value: unknown }>();
    for (const r of readJsonLines(this.valuesFile) as { ns: string; key: string; value?: unknown }[]) {
      const id = `${r.ns}\u0000${r.key}`;
      if (r.value === undefined || r.value === null) live.delete(id);
      else live.set(id, { ns: r.ns, key: r.key, value: r.value });
    }
    for (const { ns, key, value } of live.values()) void super.setValue(ns, key, value);
    // Compact: rewrite only the live values, then swap the file in atomically.
    const tmp = `${this.valuesFile}.tmp`;
    writeFileSync(tmp, [...live.values()].map((r) => JSON.stringify(r) + '\n').join(''), { mode: 0o600 });
    renameSync(tmp, this.valuesFile);
  }

  override async addFeedback(f: Feedback): Promise<void> {
    appendDurably(this.feedbackFile, f);
    await super.addFeedback(f);
  }

  override async setValue<T>(ns: string, key: string, value: T | undefined): Promise<void> {
    appendDurably(this.valuesFile, { ns, key, value: value ?? null });
    await super.setValue(ns, key, value);
  }
}
