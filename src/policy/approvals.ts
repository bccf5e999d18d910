import type { Principal } from './policy.js';

/** A run that waits for a second authorised person. Plain data, so a store can persist it as JSON. */
export interface PendingApproval {
  id: string;
  createdAt: string;
  expiresAt: string;
  requester: Principal;
  catalogId: string;
  /** Host names, resolved when the request was made so that approving means approving these hosts. */
  hosts: string[];
  /** Validated, canonical parameter values. */
  params: Record<string, string>;
  /** The exact command strings, so the approver sees what will run. */
  commands: Record<string, string>;
}

/**
 * Where pending approvals live. `take` removes and returns in one step so an approval cannot be used
 * twice, even by two approvers clicking at once.
 */
export interface ApprovalStore {
  put(p: PendingApproval): Promise<void>;
  get(id: string): Promise<PendingApproval | undefined>;
  take(id: string): Promise<PendingApproval | undefined>;
  list(): Promise<PendingApproval[]>;
}

export class MemoryApprovalStore implements ApprovalStore {
  private readonly items = new Map<string, PendingApproval>();

  async put(p: PendingApproval): Promise<void> {
    this.items.set(p.id, structuredClone(p));
  }

  async get(id: string): Promise<PendingApproval | undefined> {
    const p = this.items.get(id);
    return p && structuredClone(p);
  }

  async take(id: string): Promise<PendingApproval | undefined> {
    const p = this.items.get(id);
    this.items.delete(id);
    return p;
  }

  async list(): Promise<PendingApproval[]> {
    return [...this.items.values()].map((p) => structuredClone(p));
  }
}
