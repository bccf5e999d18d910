/**
 * Real pastes as evidence: labelled examples (a paste's error-line words and the guide it belongs to, or
 * none) shipped with a knowledge folder in `examples.jsonl`, and a word model learned from them. Signatures
 * and a guide's own words decide; the model only confirms a guide the engine already ranks first just under
 * the threshold, or quiets a weak answer on a paste that reads like the examples no guide owns. Pure and
 * synchronous.
 */
import { cleanPaste, maskVolatile, tokens, type CleanedPaste } from './clean.js';
import { looksLikeError } from './errorish.js';
import { GENERIC, STOPWORDS, type IndexableGuide } from './match-index.js';

/** The file a knowledge folder keeps its examples in, beside its guides. */
export const EXAMPLES_FILE = 'examples.jsonl';

/** One labelled paste, reduced to the words of its error lines. */
export interface PasteExample {
  /** The guide the paste belongs to; null for a paste that no guide owns. */
  guide: string | null;
  /** Distinct words of its error lines (`exampleWords`), in first-seen order. */
  words: string[];
}

/** At most this many error lines describe a paste: the first ones carry the root symptom. */
const EXAMPLE_LINES = 8;

/**
 * The words a paste is compared by: its error lines (the first lines when none reads like an error),
 * without commands typed at a prompt, volatile tokens masked, and without the words every runtime prints
 * (`GENERIC`, `STOPWORDS`) or long numbers. Short numbers stay: a status or errno says much.
 */
export function exampleWordsOf(paste: CleanedPaste): string[] {
  return exampleLinesOf(paste).words;
}

/** `exampleWordsOf`, and whether they came from lines that read like errors. */
export function exampleLinesOf(paste: CleanedPaste): { words: string[]; fromErrors: boolean; lines: number } {
  const lines: string[] = [];
  const other: string[] = [];
  paste.lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || paste.command[i]) return;
    if (looksLikeError(line)) lines.push(line);
    else other.push(line);
  });
  const chosen = (lines.length ? lines : other.slice(0, 3)).slice(0, EXAMPLE_LINES);
  const out = new Set<string>();
  for (const line of chosen)
    for (const t of tokens(maskVolatile(line.toLowerCase()))) if (isEvidenceWord(t)) out.add(t);
  return { words: [...out], fromErrors: lines.length > 0, lines: lines.length + other.length };
}

export function exampleWords(text: string, maxBytes = 256 * 1024): string[] {
  return exampleWordsOf(cleanPaste(text, maxBytes));
}

function isEvidenceWord(t: string): boolean {
  return t.length >= 2 && !STOPWORDS.has(t) && !GENERIC.has(t) && !(/^\d+$/.test(t) && t.length > 4);
}

/** How the examples weigh; kept together so docs/matching.md can refer to one place. */
export const EXAMPLE_TUNING = {
  /** Additive smoothing of the word counts (0.3-0.5 kept the fresh pastes' negatives quiet; 0.1-0.2 did not). */
  alpha: 0.3,
  /** A guide's own text (title, aliases, signatures) counts as one more example of it. */
  guideTextExamples: 1,
  /** The model's first label must have at least this posterior to confirm a guide. */
  agree: 0.5,
  /** A guide the engine ranks first at or above this (its cap without evidence of its own)... */
  confirmFrom: 0.45,
  /** ...or at or above this when the model is this sure of it (and always when a hint put it first)... */
  confirmWeakFrom: 0.2,
  sure: 0.9,
  /** ...and the model names too, scores this. */
  confirmed: 0.55,
  /** Without a line that reads like an error, only a description this short (a sentence or two) is confirmed. */
  describedLines: 3,
  /**
   * A guide ranked at most this far down with at least `preferFrom`, that the model gives `preferSure`,
   * answers (at `confirmed`) instead of a weak answer (under `quietBelow`, no signature) or of none.
   */
  preferRank: 2,
  preferFrom: 0.2,
  preferSure: 0.97,
  /** An answer under this (word overlap, a paraphrase) is withdrawn when the model says no guide fits. */
  quietBelow: 0.7,
  /** ...and the model gives "no guide" at least this posterior. */
  quietAgree: 0.6,
};

/** What the examples say about a paste: the most likely label (null: no guide) and its posterior. */
export interface ExampleOpinion {
  guide: string | null;
  p: number;
}

interface LabelCounts {
  docs: number;
  words: number;
  count: Map<string, number>;
}

/**
 * A multinomial naive Bayes model over the examples' words, with each guide's own text as one more
 * example: words that real pastes of one guide use far more than others' (a client's wording, a product
 * that only fails that way) become evidence without anyone listing them.
 */
export class ExampleModel {
  private readonly labels = new Map<string | null, LabelCounts>();
  private readonly vocab = new Set<string>();
  private docs = 0;

  constructor(examples: readonly PasteExample[], guides: readonly IndexableGuide[]) {
    const known = new Set(guides.map((g) => g.id));
    for (const e of examples) if (e.guide === null || known.has(e.guide)) this.add(e.guide, e.words);
    if (!this.docs) return;
    for (const g of guides) {
      const text = [g.title, ...g.aliases, ...g.signatures, ...(g.summaries ?? [])].join('\n').toLowerCase();
      const words = [...new Set(tokens(text).filter(isEvidenceWord))];
      for (let i = 0; i < EXAMPLE_TUNING.guideTextExamples; i++) this.add(g.id, words);
    }
  }

  /** Whether there is anything to learn from: no examples, no opinions. */
  get size(): number {
    return this.docs;
  }

  private add(label: string | null, words: readonly string[]): void {
    let c = this.labels.get(label);
    if (!c) this.labels.set(label, (c = { docs: 0, words: 0, count: new Map() }));
    c.docs++;
    this.docs++;
    for (const w of words) {
      c.words++;
      c.count.set(w, (c.count.get(w) ?? 0) + 1);
      this.vocab.add(w);
    }
  }

  opinion(words: readonly string[]): ExampleOpinion | undefined {
    const known = words.filter((w) => this.vocab.has(w));
    if (!known.length || !this.docs) return undefined;
    const a = EXAMPLE_TUNING.alpha;
    const v = this.vocab.size;
    let best: string | null | undefined;
    let bestLog = -Infinity;
    const logs: number[] = [];
    for (const [label, c] of this.labels) {
      let s = Math.log(c.docs / this.docs);
      const denom = Math.log(c.words + a * v);
      for (const w of known) s += Math.log((c.count.get(w) ?? 0) + a) - denom;
      logs.push(s);
      if (s > bestLog) {
        bestLog = s;
        best = label;
      }
    }
    if (best === undefined) return undefined;
    let z = 0;
    for (const s of logs) z += Math.exp(s - bestLog);
    return { guide: best, p: 1 / z };
  }
}

/**
 * The `examples.jsonl` text for labelled pastes (a corpus split), in their order: pastes with no words
 * to compare by are left out. `npm run gen:examples` writes it; a test keeps the built-in file in sync.
 */
export function renderExamples(pastes: readonly LabelledPaste[]): string {
  return withWords(pastes)
    .map(
      ({ paste, words }) =>
        JSON.stringify({ guide: paste.expected, source: paste.source, words: words.join(' ') }) + '\n',
    )
    .join('');
}

/** A labelled paste as a corpus holds it. */
export interface LabelledPaste {
  text: string;
  expected: string | null;
  source: string;
}

/** The examples that `renderExamples` would write for these pastes, without the round trip through text. */
export function examplesOf(pastes: readonly LabelledPaste[]): PasteExample[] {
  return withWords(pastes).map(({ paste, words }) => ({ guide: paste.expected, words }));
}

function withWords(pastes: readonly LabelledPaste[]): { paste: LabelledPaste; words: string[] }[] {
  return pastes.map((paste) => ({ paste, words: exampleWords(paste.text) })).filter((p) => p.words.length);
}
