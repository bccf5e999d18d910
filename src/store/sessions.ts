import type { PasteNames } from '../reply/fill.js';
import { keyIn, type KeyValueStore } from './kv.js';

/** What a conversation remembers between messages: the ranked matches and which one is shown. */
export interface Session {
  pasteHash: string;
  matchIds: string[];
  scores: number[];
  shown: number;
  evidence: { line: number; text: string; signature: string | undefined; at?: [number, number] }[];
  /** What the paste names (pod, host, port, ...), to fill the guide's commands with. */
  names?: PasteNames;
  /** How much of a cut paste was read, of how much (bytes). */
  inputBytes?: { read: number; total: number };
  truncatedInput: boolean;
  /** Regex signatures the paste's regex budget left unrun (absent in sessions stored before it was kept). */
  skippedSignatures?: number;
  /** The paste's redacted error lines and template: what a correction of this answer is kept as. */
  shape?: { template: string; sample: string };
  /** The nearest guides when nothing fitted, for the record of what went unanswered. */
  nearest?: { id: string; score: number }[];
  /** Guides offered after "wrong", in order: a reply of their number (or an id, or "none") picks one. */
  choosing?: string[];
}

/** A week: long enough for "more" the morning after an incident, short enough that stale pastes go. */
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class SessionStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  get(conversation: string): Promise<Session | undefined> {
    return this.kv.get<Session>(keyIn('session', conversation));
  }

  set(conversation: string, session: Session): Promise<void> {
    return this.kv.set(keyIn('session', conversation), session, { ttlMs: this.ttlMs });
  }
}
