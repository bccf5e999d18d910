import { ApprovalStore } from './approvals.js';
import { DedupeStore } from './dedupe.js';
import { FeedbackStore } from './feedback.js';
import { IncidentStore } from './incidents.js';
import { GapStore, LearnedStore } from './learned.js';
import type { KeyValueStore } from './kv.js';
import { MemoryKeyValueStore } from './memory.js';
import { SessionStore } from './sessions.js';

/** The bot's state: small domain stores over the key-value seam. */
export interface Stores {
  sessions: SessionStore;
  dedupe: DedupeStore;
  feedback: FeedbackStore;
  approvals: ApprovalStore;
  /** Alert group threads and mutes (durable). */
  incidents: IncidentStore;
  /** Corrections the matching learns from. */
  learned: LearnedStore;
  /** Pastes no guide answered, by template. */
  gaps: GapStore;
  /** Closes every underlying key-value store once. */
  close(): Promise<void>;
}

/**
 * Domain stores over `durable` (feedback, approvals, learned examples, gaps) and `ephemeral` (sessions, dedupe). A shared store
 * passes itself for both. The file store passes a memory store as `ephemeral`: sessions hold lines of the
 * paste, which may carry secrets and are not worth a disk write per message.
 */
export function storesOn(durable: KeyValueStore, ephemeral: KeyValueStore = durable): Stores {
  return {
    sessions: new SessionStore(ephemeral),
    dedupe: new DedupeStore(ephemeral),
    feedback: new FeedbackStore(durable),
    approvals: new ApprovalStore(durable),
    incidents: new IncidentStore(durable),
    learned: new LearnedStore(durable),
    gaps: new GapStore(durable),
    async close() {
      await durable.close();
      if (ephemeral !== durable) await ephemeral.close();
    },
  };
}

/** Everything in this process's memory: tests, one-shot CLI commands, `store: memory`. */
export function memoryStores(): Stores {
  return storesOn(new MemoryKeyValueStore());
}
