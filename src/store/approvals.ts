import type { ApprovalStore, PendingApproval } from '../policy/approvals.js';
import type { Store } from './store.js';

const NS = 'pending-approval';

/**
 * Pending approvals kept in the bot's `Store`, so that with the file store they survive a restart (an
 * approval asked for before a deploy can still be given after it) and replicas sharing a store share them.
 */
export class StoreApprovalStore implements ApprovalStore {
  constructor(private readonly store: Store) {}

  put(p: PendingApproval): Promise<void> {
    return this.store.setValue(NS, p.id, p);
  }
  get(id: string): Promise<PendingApproval | undefined> {
    return this.store.getValue<PendingApproval>(NS, id);
  }
  take(id: string): Promise<PendingApproval | undefined> {
    return this.store.takeValue<PendingApproval>(NS, id);
  }
  list(): Promise<PendingApproval[]> {
    return this.store.listValues<PendingApproval>(NS);
  }
}
