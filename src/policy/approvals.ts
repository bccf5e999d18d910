import type { Principal } from './policy.js';

/** Where a request was made, so that its result and the decision on it go back there. */
export interface Origin {
  platform: string;
  channel: string;
  thread: string;
}

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
  /** Absent for requests made outside a conversation (`faultline run`). */
  origin?: Origin;
}
