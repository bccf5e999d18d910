/**
 * Every user-facing string of a reply, once. Renderers encode documents built from these; none of them
 * words anything itself, so Slack, Discord, the terminal and Markdown say the same thing the same way.
 */
export const WORDS = {
  noMatch: 'No guide fits this paste well enough.',
  nearest: 'Nearest guides',
  truncatedPaste: 'The paste was too large; only its start was read.',
  causes: 'Likely causes',
  checklist: 'Checklist',
  commands: 'Commands to try',
  meaning: 'What it means',
  fix: 'How to fix it',
  related: 'Related',
  alternatives: 'Other candidates',
  errorPrefix: 'Error',
  offers: 'Diagnostics you can run for this guide',
  needsApproval: 'needs approval',
  approvalNeeded: 'Approval needed',
  approve: 'Approve',
  reject: 'Reject',
  nextMatch: 'Not this one',
  helpful: 'Helpful',
  wrong: 'Wrong guide',
  noOutput: '(no output)',
  cutAtSource: 'The command printed more than its output cap; the output was cut at the source.',
  overflowTitle: 'More in the attached file',
} as const;

/** Said under an answer when the paste used up the regex time budget and some signatures did not run. */
export function skippedNote(n: number): string {
  return `This paste took too long to search: ${n} regex signature${n === 1 ? ' was' : 's were'} skipped, so a better guide may have been missed.`;
}

/** Signs before a reply's first line, as emoji every chat platform shows. */
export const ICONS = { warning: '⚠️', lock: '🔒', approved: '✅', rejected: '⛔' } as const;

export function pct(score: number): string {
  return `${Math.round(score * 100)}%`;
}

export function runLabel(catalogId: string): string {
  return `Run ${catalogId}`;
}

export function exitText(code: number | null): string {
  return code === 0 ? 'exit 0' : `exit ${code ?? 'unknown (stopped)'}`;
}

export function decisionWord(decision: 'approved' | 'rejected'): string {
  return decision === 'approved' ? 'Approved' : 'Rejected';
}

/** The one overflow rule's note: the message holds part of the reply, the attached file all of it. */
export function overflowNote(platform: string, fileName: string): string {
  return `This reply is longer than a ${platform} message; all of it is in the attached file \`${fileName}\`.`;
}
