import type { PendingApproval } from '../policy/approvals.js';
import { keyIn, type KeyValueStore } from './kv.js';

/** The namespace keeps the name of the file store's first release, so approvals written then still load. */
const NS = 'pending-approval';

/**
 * Pending approvals, each expiring at its `expiresAt`. In the file store they survive a restart (an approval
 * asked for before a deploy can still be given after it); replicas sharing a store share them.
 */
export class ApprovalStore {
  constructor(private readonly kv: KeyValueStore) {}

  /**
   * `lifetimeMs` is the approval's lifetime; the record is kept a minute longer so that a late click is told
   * "expired" rather than "unknown". (The service's clock decides expiry; the store's only tidies up.)
   */
  put(p: PendingApproval, lifetimeMs: number): Promise<void> {
    return this.kv.set(keyIn(NS, p.id), p, { ttlMs: lifetimeMs + 60_000 });
  }
  get(id: string): Promise<PendingApproval | undefined> {
    return this.kv.get<PendingApproval>(keyIn(NS, id));
  }
  /** Removes and returns in one step, so an approval cannot be used twice, even by two clicks at once. */
  take(id: string): Promise<PendingApproval | undefined> {
    return this.kv.take<PendingApproval>(keyIn(NS, id));
  }
  async list(): Promise<PendingApproval[]> {
    return (await this.kv.list<PendingApproval>(NS)).map((e) => e.value);
  }
}
