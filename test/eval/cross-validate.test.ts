import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCollections } from '../../src/eval/collections.js';
import { crossValidate } from '../../src/eval/cross-validate.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { foldOf, threadOf } from '../../src/eval/threads.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { MatchEngine } from '../../src/match/engine.js';
import { examplesOf, type PasteExample } from '../../src/match/examples.js';

const kb = loadKnowledge([builtinKnowledgeDir()]);
const ids = new Set(kb.guides.map((g) => g.id));
const dev = readCollections(path.resolve(__dirname, '../corpus'), ids, {
  collection: 'real',
  split: 'dev',
})[0]!.lines;

describe('cross-validation folds', () => {
  it('reads a thread as its URL without the fragment, or owner/repo#N, trimmed and lower-cased', () => {
    expect(threadOf('https://Example.org/q/1#answer-2')).toBe('https://example.org/q/1');
    expect(threadOf(' Owner/Repo#12 ')).toBe('owner/repo#12');
  });

  it('keeps a thread in one fold and fills every fold', () => {
    expect(foldOf('https://example.org/q/1#a', 5)).toBe(foldOf('https://EXAMPLE.org/q/1#b', 5));
    const sizes = Array.from({ length: 5 }, (_, f) => dev.filter((l) => foldOf(l.source, 5) === f).length);
    // Dev is the half of the threads with an even first hash byte; the second byte must still spread them.
    for (const n of sizes) expect(n).toBeGreaterThan(dev.length / 5 / 1.5);
  });
});

describe('crossValidate on the real dev split', () => {
  const given: PasteExample[][] = [];
  const engineWith = (examples: readonly PasteExample[]) => {
    given.push([...examples]);
    return new MatchEngine(kb.guides, undefined, undefined, examples);
  };
  const cv = crossValidate(engineWith, dev, 5, 0.5);

  it('builds each fold from the other folds only, and reports every paste once', () => {
    expect(given).toHaveLength(5);
    const all = examplesOf(dev).length;
    // Each example is left out by exactly one fold.
    expect(given.reduce((n, e) => n + e.length, 0)).toBe(4 * all);
    expect(cv.positives + cv.negatives).toBe(dev.length);
  });

  it('scores under the engine that has seen every paste as an example', () => {
    const seen = evaluate(new MatchEngine(kb.guides, undefined, undefined, examplesOf(dev)), dev, 0.5);
    expect(cv.top1).toBeLessThan(seen.top1);
    expect(cv.top1).toBeGreaterThan(0.8);
  });

  it('refuses fewer than two folds', () => {
    expect(() => crossValidate(engineWith, dev, 1, 0.5)).toThrow(/at least 2 folds/);
  });
});
