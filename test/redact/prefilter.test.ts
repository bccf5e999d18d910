import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/eval/evaluate.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { packageRoot } from '../../src/knowledge/paths.js';
import { forRe2 } from '../../src/match/signature.js';
import { GITLEAKS_ALLOWLISTS, GITLEAKS_RULES } from '../../src/redact/gitleaks-rules.js';
import { ImportedRules, rulePrefilter, type ImportedRule } from '../../src/redact/imported.js';
import { re2js } from '../../src/util/lazy-deps.js';
import { ROOT } from '../cli/run.js';

const generic = GITLEAKS_RULES.find((r) => r.id === 'generic-api-key') as ImportedRule;
// The same regex in a non-capturing group: it matches the same, but no prefilter knows its source.
const unfiltered = GITLEAKS_RULES.map((r) =>
  rulePrefilter(r.regex) ? { ...r, regex: { ...r.regex, source: `(?:${r.regex.source})` } } : r,
);
const withPrefilter = new ImportedRules(GITLEAKS_RULES, GITLEAKS_ALLOWLISTS);
const without = new ImportedRules(unfiltered, GITLEAKS_ALLOWLISTS);

const guides = loadKnowledge([builtinKnowledgeDir()]).guides;
const ids = new Set(guides.map((g) => g.id));
const corpusTexts = ['real', 'written'].flatMap((c) =>
  ['dev', 'test'].flatMap((s) =>
    readCorpus(path.join(packageRoot(), 'test', 'corpus', c, `${s}.jsonl`), ids).map((l) => l.text),
  ),
);
const { cases } = JSON.parse(readFileSync(new URL('./gitleaks-cases.json', import.meta.url), 'utf8')) as {
  cases: { positive: string; nearMiss: string }[];
};

/** The rule's own regex on the engine it runs on, with no prefilter in front of it. */
const genericRe = (() => {
  const Re2 = re2js();
  const re = Re2.compile(forRe2(generic.regex.source), 0);
  return (line: string) => re.matcher(line).find();
})();

describe('the prefilter in front of the generic-api-key rule', () => {
  it('is there: the rule still reads the way the prefilter was written for', () => {
    expect(rulePrefilter(generic.regex)).toBeDefined();
    expect(unfiltered.filter((r) => rulePrefilter(r.regex))).toEqual([]);
  });

  it('passes every line the rule matches, in the corpus and in gitleaks’ cases', () => {
    const needs = rulePrefilter(generic.regex) as RegExp;
    const lines = [...corpusTexts, ...cases.flatMap((c) => [c.positive, c.nearMiss])].flatMap((t) =>
      t.split('\n'),
    );
    let matched = 0;
    let skipped = 0;
    for (const line of lines) {
      if (genericRe(line)) {
        matched++;
        expect(needs.test(line), line).toBe(true);
      } else if (!needs.test(line)) skipped++;
    }
    // Both sides are exercised: lines the rule matches, and lines the prefilter spares re2js.
    expect(matched).toBeGreaterThan(20);
    expect(skipped).toBeGreaterThan(1000);
  });

  it('passes every generated line the rule matches', () => {
    const keyword = fc
      .constantFrom('api', 'key', 'token', 'secret', 'auth', 'access', 'passwd', 'password', 'creds')
      .chain((k) =>
        fc
          .array(fc.boolean(), { minLength: k.length, maxLength: k.length })
          .map((up) => [...k].map((ch, i) => (up[i] ? ch.toUpperCase() : ch)).join('')),
      );
    const piece = (units: string[], max: number, min = 0) =>
      fc.string({ unit: fc.constantFrom(...units), minLength: min, maxLength: max });
    const line = fc
      .tuple(
        fc.oneof(
          piece(['x', '_', '.', '-', ' ', '\t', '9'], 3),
          piece(['x', '_', '.', '-', ' ', '\t', '9'], 24),
        ),
        piece([' ', "'", '"', '\t'], 4),
        fc.constantFrom('=', '>', ':', '::=', ':::=', '||', '=>', '?=', ',', ';', '->', '|'),
        fc.oneof(piece(['`', "'", '"', ' ', '='], 6), piece(['`', "'", '"', ' ', '=', ':', '\u00a0'], 7)),
        // Tokens of either of the rule's two kinds, around their least lengths, and mixtures of both.
        fc.oneof(
          piece(['a', 'Z', '0', '_', '.', '=', '-'], 14, 8),
          piece(['a', 'Z', '0', '+', '/'], 16, 10),
          piece(['a', 'Z', '0', '_', '.', '=', '-', '+', '/', ':', ' '], 20),
        ),
        fc.constantFrom('', ' ', ';', '"', '\\n', 'x', '!'),
      )
      .chain((parts) => keyword.map((k) => k + parts.join('')));
    let matched = 0;
    fc.assert(
      fc.property(piece(['a', ' ', ':'], 4), line, (before, l) => {
        const text = before + l;
        if (genericRe(text)) {
          matched++;
          expect(rulePrefilter(generic.regex)?.test(text), text).toBe(true);
        }
        expect(withPrefilter.redact(text, '#')).toBe(without.redact(text, '#'));
      }),
      { numRuns: 4000 },
    );
    expect(matched).toBeGreaterThan(200);
  });

  it('leaves the redaction of every corpus paste unchanged', () => {
    for (const text of corpusTexts) expect(withPrefilter.redact(text, '#')).toBe(without.redact(text, '#'));
  });

  it('keeps re2js unloaded when a keyword line cannot hold a secret', () => {
    // The start-up bench's paste: `api-7f9c` holds the keyword `api`.
    const paste =
      '2026-11-24T03:12:09.114Z api-7f9c[2211]: write tcp 10.2.3.4:8080->10.9.8.7:51234: write: broken pipe';
    const script = `
      import { createRequire } from 'node:module';
      import { redactSecrets } from ${JSON.stringify(path.join(ROOT, 'dist/src/redact/index.js'))};
      const out = redactSecrets(process.argv[1]);
      const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.includes('re2js'));
      console.log(JSON.stringify({ same: out === process.argv[1], loaded }));`;
    const run = (text: string) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, text], {
        encoding: 'utf8',
      });
      return JSON.parse(r.stdout) as { same: boolean; loaded: boolean };
    };
    expect(run(paste)).toEqual({ same: true, loaded: false });
    // The check can fail: a line that could hold a secret loads it.
    expect(run('api_key = "aZ9xQ2mL7pR4tV8wK3nB"').loaded).toBe(true);
  });

  it('costs time linear in a hostile line of operators and quoting', () => {
    const block = 'api' + " :'=| ".repeat(2) + 'aaaaaaaaa;';
    const time = (text: string) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        withPrefilter.redact(text, '#');
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const small = block.repeat(5_000);
    time(small);
    // Eight times the text: about 8 times the time if linear, 64 if quadratic. The wide gap keeps a loaded
    // machine (a slow run of the small text) from failing a linear engine.
    expect(time(small.repeat(8)) / time(small)).toBeLessThan(24);
  });
});
