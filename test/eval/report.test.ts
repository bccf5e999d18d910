import { describe, expect, it } from 'vitest';
import { evaluate, type CorpusLine } from '../../src/eval/evaluate.js';
import { formatReport } from '../../src/eval/report.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { MatchEngine } from '../../src/match/engine.js';

const engine = new MatchEngine(loadKnowledge([builtinKnowledgeDir()]).guides);
const corpus: CorpusLine[] = [
  { text: 'write tcp 10.0.0.7:443: write: broken pipe', expected: 'broken-pipe', source: 'a', shape: 'line' },
  // Labelled wrong on purpose: the engine's confident answer must count against precision.
  { text: 'bash: kubectl: command not found', expected: 'broken-pipe', source: 'b', shape: 'chat' },
  // A negative that gets an answer is a wrong answer too.
  { text: 'ECONNREFUSED 127.0.0.1:5432', expected: null, source: 'c' },
  { text: 'lunch at noon?', expected: null, source: 'd' },
];

describe('the eval report', () => {
  const r = evaluate(engine, corpus, 0.5);

  it('counts precision over every answered paste, negatives included', () => {
    expect(r.top1).toBe(0.5);
    expect(r.falsePositiveRate).toBe(0.5);
    expect(r.precision).toBeCloseTo(1 / 3);
  });

  it('tallies per guide and per shape, and bands the answered pastes by score', () => {
    expect(r.byGuide['broken-pipe']).toEqual({ n: 2, top1: 1 });
    expect(r.byShape).toEqual({ line: { n: 1, top1: 1 }, chat: { n: 1, top1: 0 } });
    expect(r.calibration.reduce((a, b) => a + b.answered, 0)).toBe(3);
    expect(r.calibration.reduce((a, b) => a + b.correct, 0)).toBe(1);
  });

  it('prints the weakest guides and the misses', () => {
    const text = formatReport('real/dev', r, 0.5, { showText: false, listMisses: true });
    expect(text).toMatch(/== real\/dev: 2 positives, 2 negatives/);
    expect(text).toMatch(/guides with misses \(top-1\): broken-pipe 1\/2/);
    expect(text).toMatch(/\(none\) -> connection-refused/);
  });

  it('counts the misses of a held-out split without listing them', () => {
    const text = formatReport('real/test', r, 0.5, { showText: true, listMisses: false });
    expect(text).toMatch(/misses \(2\): not listed for a held-out split/);
    expect(text).not.toMatch(/connection-refused/);
    expect(text).not.toMatch(/kubectl/);
  });
});
