import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { syntheticGuides } from '../../bench/run.js';
import { bm25Bounded, bm25Exhaustive, Bm25Accumulators } from '../../src/match/bm25.js';
import { MatchEngine } from '../../src/match/engine.js';
import { MatchIndex } from '../../src/match/match-index.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { readCorpus } from '../../src/eval/evaluate.js';
import { packageRoot } from '../../src/knowledge/paths.js';
import path from 'node:path';

const builtin = loadKnowledge([builtinKnowledgeDir()]).guides;
const ids = new Set(builtin.map((g) => g.id));
const corpus = ['dev', 'test'].flatMap((s) =>
  readCorpus(path.join(packageRoot(), 'test', 'corpus', 'written', `${s}.jsonl`), ids).map((l) => l.text),
);

/** Queries as the engine builds them: terms of the index, each with the paste line it came from. */
function queryArb(vocabulary: string[]) {
  return fc
    .uniqueArray(fc.integer({ min: 0, max: vocabulary.length - 1 }), { minLength: 1, maxLength: 40 })
    .chain((terms) =>
      fc
        .array(fc.integer({ min: 0, max: 60 }), { minLength: terms.length, maxLength: terms.length })
        .map((lines) => new Map(terms.map((t, i) => [vocabulary[t] as string, lines[i] as number]))),
    );
}

// Thousands of queries over indexes of up to 2,000 guides: slow on a shared two-core machine.
describe('the bounded BM25 walk', { timeout: 180_000 }, () => {
  for (const [name, guides] of [
    ['the built-in guides', builtin],
    ['2,000 synthetic guides (long postings of common words)', syntheticGuides(builtin, 2000)],
  ] as const) {
    it(`returns exactly the exhaustive walk's best k, scores and lines, on ${name}`, () => {
      const idx = new MatchIndex(guides);
      const vocabulary = [...idx.postings.keys()];
      // Common words weighted in, as pastes have them: the bound matters most when they are present.
      const common = vocabulary
        .map((t) => [t, idx.postings.get(t)?.length ?? 0] as const)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 50)
        .map(([t]) => t);
      const a = new Bm25Accumulators();
      const b = new Bm25Accumulators();
      for (const k of [1, 5, 20]) {
        fc.assert(
          fc.property(
            fc.oneof(
              queryArb(vocabulary),
              queryArb(common),
              queryArb([...common, ...vocabulary.slice(0, 200)]),
            ),
            (q) => {
              expect(bm25Bounded(idx, q, k, a)).toEqual(bm25Exhaustive(idx, q, k, b));
            },
          ),
          { numRuns: 150 },
        );
      }
    });
  }

  it('leaves every match of the written corpus as the exhaustive walk would (through a restored index too)', () => {
    const guides = syntheticGuides(builtin, 1000);
    const engine = new MatchEngine(guides);
    const restored = new MatchEngine(
      guides,
      undefined,
      // Through a copy of the bytes, as the cache reads them back from a file.
      new MatchIndex(Buffer.from(engine.index.snapshot())),
    );
    const idx = engine.index;
    const a = new Bm25Accumulators();
    const b = new Bm25Accumulators();
    for (const text of corpus) {
      expect(restored.match(text)).toEqual(engine.match(text));
      // The same query the engine sends: every index word of the paste, in paste order.
      const q = new Map<string, number>();
      text
        .toLowerCase()
        .split('\n')
        .forEach((line, i) => {
          for (const t of line.match(/[\p{L}\p{N}_]+/gu) ?? [])
            if (idx.postings.has(t) && !q.has(t)) q.set(t, i);
        });
      expect(bm25Bounded(idx, q, 20, a)).toEqual(bm25Exhaustive(idx, q, 20, b));
    }
  });
});
