import { guideSource, type GuideSource } from '../knowledge/paths.js';
import type { Guide } from '../knowledge/schema.js';
import type { Match } from '../match/engine.js';
import type { Gap } from '../store/learned.js';
import { commandOs, type OsName } from './fill.js';

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
  /**
   * Filled with what the paste names where the bot knew it; each labelled when it is for one OS. `filled`:
   * it carries text from the paste, so it is echoed like a paste, not shown as the guide wrote it.
   */
  commands: { text: string; os?: OsName; filled?: true }[];
  diagnose: string;
  fix: string;
  faq: { question: string; answer: string }[];
  related: { id: string; title: string }[];
  /** The file that answered (built-in or a team folder) and its content hash. */
  source: GuideSource;
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
      /** How much of a cut paste was read, of how much (bytes). */
      inputBytes?: { read: number; total: number };
      actions: ReplyAction[];
      /**
       * `full`: the whole guide for this match (`full` said after an answer); `page`: one guide in full,
       * asked for by id (`show ID`), so no match line and no other candidates.
       */
      view?: 'full' | 'page';
    }
  | {
      kind: 'no-match';
      nearest: { id: string; title: string; score: number }[];
      truncatedInput: boolean;
      inputBytes?: { read: number; total: number };
      /** The score a guide needs to be an answer, so the nearest one's score reads against it. */
      threshold?: number;
      skippedSignatures?: number;
    }
  | {
      /**
       * After "wrong": which guide fits? The nearest candidates in order, a search over every guide where
       * the platform has one, and "none of these". `wrong` is the guide that was rejected.
       */
      kind: 'choose-guide';
      wrong?: string;
      choices: { id: string; title: string }[];
    }
  | {
      /** The week's pastes no guide answered, posted to a channel (`learning.digest`). */
      kind: 'gaps-digest';
      /** How far back it looks. */
      days: number;
      gaps: Pick<Gap, 'template' | 'count' | 'sample' | 'lastSeen' | 'nearest'>[];
      /** Templates seen in that time that the digest does not list. */
      more: number;
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
    commands: guide.commands.map((text) => {
      const os = commandOs(text);
      return os ? { text, os } : { text };
    }),
    diagnose: guide.sections['How to diagnose it'],
    fix: guide.sections['How to fix it'],
    faq: guide.faq,
    related: guide.related.map((id) => ({ id, title: all.get(id)?.title ?? id })),
    source: guideSource(guide.source),
  };
}
