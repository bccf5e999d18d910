import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GITLEAKS_ALLOWLISTS,
  GITLEAKS_RULES,
  GITLEAKS_SKIPPED,
  GITLEAKS_SOURCE,
} from '../../src/redact/gitleaks-rules.js';
import { ImportedRules } from '../../src/redact/imported.js';
import { importedRules, redactSecrets } from '../../src/redact/index.js';

interface Case {
  rule: string;
  positive: string;
  secret: string;
  nearMiss: string;
  nearMissKind: string;
}
const { cases } = JSON.parse(readFileSync(new URL('./gitleaks-cases.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

describe("gitleaks' rules, imported", () => {
  it('accounts for every rule read: imported, or skipped with a reason', () => {
    expect(GITLEAKS_SOURCE.imported).toBe(GITLEAKS_RULES.length);
    expect(GITLEAKS_RULES.length + GITLEAKS_SKIPPED.length).toBe(GITLEAKS_SOURCE.read);
    expect(GITLEAKS_RULES.length).toBeGreaterThan(150);
    for (const s of GITLEAKS_SKIPPED) expect(s.reason).not.toBe('');
    // The keyword prefilter is what keeps the cost low: a rule without keywords would run on every line.
    for (const r of GITLEAKS_RULES) expect(r.keywords.length, r.id).toBeGreaterThan(0);
  });

  it('has a positive and a near miss for every imported rule', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(GITLEAKS_RULES.map((r) => r.id).sort());
  });

  it.each(cases.map((c) => [c.rule, c] as const))('%s: finds the positive, leaves the near miss', (id, c) => {
    expect(importedRules().findInLine(id, c.positive).length).toBeGreaterThan(0);
    const out = redactSecrets(`before\n${c.positive}\nafter`);
    expect(out).not.toContain(c.secret);
    expect(out).toContain('[REDACTED]');
    expect(out.startsWith('before\n') && out.endsWith('\nafter')).toBe(true);
    expect(redactSecrets(c.nearMiss)).toBe(c.nearMiss);
  });

  it('applies the allowlists: a rule excuses its own allowlisted values, the global list its stopwords', () => {
    // gitleaks' AWS rule excuses keys ending in EXAMPLE (AWS's documentation keys).
    const aws = 'key AKIAIOSFODNN7EXAMPLE here';
    expect(importedRules().findInLine('aws-access-token', aws)).toEqual([]);
    expect(importedRules().findInLine('aws-access-token', 'key AKIAZ4QW7RT2NB3XK5LP here')).toHaveLength(1);
    expect(GITLEAKS_ALLOWLISTS.some((a) => a.stopwords.length > 0)).toBe(true);
  });

  it('runs a rule only on lines holding one of its keywords', () => {
    const rules = new ImportedRules(
      [
        {
          id: 'demo',
          regex: { source: 'Z[0-9]{8}', flags: '' },
          keywords: ['demo-key'],
          allowlists: [],
        },
      ],
      [],
    );
    expect(rules.redact('x Z12345678\ndemo-key Z12345678', '#')).toBe('x Z12345678\ndemo-key #');
  });

  it('costs time linear in a hostile paste: every keyword, each beside a near-secret', () => {
    const keywords = [...new Set(GITLEAKS_RULES.flatMap((r) => r.keywords))];
    // One block holds every keyword once, so that a longer paste repeats the same mix of rules.
    const block = keywords
      .map((k, i) => `${k} = "${'aZ9_-'.repeat(20)}" ${keywords[(i * 7) % keywords.length]}:\n`)
      .join('');
    const time = (text: string) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        redactSecrets(text);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    redactSecrets(block);
    const small = time(block);
    const large = time(block.repeat(4));
    // Four times the text: about four times the time when linear, sixteen when quadratic.
    expect(large / small).toBeLessThan(9);
  }, 60_000);
});
