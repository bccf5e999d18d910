import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/eval/evaluate.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { packageRoot } from '../../src/knowledge/paths.js';
import { REGEX_FORM, mayMatch, regexNeeds, requiredTexts } from '../../src/match/signature.js';
import { MatchIndex } from '../../src/match/match-index.js';
import { cleanPaste, tokens } from '../../src/match/clean.js';
import type { Guide } from '../../src/knowledge/schema.js';

describe('what a line must hold for a regex to match it', () => {
  it.each([
    [
      String.raw`\b1: \W{0,3}#!\/[^\s:]{1,100}: (?:No such file or directory|not found)`,
      [['1: '], ['#!/'], [': '], ['no such file or directory', 'not found']],
    ],
    [String.raw`\b524\b[^\n]{0,40}\bCloudflare\b|\bCloudflare\b[^\n]{0,40}\b524\b`, [['cloudflare']]],
    [String.raw`^\S{1,253}\s{1,40}0\/\d{1,2}\s{1,40}(?:Error|Completed)`, [['0/'], ['error', 'completed']]],
    [String.raw`(?:Getötet|已杀死|Убито)(?:\s|$)`, [['getötet', '已杀死', 'убито']]],
    ['ab?c+de{0,2}fg', [['fg']]],
    [String.raw`(?<n>foo)\k<n>bar`, [['foo'], ['bar']]],
    ['x(?!nope)yz', [['yz']]],
    ['(abc|de)f', [['abc', 'de']]],
  ])('%s needs %j', (source, needs) => expect(requiredTexts(source)).toEqual(needs));

  it.each([
    // Escapes that spell characters are not their letters and digits.
    [String.raw`a\x41bc`, [['bc']]],
    [String.raw`q\012r`, []],
    [String.raw`\u0041\u{42}cd`, [['cd']]],
    [String.raw`\p{Lu}{2}xy`, [['xy']]],
    // An empty alternative, a quantifier on nothing, or a final sigma: nothing is required.
    ['abc|', []],
    ['ab(?:cd|)', [['ab']]],
    ['ΣΑΣ', []],
    ['a{', []],
  ])('%s needs %j, and no more', (source, needs) => expect(requiredTexts(source)).toEqual(needs));

  // Every distinct line of the written corpus and of the real dev split (the test split adds the same kinds
  // of lines, and every regex against every line of both grew past the test's time as the corpus grew),
  // with every built-in regex signature, summary and hint that matches it.
  const builtinMatches = (() => {
    let cached: { guides: Guide[]; pairs: { raw: string; line: string }[] } | undefined;
    return () => {
      if (cached) return cached;
      const guides = loadKnowledge([builtinKnowledgeDir()]).guides;
      const ids = new Set(guides.map((g) => g.id));
      const files = [
        ['written', 'dev'],
        ['written', 'test'],
        ['real', 'dev'],
      ];
      const lines = [
        ...new Set(
          files.flatMap(([c, s]) =>
            readCorpus(path.join(packageRoot(), 'test', 'corpus', c as string, `${s}.jsonl`), ids).flatMap(
              // The lines as the engine reads them: a structured log record's escaped lines unescaped.
              (l) => cleanPaste(l.text, 256 * 1024).lines,
            ),
          ),
        ),
      ];
      const pairs: { raw: string; line: string }[] = [];
      for (const g of guides)
        for (const raw of [...g.signatures, ...(g.summaries ?? []), ...g.hints]) {
          const m = REGEX_FORM.exec(raw);
          if (!m) continue;
          const re = new RegExp(m[1] ?? '', m[2]);
          for (const line of lines) if (re.test(line)) pairs.push({ raw, line });
        }
      return (cached = { guides, pairs });
    };
  })();

  it('never rules out a line that a built-in regex signature matches', () => {
    const { pairs } = builtinMatches();
    for (const { raw, line } of pairs)
      expect(mayMatch(regexNeeds(raw), line.toLowerCase()), `${raw} on ${line}`).toBe(true);
    expect(pairs.length).toBeGreaterThan(1000);
  });

  it('keys every built-in regex under a word that each line it matches holds whole', () => {
    // The engine tries a keyed regex on a line only when the line has the key as a whole word: a key cut
    // from a literal that runs on through an optional character (`time-?out` keyed by "time") misses "timeout".
    const { guides, pairs } = builtinMatches();
    const index = new MatchIndex(guides);
    const always = new Set(index.regexAlways.map((e) => e.sig.raw));
    const missed = pairs.filter(({ raw, line }) => {
      if (always.has(raw)) return false;
      const words = tokens(line.toLowerCase());
      return !words.some((w) => index.regexByToken.get(w)?.some((e) => e.sig.raw === raw));
    });
    expect(missed.map(({ raw, line }) => `${raw} on ${line}`)).toEqual([]);
  });

  it('never rules out a match of a generated regex', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'ab', ':', ' ', '/', 'é'),
      fc.constantFrom('\\d', '\\w', '.', '[a-c]', '\\/', '\\.', '\\x61', '\\u0062'),
    );
    const quant = fc.constantFrom('', '', '?', '*', '+', '{0,2}', '{1,3}', '{2}');
    const seq = fc.array(fc.tuple(atom, quant), { minLength: 1, maxLength: 6 });
    const source = fc
      .tuple(seq, fc.option(seq), fc.boolean())
      .map(
        ([a, b, group]) =>
          (group ? '(?:' : '') +
          a.map(([x, q]) => x + q).join('') +
          (b ? '|' + b.map(([x, q]) => x + q).join('') : '') +
          (group ? ')x' : ''),
      );
    fc.assert(
      fc.property(
        source,
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', ':', ' ', '/', '1', 'é', 'A') }),
        (src, text) => {
          const re = new RegExp(src, 'i');
          if (re.test(text)) expect(mayMatch(requiredTexts(src), text.toLowerCase())).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
