import { readFileSync } from 'node:fs';
import type { LearnedSet } from '../match/learned.js';
import { z } from 'zod';
import type { MatchEngine } from '../match/engine.js';
import { parseJsonLines, ProblemsError, type Problem } from '../util/problems.js';

export const corpusLineSchema = z
  .object({
    text: z.string().min(1),
    expected: z.string().nullable(),
    source: z.string().min(1),
    /** Real pastes: what the paste looks like, the search that found it, the message's language. */
    shape: z.enum(['line', 'log', 'trace', 'chat']).optional(),
    query: z.string().optional(),
    lang: z.string().optional(),
    /** True when the search that found it was one of the guide's listed signatures. */
    viaSignature: z.boolean().optional(),
  })
  .strict();
export type CorpusLine = z.infer<typeof corpusLineSchema>;

export function readCorpus(file: string, knownIds: ReadonlySet<string>): CorpusLine[] {
  const problems: Problem[] = [];
  const out: CorpusLine[] = [];
  for (const { value, line } of parseJsonLines(
    readFileSync(file, 'utf8'),
    file,
    corpusLineSchema,
    problems,
  )) {
    if (value.expected !== null && !knownIds.has(value.expected))
      problems.push({ file, line, message: `expected: no guide with id "${value.expected}"` });
    else out.push(value);
  }
  if (problems.length) throw new ProblemsError(problems);
  return out;
}

export interface Miss {
  expected: string | null;
  got: string | null;
  score: number;
  source: string;
  text: string;
}

/** Positives and how many of them got the right guide first, for one guide or one shape. */
export interface Tally {
  n: number;
  top1: number;
}

/** Of the pastes answered with a first guide scoring in [from, to), how many got the right one. */
export interface CalibrationBand {
  from: number;
  to: number;
  answered: number;
  correct: number;
}

export interface EvalReport {
  positives: number;
  negatives: number;
  top1: number;
  top3: number;
  mrr: number;
  /** Share of negatives for which some guide cleared the threshold. */
  falsePositiveRate: number;
  /** Share of positives for which some guide cleared the threshold. */
  coverage: number;
  /** Of all the pastes that got a guide (negatives included), the share whose first guide was right. */
  precision: number;
  misses: Miss[];
  byGuide: Record<string, Tally>;
  byShape: Record<string, Tally>;
  calibration: CalibrationBand[];
  latencyMs: { p50: number; p99: number };
  sweep: { threshold: number; coverage: number; precision: number; quiet: number; top1: number }[];
}

/** Score bands for the calibration table; the last edge is above any score. */
const CALIBRATION_EDGES = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01];

/**
 * Top-k and MRR count what a user sees: matches at or above `threshold`, best first. The sweep re-reads
 * the same rankings at other thresholds.
 */
export function evaluate(
  engine: Pick<MatchEngine, 'match'>,
  corpus: readonly CorpusLine[],
  threshold: number,
  sweepAt: readonly number[] = [],
  /** The team's corrections, applied as the bot applies them. */
  learned?: LearnedSet,
): EvalReport {
  const ranked: { line: CorpusLine; ids: string[]; scores: number[] }[] = [];
  const times: number[] = [];
  for (const line of corpus) {
    const t0 = process.hrtime.bigint();
    const r = engine.match(line.text, { threshold: 0, maxResults: 10 }, learned);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    ranked.push({ line, ids: r.matches.map((m) => m.id), scores: r.matches.map((m) => m.score) });
  }
  const at = (th: number) => {
    let pos = 0,
      neg = 0,
      top1 = 0,
      top3 = 0,
      rr = 0,
      fp = 0,
      answered = 0,
      correct = 0;
    const misses: Miss[] = [];
    const byGuide: Record<string, Tally> = {};
    const byShape: Record<string, Tally> = {};
    const calibration: CalibrationBand[] = CALIBRATION_EDGES.slice(0, -1).map((from, i) => ({
      from,
      to: CALIBRATION_EDGES[i + 1] as number,
      answered: 0,
      correct: 0,
    }));
    for (const { line, ids, scores } of ranked) {
      const shown = ids.filter((_, i) => (scores[i] ?? 0) >= th);
      if (line.expected === null) {
        neg++;
        if (shown.length) {
          fp++;
          misses.push({
            expected: null,
            got: shown[0] ?? null,
            score: scores[0] ?? 0,
            source: line.source,
            text: line.text,
          });
        }
        continue;
      }
      pos++;
      const rank = shown.indexOf(line.expected);
      const g = (byGuide[line.expected] ??= { n: 0, top1: 0 });
      const sh = (byShape[line.shape ?? 'unknown'] ??= { n: 0, top1: 0 });
      g.n++;
      sh.n++;
      if (shown.length) {
        answered++;
        const band = calibration.find((b) => (scores[0] ?? 0) >= b.from && (scores[0] ?? 0) < b.to);
        if (band) {
          band.answered++;
          if (rank === 0) band.correct++;
        }
      }
      if (rank === 0) {
        top1++;
        correct++;
        g.top1++;
        sh.top1++;
      } else
        misses.push({
          expected: line.expected,
          got: shown[0] ?? null,
          score: scores[0] ?? 0,
          source: line.source,
          text: line.text,
        });
      if (rank >= 0 && rank < 3) top3++;
      if (rank >= 0) rr += 1 / (rank + 1);
    }
    // A negative that got an answer is a wrong answer in its score band too.
    for (const m of misses) {
      if (m.expected !== null) continue;
      const band = calibration.find((b) => m.score >= b.from && m.score < b.to);
      if (band) band.answered++;
    }
    return { pos, neg, top1, top3, rr, fp, answered, correct, misses, byGuide, byShape, calibration };
  };
  const main = at(threshold);
  const div = (a: number, b: number) => (b ? a / b : 0);
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return {
    positives: main.pos,
    negatives: main.neg,
    top1: div(main.top1, main.pos),
    top3: div(main.top3, main.pos),
    mrr: div(main.rr, main.pos),
    falsePositiveRate: div(main.fp, main.neg),
    coverage: div(main.answered, main.pos),
    precision: div(main.correct, main.answered + main.fp),
    misses: main.misses,
    byGuide: main.byGuide,
    byShape: main.byShape,
    calibration: main.calibration.filter((b) => b.answered > 0),
    latencyMs: { p50: pct(0.5), p99: pct(0.99) },
    sweep: sweepAt.map((th) => {
      const s = at(th);
      return {
        threshold: th,
        coverage: div(s.answered, s.pos),
        precision: div(s.correct, s.answered + s.fp),
        quiet: 1 - div(s.fp, s.neg),
        top1: div(s.top1, s.pos),
      };
    }),
  };
}
