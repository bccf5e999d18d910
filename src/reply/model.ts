import type { Guide } from '../knowledge/schema.js';
import type { Match } from '../match/engine.js';

/** Something the user can do next; each front end renders these as buttons, commands or hints. */
export type ReplyAction =
  | { kind: 'next-match'; label: string }
  /** Keeps passive listening out of this thread for a while. */
  | { kind: 'mute'; label: string }
  | { kind: 'feedback'; verdict: 'helpful' | 'wrong'; guideId: string; label: string }
  | { kind: 'run-diagnostic'; catalogId: string; params: Record<string, string | number>; label: string };

export interface GuideView {
  id: string;
  title: string;
  summary: string;
  meaning: string;
  causes: string[];
  checklist: string[];
  commands: string[];
  fix: string;
  faq: { question: string; answer: string }[];
  related: { id: string; title: string }[];
}

/** The platform-neutral answer; renderers turn it into terminal text, Markdown, Block Kit or embeds. */
export type Reply =
  | {
      kind: 'guide';
      guide: GuideView;
      score: number;
      evidence: Match['evidence'];
      /** Position of this match in the ranked list (0 = best). */
      rank: number;
      alternatives: { id: string; title: string; score: number }[];
      truncatedInput: boolean;
      /** Regex signatures skipped because the paste used up the regex time budget: the answer may miss. */
      skippedSignatures?: number;
      actions: ReplyAction[];
    }
  | {
      kind: 'no-match';
      nearest: { id: string; title: string; score: number }[];
      truncatedInput: boolean;
      skippedSignatures?: number;
    }
  | { kind: 'text'; text: string }
  | { kind: 'error'; text: string };

export function guideView(guide: Guide, all: ReadonlyMap<string, Guide>): GuideView {
  return {
    id: guide.id,
    title: guide.title,
    summary: guide.summary,
    meaning: guide.sections['What it means'],
    causes: guide.causes,
    checklist: guide.checklist,
    commands: guide.commands,
    fix: guide.sections['How to fix it'],
    faq: guide.faq,
    related: guide.related.map((id) => ({ id, title: all.get(id)?.title ?? id })),
  };
}
