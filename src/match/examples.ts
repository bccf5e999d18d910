/**
 * Real pastes as evidence: labelled examples (a paste's error-line words and the guide it belongs to, or
 * none) shipped with a knowledge folder in `examples.jsonl`, and a logistic model learned from them.
 * Signatures and a guide's own words decide; the model only chooses among guides the engine ranked with
 * evidence of their own (confirms the first just under the threshold, or prefers the first or second), or
 * quiets a weak answer on a paste that reads like the examples no guide owns. Pure and synchronous.
 */
import { createHash } from 'node:crypto';
import { cleanPaste, maskVolatile, tokens, type CleanedPaste } from './clean.js';
import { REGEX_FORM } from './signature.js';
import { looksLikeError } from './errorish.js';
import { GENERIC, STOPWORDS, type IndexableGuide } from './match-index.js';
import { fitSoftmax, softmaxInPlace } from './logistic.js';

/** The file a knowledge folder keeps its examples in, beside its guides. */
export const EXAMPLES_FILE = 'examples.jsonl';

/**
 * Beside `examples.jsonl`: the example model trained on it (`npm run gen:examples` writes it), so that no
 * start-up trains one for the built-in knowledge. Used only for exactly the inputs it was trained on.
 */
export const EXAMPLE_MODEL_FILE = 'examples-model.json';

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
    if (!line || paste.inert[i]) return;
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
  /** A guide's own text (title, aliases, signatures) counts as one more example of it. */
  guideTextExamples: 1,
  /**
   * The logistic model: its L2 penalty per example (1e-3 was 70 % right on unseen pastes, 1e-4 75.5 %,
   * 3e-5 answered more negatives), at most this many L-BFGS steps, stopping when a step lowers the loss by
   * less than this share (1e-4 gave the same answers on every collection as 1e-7, in a third of the
   * time), and the smallest weight kept (0.1: a fifth of the size, the same accuracy).
   */
  lrL2: 1e-4,
  lrIterations: 300,
  lrTolerance: 1e-4,
  lrPrune: 0.1,
  /** A word in fewer examples than this is no feature (a word seen once is that paste's, not its guide's). */
  lrMinCount: 2,
  /**
   * A guide the engine ranks first under the threshold from this score (evidence of its own: a hint, or
   * word overlap without two of its distinctive words, is capped at 0.45)...
   */
  confirmFrom: 0.1,
  /**
   * ...that the model names with at least this posterior (calibrated: the sure level of 0.9 that naive
   * Bayes needed, and a separate one for a hint's guide, cost right answers and kept no negative quiet;
   * on the 4,490-paste dev's CV 0.4 answered 0.4 % more pastes right than 0.5 with the same negatives
   * quiet, 0.3 answered more negatives; on the 6,893-paste dev's CV 0.35, from 0.1 and `preferSure` 0.7
   * answered 0.3 % more pastes right, in every fold, with the same negatives quiet)...
   */
  agree: 0.35,
  /** ...scores this. */
  confirmed: 0.55,
  /**
   * Without a line that reads like an error, only a description this short (a sentence or two) is
   * confirmed, or a longer one the model is this sure of (on the 9,292-paste dev's CV 0.9 put five more
   * right guides first and answered one more negative; a success message that names a product is seldom
   * this sure).
   */
  describedLines: 3,
  describedSure: 0.9,
  /**
   * A guide ranked at most this far down with at least `preferFrom`, that the model gives `preferSure`,
   * answers (at `confirmed`) instead of a weak answer (under `quietBelow`, no signature) or of none.
   */
  preferRank: 2,
  preferFrom: 0.2,
  preferSure: 0.7,
  /** An answer under this (word overlap, a paraphrase) is withdrawn when the model says no guide fits. */
  quietBelow: 0.7,
  /** ...and the model gives "no guide" at least this posterior. */
  quietAgree: 0.6,
};

/** What the examples say about a paste: the most likely label (null: no guide) and its posterior. */
export interface ExampleOpinion {
  guide: string | null;
  p: number;
  /** The posterior of any label (0 for one the model does not know). */
  of: (label: string | null) => number;
}

/** The words of a guide's own text (title, aliases, signatures, summaries): one more example of it. */
function guideTextWords(g: IndexableGuide): string[] {
  const sigs = [...g.signatures, ...(g.summaries ?? [])].map(signatureWords);
  const text = [g.title, ...g.aliases, ...sigs].join('\n').toLowerCase();
  return [...new Set(tokens(text).filter(isEvidenceWord))];
}

/**
 * A signature as the words a paste would show: a regex's escapes, classes, counts and group syntax are no
 * words (read as text, `\bNode` was the word "bnode", and a new regex moved unrelated pastes).
 */
export function signatureWords(raw: string): string {
  const form = REGEX_FORM.exec(raw);
  if (!form) return raw;
  return (
    (form[1] ?? '')
      .replace(/\\[pP]\{[^}]*\}/g, ' ')
      // A class of letters reads as its first one (`authori[sz]ed`); any other class is a gap.
      .replace(/\[(\^?)((?:\\.|[^\]\\])*)\]/g, (_, not: string, body: string) =>
        !not && /^[a-z0-9]/i.test(body) ? (body[0] as string) : ' ',
      )
      .replace(/\{\d+(?:,\d*)?\}/g, ' ')
      .replace(/\\[bBdDsSwWnrtfv]/g, ' ')
      .replace(/\\(.)/g, '$1')
      .replace(/\(\?(?:[:=!]|<[=!]|<\w+>)/g, ' ')
      .replace(/[()|^$*+?]/g, ' ')
  );
}

/** The rows a model learns from: the examples of known guides (or none), then each guide's own text. */
function trainingRows(
  examples: readonly PasteExample[],
  guides: readonly IndexableGuide[],
): { rowsOf: { label: string | null; words: readonly string[] }[]; docs: number } {
  const known = new Set(guides.map((g) => g.id));
  const used = examples.filter((e) => e.guide === null || known.has(e.guide));
  const rowsOf: { label: string | null; words: readonly string[] }[] = used.map((e) => ({
    label: e.guide,
    words: e.words,
  }));
  if (!used.length) return { rowsOf, docs: 0 };
  for (const g of guides)
    for (let i = 0; i < EXAMPLE_TUNING.guideTextExamples; i++)
      rowsOf.push({ label: g.id, words: guideTextWords(g) });
  return { rowsOf, docs: used.length };
}

function inputsKey(rowsOf: readonly { label: string | null; words: readonly string[] }[]): string {
  const T = EXAMPLE_TUNING;
  const tuning = [T.guideTextExamples, T.lrL2, T.lrIterations, T.lrTolerance, T.lrPrune, T.lrMinCount];
  return createHash('sha256')
    .update(JSON.stringify([tuning, rowsOf]))
    .digest('hex');
}

/** A logistic example model as it is stored: labels, biases, and each word's weights that matter. */
export interface LogisticSnapshot {
  labels: (string | null)[];
  bias: number[];
  /** Per word, [label index, weight] pairs: weights under `EXAMPLE_TUNING.lrPrune` are left out. */
  weights: Record<string, [number, number][]>;
  /** How many examples it learned from (the guides' own text not counted). */
  docs: number;
  /** `LogisticExampleModel.inputsOf` the examples and guides it was trained on. */
  inputs: string;
}

/**
 * A multinomial logistic regression over the examples' words, with each guide's own text as one more
 * example and "no guide" (null) as a label: unlike naive Bayes its posteriors are calibrated (of its
 * answers at 0.9 or more, about 98 % right on pastes it has not seen), so the engine can act on them further from
 * the threshold's edge. Deterministic: the same examples and guides give the same snapshot.
 */
export class LogisticExampleModel {
  private readonly weights: Map<string, [number, number][]>;

  private constructor(private readonly snap: LogisticSnapshot) {
    this.weights = new Map(Object.entries(snap.weights));
  }

  /**
   * One key for everything a fit depends on (the rows it learns from and the tuning it learns with): a
   * stored model answers only for the inputs it was trained on.
   */
  static inputsOf(examples: readonly PasteExample[], guides: readonly IndexableGuide[]): string {
    return inputsKey(trainingRows(examples, guides).rowsOf);
  }

  static train(examples: readonly PasteExample[], guides: readonly IndexableGuide[]): LogisticExampleModel {
    const { rowsOf, docs } = trainingRows(examples, guides);
    const inputs = inputsKey(rowsOf);
    if (!docs) return new LogisticExampleModel({ labels: [], bias: [], weights: {}, docs: 0, inputs });
    // Labels and features in first-seen order: the fit is deterministic, and so is its snapshot.
    const labelIndex = new Map<string | null, number>();
    const featureIndex = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const { words } of rowsOf) for (const w of new Set(words)) seen.set(w, (seen.get(w) ?? 0) + 1);
    const rows = rowsOf.map(({ label, words }) => {
      let k = labelIndex.get(label);
      if (k === undefined) labelIndex.set(label, (k = labelIndex.size));
      const features: number[] = [];
      for (const w of new Set(words)) {
        if ((seen.get(w) ?? 0) < EXAMPLE_TUNING.lrMinCount) continue;
        let f = featureIndex.get(w);
        if (f === undefined) featureIndex.set(w, (f = featureIndex.size));
        features.push(f);
      }
      return { label: k, features };
    });
    const nk = labelIndex.size;
    const w = fitSoftmax(
      { rows, features: featureIndex.size, labels: nk },
      {
        l2: EXAMPLE_TUNING.lrL2,
        iterations: EXAMPLE_TUNING.lrIterations,
        tolerance: EXAMPLE_TUNING.lrTolerance,
      },
    );
    const round = (v: number) => Math.round(v * 1e3) / 1e3;
    const weights: Record<string, [number, number][]> = {};
    for (const [word, f] of featureIndex) {
      const kept: [number, number][] = [];
      for (let k = 0; k < nk; k++) {
        const v = w[f * nk + k] as number;
        if (Math.abs(v) >= EXAMPLE_TUNING.lrPrune) kept.push([k, round(v)]);
      }
      if (kept.length) weights[word] = kept;
    }
    const bias = Array.from({ length: nk }, (_, k) => round(w[featureIndex.size * nk + k] as number));
    return new LogisticExampleModel({ labels: [...labelIndex.keys()], bias, weights, docs, inputs });
  }

  /** Throws, saying what is wrong, on a value that `snapshot()` did not give. */
  static fromSnapshot(snap: unknown): LogisticExampleModel {
    const problem = snapshotProblem(snap);
    if (problem) throw new Error(`not an example model: ${problem}`);
    return new LogisticExampleModel(snap as LogisticSnapshot);
  }

  snapshot(): LogisticSnapshot {
    return this.snap;
  }

  get size(): number {
    return this.snap.docs;
  }

  opinion(words: readonly string[]): ExampleOpinion | undefined {
    const known = words.filter((w) => this.weights.has(w));
    if (!known.length || !this.snap.docs) return undefined;
    const s = Float64Array.from(this.snap.bias);
    for (const w of new Set(known))
      for (const [k, v] of this.weights.get(w) ?? []) s[k] = (s[k] as number) + v;
    softmaxInPlace(s);
    let best = 0;
    for (let k = 1; k < s.length; k++) if ((s[k] as number) > (s[best] as number)) best = k;
    const labels = this.snap.labels;
    return {
      guide: labels[best] ?? null,
      p: s[best] as number,
      of: (l) => {
        const k = labels.indexOf(l);
        return k < 0 ? 0 : (s[k] as number);
      },
    };
  }
}

function snapshotProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const s = v as Record<string, unknown>;
  if (!Array.isArray(s.labels) || !s.labels.every((l) => l === null || typeof l === 'string'))
    return 'labels is not a list of guide ids';
  const n = s.labels.length;
  if (!Array.isArray(s.bias) || s.bias.length !== n || !s.bias.every(Number.isFinite))
    return `bias is not ${n} numbers`;
  if (typeof s.docs !== 'number') return 'docs is not a number';
  if (typeof s.inputs !== 'string') return 'inputs is not a string';
  if (typeof s.weights !== 'object' || s.weights === null) return 'weights is not an object';
  for (const [word, pairs] of Object.entries(s.weights as Record<string, unknown>))
    if (
      !Array.isArray(pairs) ||
      !pairs.every(
        (p) =>
          Array.isArray(p) &&
          p.length === 2 &&
          Number.isInteger(p[0]) &&
          p[0] >= 0 &&
          p[0] < n &&
          Number.isFinite(p[1]),
      )
    )
      return `the weights of "${word}" are not [label, weight] pairs`;
  return undefined;
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
