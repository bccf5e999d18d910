import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { lintGuides } from '../../src/knowledge/lint.js';
import { redosProblems } from '../../src/knowledge/redos.js';
import { MatchEngine } from '../../src/match/engine.js';
import { compileSignature, isRegexSignature } from '../../src/match/signature.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { guideFile, tempDir, writeGuides } from '../helpers.js';

/** A team folder holding one guide whose first signature is `sig` (a YAML single-quoted string). */
function teamFolder(sig: string): string {
  const dir = tempDir();
  writeGuides(dir, {
    'team-guide.md': guideFile('team-guide', {
      signatures: `['team guide happened', '${sig}']`,
    }),
  });
  return dir;
}

const CUBIC = '/error.*:.*:.*failed$/i';

/** The worst case of the cubic signature: lines at the line cap that contain every literal but never match. */
function cubicAttack(): string {
  const line = 'error' + ':'.repeat(3990) + 'failed!';
  const lines: string[] = [];
  while ((lines.length + 1) * (line.length + 1) <= 256 * 1024) lines.push(line);
  return lines.join('\n');
}

describe('regex signatures cannot stall the bot', () => {
  it.each(['/((a|a))*b/', '/(a|\\x61)*b/', '/(?:(?:a{1,9}){1,9}){1,9}b/'])(
    'refuses the exponential shape %s with file and line, at load and in lint',
    (sig) => {
      const dir = teamFolder(sig);
      const kb = loadKnowledge([dir]);
      expect(kb.guides).toEqual([]);
      expect(kb.problems).toEqual([
        expect.objectContaining({
          file: path.join(dir, 'team-guide.md'),
          line: 5,
          message: expect.stringContaining('signatures[1]'),
        }),
      ]);
      expect(() => compileSignature(sig)).toThrow(/backtrack catastrophically/);
    },
  );

  it('refuses lookarounds and backreferences at load, since the linear engine cannot run them', () => {
    const dir = teamFolder('/(?<!D-)bus error \\d+ found/');
    const kb = loadKnowledge([dir]);
    expect(kb.guides).toEqual([]);
    expect(kb.problems[0]).toMatchObject({ line: 5, message: expect.stringContaining('lookarounds') });
  });

  it('lint rejects the cubic signature with file and line (recheck)', async () => {
    const dir = teamFolder(CUBIC);
    const kb = loadKnowledge([dir]);
    expect(kb.problems).toEqual([]);
    expect(lintGuides(kb.guides)).toEqual([]);
    const report = await redosProblems(kb.guides);
    expect(report.problems).toEqual([
      {
        file: path.join(dir, 'team-guide.md'),
        line: 5,
        message: expect.stringMatching(/signatures\[1\].*polynomial/),
      },
    ]);
  }, 60_000);

  it('answers quickly with an unlinted cubic team signature and a 256 KiB worst-case paste', () => {
    const kb = loadKnowledge([builtinKnowledgeDir(), teamFolder(CUBIC)]);
    expect(kb.problems).toEqual([]);
    const sig = compileSignature(CUBIC);
    expect(sig.kind === 'regex' && sig.engine).toBe('linear');
    const engine = new MatchEngine(kb.guides);
    const paste = cubicAttack();
    const t0 = performance.now();
    const r = engine.match(paste);
    const ms = performance.now() - t0;
    // Generous: the benchmark records the real figure; on the backtracking engine this took minutes.
    expect(ms).toBeLessThan(2000);
    // Once the paste's regex budget is spent the rest are skipped and named, never run unbounded.
    expect(r.skipped.length).toBeLessThan(100);
    expect(r.truncated).toBe(false);
    // Still matches when the line does fit.
    expect(engine.match('error: disk: write failed').matches[0]?.id).toBe('team-guide');
  });

  it('skips, names and reports the regex signatures a paste could not afford', () => {
    const kb = loadKnowledge([teamFolder(CUBIC)]);
    const engine = new MatchEngine(kb.guides, {
      threshold: 0.5,
      maxPasteBytes: 256 * 1024,
      maxResults: 5,
      regexBudgetMs: -1,
    });
    const r = engine.match('error: disk: write failed');
    expect(r.skipped).toEqual([CUBIC]);
    expect(r.matches).toEqual([]);
    expect(new MatchEngine(kb.guides).match('error: disk: write failed').skipped).toEqual([]);
    const metrics = new BotMetrics();
    metrics.matched('terminal', null, 0.01, r.skipped.length);
    return metrics.registry
      .getSingleMetricAsString('faultline_regex_signatures_skipped_total')
      .then((text) => expect(text).toMatch(/^faultline_regex_signatures_skipped_total 1$/m));
  });

  it('proves every shipped regex signature bounded: natively by the static bound, or on the linear engine', () => {
    const kb = loadKnowledge([builtinKnowledgeDir()]);
    const engines = { native: 0, linear: 0 };
    let regexes = 0;
    for (const g of kb.guides)
      for (const raw of [...g.signatures, ...g.summaries, ...g.hints]) {
        if (isRegexSignature(raw)) regexes++;
        const sig = compileSignature(raw);
        if (sig.kind === 'regex') engines[sig.engine]++;
      }
    // Every regex signature compiled, and each runs on one of the two engines: none is left to backtracking.
    expect(regexes).toBeGreaterThan(400);
    expect(engines.native + engines.linear).toBe(regexes);
    expect(engines.linear).toBeGreaterThan(0);
  });
});
