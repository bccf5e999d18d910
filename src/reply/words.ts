/**
 * Every user-facing string of a reply, once. Renderers encode documents built from these; none of them
 * words anything itself, so Slack, Discord, the terminal and Markdown say the same thing the same way.
 */
export const WORDS = {
  noMatch: 'No guide fits this paste well enough.',
  nearest: 'Nearest guides (none is close enough to be an answer)',
  nearestScore: (score: number, threshold: number | undefined) =>
    threshold === undefined
      ? `resemblance ${pct(score)}`
      : `resemblance ${pct(score)}; an answer needs ${pct(threshold)}`,
  truncatedPaste: (bytes?: { read: number; total: number }) =>
    bytes
      ? `The paste was too large: read ${size(bytes.read)} of ${size(bytes.total)}, its start and its end (where a log's error usually is).`
      : "The paste was too large: read its start and its end (where a log's error usually is).",
  causes: 'Likely causes',
  checklist: 'Checklist',
  commands: 'Commands to try',
  meaning: 'What it means',
  fix: 'How to fix it',
  diagnose: 'How to diagnose it',
  commandsOn: (os: string) => `Commands to try on ${os}`,
  moreCauses: (n: number) => `…and ${n} more in the full guide`,
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
  chooseQuestion: 'Which guide fits this paste?',
  chooseHow:
    'Answer with its number, a guide id, or none: the next paste like this one gets your choice first.',
  noneOfThese: 'None of these',
  answeredBy: 'Answered by',
  builtinGuide: 'built-in',
  teamGuide: 'team folder',
  pickGuide: 'Pick the right guide',
  searchGuides: 'Search every guide',
  gapsTitle: (days: number) => `Pastes no guide answered in the last ${days} days`,
  gapsNone: (days: number) => `No paste went unanswered in the last ${days} days.`,
  gapLine: (count: number, lastSeen: string, nearest: { id: string; score: number }[]) =>
    `${count}× · last ${lastSeen.slice(0, 10)} · nearest: ${
      nearest.map((n) => `${n.id} ${pct(n.score)}`).join(', ') || 'none'
    }`,
  gapsMore: (n: number) => `…and ${n} more: `,
  gapsCommand: (days: number) => `faultline gaps --since ${days}d`,
  gapsHow: ['Each one is a guide to write: ', ' starts one from a saved paste.'] as const,
  newGuideCommand: 'faultline new ID --from FILE',
} as const;

/** Said under an answer when the paste used up the regex time budget and some signatures did not run. */
export function skippedNote(n: number): string {
  return `This paste took too long to search: ${n} regex signature${n === 1 ? ' was' : 's were'} skipped, so a better guide may have been missed.`;
}

/** Signs before a reply's first line, as emoji every chat platform shows. */
export const ICONS = { warning: '⚠️', lock: '🔒', approved: '✅', rejected: '⛔' } as const;

/** Bytes for people: 812 B, 256 KB, 1.4 MB. */
export function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function pct(score: number): string {
  return `${Math.round(score * 100)}%`;
}

export function runLabel(catalogId: string): string {
  return `Run ${catalogId}`;
}

/** The typed form of a run, as `parseRunCommand` in the bot reads it. */
export function runCommandText(catalogId: string, host: string, params: Record<string, string> = {}): string {
  const given = Object.entries(params).map(([k, v]) => ` ${k}=${v}`);
  return `run ${catalogId} on ${host}${given.join('')}`;
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

/** What only the terminal says: its greeting, its own commands, and its way of offering actions. */
export const TERMINAL_WORDS = {
  greeting:
    'faultline: paste an error; it is read when the paste ends (a short pause, two empty lines or Ctrl-D). "help" lists the commands, "quit" or Ctrl-D on an empty line leaves.',
  help: [
    'In this terminal also:',
    '`approve <request-id>` / `reject <request-id>`: decide a run that waits for a second person',
    '`quit` (or Ctrl-D on an empty line): leave',
    'A paste is read when it ends: the terminal marks pastes where it can; otherwise two empty lines, a short pause or Ctrl-D end it.',
  ].join('\n'),
  next: '`more`: the next candidate',
  full: '`full`: this guide in full',
  feedback: '`helpful` / `wrong`: rate this answer',
  runs: 'To run one:',
  approveHow: (requestId: string) =>
    `Another authorised person approves with \`approve ${requestId}\` (or \`reject ${requestId}\`) from a faultline chat running as their own user on the same store.`,
} as const;
