import { ApprovalStore } from './approvals.js';
import { DedupeStore } from './dedupe.js';
import { FallbackKeyValueStore } from './fallback.js';
import { FeedbackStore } from './feedback.js';
import { IncidentStore } from './incidents.js';
import type { KeyValueStore, StoreUnreachableError } from './kv.js';
import { MemoryKeyValueStore } from './memory.js';
import type { RedisKeyValueStore, StoreHealth } from './redis.js';
import { SessionStore } from './sessions.js';

export type { StoreHealth } from './redis.js';

/** What the store layer reports, for logs, metrics and `/readyz`. */
export interface StoreObserver {
  /** The shared store went away or came back (told once per change, not per retry). */
  reachability(health: StoreHealth): void;
  /** Short-lived state was kept in this process because the shared store did not answer. */
  fellBack(operation: string, error: StoreUnreachableError): void;
}

/** The bot's state: small domain stores over the key-value seam. */
export interface Stores {
  sessions: SessionStore;
  dedupe: DedupeStore;
  feedback: FeedbackStore;
  approvals: ApprovalStore;
  /** Alert group threads and mutes (durable). */
  incidents: IncidentStore;
  /** Whether every replica's state is in one place (Redis), not only this process's. */
  readonly shared: boolean;
  health(): StoreHealth;
  observe(observer: StoreObserver): void;
  /** Closes every underlying key-value store once. */
  close(): Promise<void>;
}

const LOCAL: StoreHealth = { reachable: true, detail: 'this process' };

/**
 * Domain stores over `durable` (feedback, approvals) and `ephemeral` (sessions, dedupe). A shared store
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
    shared: false,
    health: () => LOCAL,
    observe: () => undefined,
    async close() {
      await durable.close();
      if (ephemeral !== durable) await ephemeral.close();
    },
  };
}

/**
 * Every replica's state in one Redis. Approvals, feedback (and the outbox) refuse while it is unreachable,
 * since guessing there would run a diagnostic twice or lose a verdict; dedupe and sessions fall back to
 * this process so that answers still go out.
 */
export function redisStores(redis: RedisKeyValueStore): Stores {
  const observers: StoreObserver[] = [];
  const ephemeral = new FallbackKeyValueStore(redis, (op, e) => observers.forEach((o) => o.fellBack(op, e)));
  return {
    ...storesOn(redis, ephemeral),
    shared: true,
    health: () => redis.health(),
    observe(o) {
      observers.push(o);
      redis.watch((h) => o.reachability(h));
    },
  };
}

/** Everything in this process's memory: tests, one-shot CLI commands, `store: memory`. */
export function memoryStores(): Stores {
  return storesOn(new MemoryKeyValueStore());
}
