import type { MatchEngine } from '../match/engine.js';
import { examplesOf, type PasteExample } from '../match/examples.js';
import { evaluate, type CorpusLine, type EvalReport } from './evaluate.js';
import { foldOf } from './threads.js';

/**
 * k-fold cross-validation of the example pastes: each fold is matched by an engine whose examples come
 * only from the other folds' pastes (the rules and the guides' own text are the same for all). One report
 * over every paste, as `evaluate` gives for one engine, so the figures compare with the plain eval.
 */
export function crossValidate(
  engineWith: (examples: readonly PasteExample[]) => Pick<MatchEngine, 'match'>,
  corpus: readonly CorpusLine[],
  k: number,
  threshold: number,
  sweepAt: readonly number[] = [],
): EvalReport {
  if (!Number.isInteger(k) || k < 2) throw new Error(`cross-validation needs at least 2 folds (got ${k})`);
  const folds = corpus.map((l) => foldOf(l.source, k));
  const engines = Array.from({ length: k }, (_, f) =>
    engineWith(examplesOf(corpus.filter((_, i) => folds[i] !== f))),
  );
  // `evaluate` asks one engine by text; the text names the paste's fold (add.mjs keeps texts unique).
  const foldByText = new Map(corpus.map((l, i) => [l.text, folds[i] as number]));
  const router: Pick<MatchEngine, 'match'> = {
    match: (text, overrides, learned) => {
      const f = foldByText.get(text);
      if (f === undefined) throw new Error('cross-validation: a paste outside the corpus');
      return (engines[f] as Pick<MatchEngine, 'match'>).match(text, overrides, learned);
    },
  };
  return evaluate(router, corpus, threshold, sweepAt);
}
