import type { Reply } from '../reply/model.js';

/** Who is asking, as the policy sees it: a platform user in a channel, with the roles the platform reports. */
export interface Requester {
  platform: string;
  user: string;
  channel: string;
  roles?: string[];
}

export interface OfferParam {
  name: string;
  description?: string;
  /** A value the guide suggests (pre-filled in a form). */
  suggested?: string;
  /** For enum parameters: the allowed values. */
  choices?: string[];
}

/** A catalog entry a guide proposes, restricted to the hosts the requester may run it on. */
export interface DiagnosticOffer {
  catalogId: string;
  description: string;
  hosts: string[];
  params: OfferParam[];
  needsApproval: boolean;
}

export type DiagnosticOutcome =
  | { kind: 'denied'; reason: string }
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'needs-approval';
      requestId: string;
      catalogId: string;
      host: string;
      params: Record<string, string>;
      requester: string;
      /** The exact command line, so the approver sees what will run. */
      command?: string;
    }
  | {
      kind: 'result';
      requestId?: string;
      catalogId: string;
      host: string;
      params: Record<string, string>;
      exitCode: number | null;
      /** The whole output, already redacted by the diagnostics service. */
      output: string;
      /** The part for a chat message when the service already cut it (with `trimmed`); else the bot cuts. */
      shown?: string;
      trimmed?: boolean;
      /** The command's output was longer than its cap and was cut at the source. */
      truncated: boolean;
      keep?: 'head' | 'tail';
      summary?: string;
      approvedBy?: string;
    }
  | { kind: 'error'; reason: string };

/**
 * What the conversation needs from the diagnostics work: offers, requests through policy, approvals.
 * The real implementation wraps `DiagnosticsService`; tests may pass their own.
 */
export interface DiagnosticsPort {
  offers(
    who: Requester,
    wanted: readonly { id: string; params: Record<string, string | number> }[],
  ): Promise<DiagnosticOffer[]>;
  request(
    who: Requester,
    catalogId: string,
    host: string,
    params: Record<string, string | number>,
  ): Promise<DiagnosticOutcome>;
  /** Approves a pending request; the port refuses the requester and anyone not authorised. */
  approve(approver: Requester, requestId: string): Promise<DiagnosticOutcome>;
  /** Rejects a pending request (an authorised approver, or the requester withdrawing it). */
  reject(approver: Requester, requestId: string): Promise<{ ok: boolean; reason?: string }>;
}

/** Replies of the diagnostic flow, beside the core `Reply`s. Front ends render both. */
export type DiagnosticReply =
  | { kind: 'diagnostic-offers'; guideId: string; offers: DiagnosticOffer[] }
  | {
      kind: 'approval-request';
      requestId: string;
      requester: string;
      catalogId: string;
      host: string;
      params: Record<string, string>;
      command?: string;
    }
  | {
      kind: 'diagnostic-result';
      catalogId: string;
      host: string;
      params: Record<string, string>;
      exitCode: number | null;
      /** What the thread shows: at most `SHOWN_LINES` lines / `SHOWN_CHARS` characters. */
      shown: string;
      /** The whole (redacted) output when `shown` is a part of it; front ends attach it as a file. */
      full?: string;
      truncatedAtSource: boolean;
      summary?: string;
      requester: string;
      approvedBy?: string;
    };

export type BotReply = Reply | DiagnosticReply;

export const SHOWN_LINES = 40;
export const SHOWN_CHARS = 2500;

/** Cuts output for the thread, keeping the head or the tail; the full text goes along when it was cut. */
export function trimOutput(output: string, keep: 'head' | 'tail' = 'head'): { shown: string; full?: string } {
  const lines = output.replace(/\s+$/, '').split('\n');
  let picked = keep === 'head' ? lines.slice(0, SHOWN_LINES) : lines.slice(-SHOWN_LINES);
  let text = picked.join('\n');
  if (text.length > SHOWN_CHARS)
    text = keep === 'head' ? text.slice(0, SHOWN_CHARS) : text.slice(-SHOWN_CHARS);
  if (text.length === output.replace(/\s+$/, '').length) return { shown: text };
  picked = text.split('\n');
  const note = `[${keep === 'head' ? 'first' : 'last'} ${picked.length} of ${lines.length} lines; the full output is attached]`;
  return { shown: keep === 'head' ? `${text}\n${note}` : `${note}\n${text}`, full: output };
}
