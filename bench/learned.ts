/**
 * `node dist/bench/learned.js`: what corrections do for matching on real pastes. Corrections are recorded
 * for a random fifth (fixed seed) of the real dev corpus's misses, as the bot records them (each by its
 * own person); the report compares the other four fifths of dev and the test split without and with
 * them. The figures are quoted in docs/matching.md.
 */
import path from 'node:path';
import { readCorpus, evaluate, type CorpusLine, type EvalReport } from '../src/eval/evaluate.js';
import { builtinKnowledgeDir, loadKnowledge, packageRoot } from '../src/knowledge/load.js';
import { MatchEngine } from '../src/match/engine.js';
import { LearnedSet, pasteShape, type LearnedExample } from '../src/match/learned.js';

const THRESHOLD = 0.5;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const { guides } = loadKnowledge([builtinKnowledgeDir()]);
const engine = new MatchEngine(guides);
const ids = new Set(guides.map((g) => g.id));
const corpus = (split: string) =>
  readCorpus(path.join(packageRoot(), 'test/corpus/real', `${split}.jsonl`), ids);
const dev = corpus('dev');
const test = corpus('test');

const misses = dev.filter((l) => {
  const top = engine.match(l.text).matches[0]?.id ?? null;
  return top !== l.expected;
});
const random = rng(13);
const shuffled = misses
  .map((l) => ({ l, k: random() }))
  .sort((a, b) => a.k - b.k)
  .map((x) => x.l);
const taught = new Set<CorpusLine>(shuffled.slice(0, Math.round(misses.length / 5)));
const examples: LearnedExample[] = [...taught].map((l, i) => ({
  id: `b${i}`,
  ...pasteShape(l.text),
  ...(l.expected ? { verdict: 'right' as const, guideId: l.expected } : { verdict: 'none' as const }),
  platform: 'bench',
  user: `u${i}`,
  at: new Date(0).toISOString(),
}));
const learned = new LearnedSet(examples);
const rest = dev.filter((l) => !taught.has(l));

const row = (name: string, a: EvalReport, b: EvalReport) =>
  `| ${name} | ${a.positives}+${a.negatives} | ${pct(a.top1)} -> ${pct(b.top1)} | ${pct(a.top3)} -> ${pct(b.top3)} | ${pct(a.falsePositiveRate)} -> ${pct(b.falsePositiveRate)} |`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const both = (lines: CorpusLine[]) =>
  [evaluate(engine, lines, THRESHOLD), evaluate(engine, lines, THRESHOLD, [], learned)] as const;

console.log(`dev misses: ${misses.length}; corrections recorded for ${taught.size}`);
console.log('| lines | positives+negatives | top-1 | top-3 | false positives |');
console.log('|---|---|---|---|---|');
console.log(row('the taught fifth (dev)', ...both([...taught])));
console.log(row('other dev lines', ...both(rest)));
console.log(row('test split', ...both(test)));
