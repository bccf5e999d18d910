import { describe, expect, it } from 'vitest';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { LogisticExampleModel, type PasteExample } from '../../src/match/examples.js';
import { fitSoftmax, minimiseLbfgs, softmaxInPlace } from '../../src/match/logistic.js';

describe('softmax regression', () => {
  it('finds the minimum of a quadratic', () => {
    // (x0 - 3)^2 + 10 (x1 + 1)^2, badly scaled on purpose.
    const x = minimiseLbfgs(
      (v, g) => {
        const a = (v[0] as number) - 3;
        const b = (v[1] as number) + 1;
        g[0] = 2 * a;
        g[1] = 20 * b;
        return a * a + 10 * b * b;
      },
      new Float64Array(2),
      100,
      1e-12,
    );
    expect(x[0]).toBeCloseTo(3, 4);
    expect(x[1]).toBeCloseTo(-1, 4);
  });

  it('learns a separable set exactly, with probabilities that sum to 1', () => {
    // Three labels, each with a feature of its own, and a feature all share.
    const rows = [0, 1, 2].flatMap((label) => [
      { features: [label, 3], label },
      { features: [label], label },
    ]);
    const w = fitSoftmax({ rows, features: 4, labels: 3 }, { l2: 1e-4, iterations: 200, tolerance: 1e-10 });
    for (const r of rows) {
      const s = new Float64Array(3);
      for (let k = 0; k < 3; k++)
        s[k] = (w[4 * 3 + k] as number) + r.features.reduce((t, f) => t + (w[f * 3 + k] as number), 0);
      softmaxInPlace(s);
      expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(s[r.label]).toBeGreaterThan(0.9);
    }
  });

  it('names a bad row instead of learning from it', () => {
    expect(() =>
      fitSoftmax(
        { rows: [{ features: [5], label: 0 }], features: 2, labels: 1 },
        { l2: 0, iterations: 1, tolerance: 0 },
      ),
    ).toThrow('softmax: feature 5 outside 0..1');
    expect(() =>
      fitSoftmax(
        { rows: [{ features: [0], label: 2 }], features: 2, labels: 2 },
        { l2: 0, iterations: 1, tolerance: 0 },
      ),
    ).toThrow('softmax: label 2 outside 0..1');
  });

  it('keeps the softmax finite on large scores', () => {
    const s = Float64Array.from([1000, 999, -1000]);
    softmaxInPlace(s);
    expect(s[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 10);
    expect(s[2]).toBe(0);
  });
});

describe('the logistic example model', () => {
  const kb = loadKnowledge([builtinKnowledgeDir()]);
  const guides = kb.guides.filter((g) => ['broken-pipe', 'redis-oom', 'too-many-open-files'].includes(g.id));
  // Written for these tests; each label's pastes share words no other label's do.
  const examples: PasteExample[] = [
    { guide: 'broken-pipe', words: ['epipe', 'write', 'socket', 'reader'] },
    { guide: 'broken-pipe', words: ['epipe', 'write', 'stdout'] },
    { guide: 'redis-oom', words: ['maxmemory', 'oom', 'command'] },
    { guide: 'redis-oom', words: ['maxmemory', 'used', 'memory'] },
    { guide: null, words: ['keyerror', 'user', 'dict'] },
    { guide: null, words: ['keyerror', 'lookup'] },
    { guide: 'unknown-guide', words: ['ignored'] },
  ];

  it('answers each label of a separable set, with posteriors that sum to 1', () => {
    const model = LogisticExampleModel.train(examples, guides);
    expect(model.size).toBe(6);
    for (const [words, label] of [
      [['epipe', 'write'], 'broken-pipe'],
      [['maxmemory'], 'redis-oom'],
      [['keyerror'], null],
    ] as const) {
      const o = model.opinion(words);
      expect(o?.guide).toBe(label);
      const labels = model.snapshot().labels;
      expect(labels.reduce((t, l) => t + (o?.of(l) ?? 0), 0)).toBeCloseTo(1, 9);
      expect(o?.of('not-a-label')).toBe(0);
    }
    // Words it never learned (or only from a guide it does not know) give no opinion.
    expect(model.opinion(['ignored', 'nothing'])).toBeUndefined();
  });

  it('is deterministic: the same examples give the same snapshot, which round-trips', () => {
    const a = LogisticExampleModel.train(examples, guides).snapshot();
    const b = LogisticExampleModel.train([...examples], [...guides]).snapshot();
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const back = LogisticExampleModel.fromSnapshot(JSON.parse(JSON.stringify(a)) as unknown);
    const again = LogisticExampleModel.train(examples, guides);
    for (const words of [['maxmemory'], ['epipe', 'keyerror']]) {
      const [x, y] = [back.opinion(words), again.opinion(words)];
      expect([x?.guide, x?.p]).toEqual([y?.guide, y?.p]);
    }
  });

  it('has no opinion without examples', () => {
    const model = LogisticExampleModel.train([], guides);
    expect(model.size).toBe(0);
    expect(model.opinion(['epipe'])).toBeUndefined();
  });

  it('says what is wrong with a snapshot it did not write', () => {
    const good = LogisticExampleModel.train(examples, guides).snapshot();
    const bad = (patch: object) => () => LogisticExampleModel.fromSnapshot({ ...good, ...patch });
    expect(() => LogisticExampleModel.fromSnapshot('x')).toThrow('not an example model: not an object');
    expect(bad({ labels: [1] })).toThrow('not an example model: labels is not a list of guide ids');
    expect(bad({ bias: [0] })).toThrow(`not an example model: bias is not ${good.labels.length} numbers`);
    expect(bad({ weights: { epipe: [[99, 1]] } })).toThrow(
      'not an example model: the weights of "epipe" are not [label, weight] pairs',
    );
    expect(bad({ docs: '6' })).toThrow('not an example model: docs is not a number');
  });
});
