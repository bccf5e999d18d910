/**
 * `npm run gen:gitleaks -- PATH/TO/gitleaks.toml [SOURCE]`: converts gitleaks' rule set (MIT) into
 * src/redact/gitleaks-rules.ts, and writes a positive and a near miss per imported rule into
 * test/redact/gitleaks-cases.json. SOURCE names where the file came from (e.g. `gitleaks@b58d3f10`); it is
 * recorded in the generated file beside gitleaks' licence.
 *
 * Go's regex syntax is converted where JavaScript has the same thing under another spelling (a leading
 * `(?i)` and inline case switches are spelled out as `[kK]` and `[a-zA-Z]`, `\z` becomes `$`, `(?P<name>`
 * becomes `(?<name>`, POSIX classes are spelled out); a rule whose regex still does not compile in Node is listed and skipped,
 * never dropped silently.
 * Rules that apply only to some file names (`path`) are skipped too: a paste has no file name.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import randexp from 'randexp';
import { RE2JS } from 're2js';
import { parse } from 'smol-toml';
import { forRe2, runsNatively } from '../src/match/signature.js';
import {
  ImportedRules,
  type ImportedAllowlist,
  type ImportedRule,
  type RuleRegex,
} from '../src/redact/imported.js';
import { redactOwn, REDACTED } from '../src/redact/index.js';

interface TomlAllowlist {
  condition?: string;
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
  commits?: string[];
}
interface TomlRule {
  id: string;
  regex?: string;
  path?: string;
  entropy?: number;
  secretGroup?: number;
  keywords?: string[];
  allowlists?: TomlAllowlist[];
}
interface TomlConfig {
  allowlist?: TomlAllowlist;
  allowlists?: TomlAllowlist[];
  rules: TomlRule[];
}

const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f',
  space: '\\t\\n\\v\\f\\r ',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

const isLetter = (c: string) => /^[A-Za-z]$/.test(c);
const otherCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

/**
 * Go (RE2) regex source to JavaScript; throws naming what has no JavaScript spelling. Case-insensitive
 * parts (a leading `(?i)`, and the inline `p8e-(?i)[a-z]`, `(?i:…)`, `(?-i:…)` that Node 20 cannot
 * compile) are spelled out (`[a-z]` becomes `[a-zA-Z]`, `k` becomes `[kK]`): the same language, in syntax
 * Node 20 compiles and re2js runs fast.
 */
export function convertGo(go: string): RuleRegex {
  let src = go;
  let fold = false;
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    fold = true;
  }
  // No `i` flag even for a leading `(?i)`: re2js runs a case-insensitive program about 80 times slower
  // than the same regex with its letters spelled in both cases, and most imported rules run on re2js.
  const flags: RuleRegex['flags'] = '';
  let out = '';
  const saved: boolean[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      out += escape(src, i);
      i++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(src, i);
      out += convertClass(src.slice(i, end + 1), fold);
      i = end;
      continue;
    }
    if (c === '(') {
      const m = /^\(\?(-?)i([:)])/.exec(src.slice(i));
      if (m && m[2] === ')') {
        fold = m[1] !== '-';
        i += m[0].length - 1;
        continue;
      }
      saved.push(fold);
      if (m) {
        fold = m[1] !== '-';
        out += '(?:';
        i += m[0].length - 1;
        continue;
      }
      if (src.startsWith('(?P<', i)) {
        out += '(?<';
        i += 3;
        continue;
      }
      out += c;
      continue;
    }
    if (c === ')') {
      fold = saved.pop() ?? false;
      out += c;
      continue;
    }
    out += fold && isLetter(c) ? `[${c}${otherCase(c)}]` : c;
  }
  const converted = { source: out, flags };
  try {
    new RegExp(converted.source, `${flags}d`);
  } catch (e) {
    throw new Error(`does not compile in Node ${process.versions.node}: ${(e as Error).message}`);
  }
  if (!runsNatively(converted.source)) {
    try {
      RE2JS.compile(forRe2(converted.source), flags ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (e) {
      throw new Error(`does not compile on the linear engine: ${(e as Error).message}`);
    }
  }
  return converted;
}

/** The JavaScript spelling of the escape at `src[i]` (a backslash). */
function escape(src: string, i: number): string {
  const e = src[i + 1] ?? '';
  if (e === 'z') return '$';
  if (e === 'A') return '^';
  if (e === 'a') return '\\x07';
  if (e === 'x' && src[i + 2] === '{')
    throw new Error('\\x{…} has no JavaScript spelling without the u flag');
  if (/[pPQEC0-7]/.test(e)) throw new Error(`\\${e} has no JavaScript spelling without the u flag`);
  return `\\${e}`;
}

/** Index of the `]` that closes the class opening at `src[start]` (Go: a `]` first is a character). */
function classEnd(src: string, start: number): number {
  let i = start + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++;
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src.startsWith('[:', i)) {
      const close = src.indexOf(':]', i + 2);
      if (close < 0) throw new Error('unterminated POSIX class');
      i = close + 1;
    } else if (src[i] === ']') return i;
  }
  throw new Error('unterminated character class');
}

/** One Go class in JavaScript: POSIX classes spelled out, a leading `]` escaped, letters folded if asked. */
function convertClass(cls: string, fold: boolean): string {
  let i = 1;
  let negated = '';
  if (cls[i] === '^') {
    negated = '^';
    i++;
  }
  let out = '';
  let extra = '';
  const atoms: string[] = [];
  for (; i < cls.length - 1; i++) {
    const c = cls[i] as string;
    if (c === '\\') {
      atoms.push(escape(cls, i));
      i++;
      continue;
    }
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(cls.slice(i));
    if (posix) {
      const set = POSIX[posix[2] ?? ''];
      if (!set || posix[1]) throw new Error(`POSIX class ${posix[0]} is not converted`);
      atoms.push(set);
      i += posix[0].length - 1;
      continue;
    }
    // A `[` or `]` inside a class is a character in Go; escaped, JavaScript reads it so too.
    atoms.push(c === '[' || c === ']' ? `\\${c}` : c);
  }
  for (let a = 0; a < atoms.length; a++) {
    const x = atoms[a] as string;
    const to = atoms[a + 2];
    if (atoms[a + 1] === '-' && to !== undefined) {
      out += `${x}-${to}`;
      if (fold && isLetter(x) && isLetter(to)) {
        if (/[a-z]/.test(x) !== /[a-z]/.test(to)) throw new Error(`range ${x}-${to} mixes cases`);
        extra += `${otherCase(x)}-${otherCase(to)}`;
      }
      a += 2;
      continue;
    }
    out += x;
    if (fold && isLetter(x)) extra += otherCase(x);
  }
  // The other case goes first: after a trailing `-` it would read as a range.
  return `[${negated}${extra}${out}]`;
}

/** Allowlists that can apply to a paste (one with a file name or commit condition under AND cannot). */
function convertAllowlist(
  a: TomlAllowlist,
  of: string,
  dropped: { allowlist: string; regex: string; reason: string }[],
): ImportedAllowlist | undefined {
  const and = a.condition === 'AND';
  if (and && (a.paths?.length || a.commits?.length)) return undefined;
  // An allowlist regex that cannot be converted is dropped: the rule then redacts more, never less.
  const regexes = (a.regexes ?? []).flatMap((r) => {
    try {
      return [convertGo(r)];
    } catch (e) {
      dropped.push({ allowlist: of, regex: r, reason: (e as Error).message });
      return [];
    }
  });
  const stopwords = (a.stopwords ?? []).map((w) => w.toLowerCase());
  if (!regexes.length && !stopwords.length) return undefined;
  const target = a.regexTarget === 'match' || a.regexTarget === 'line' ? a.regexTarget : 'secret';
  return { target, and, regexes, stopwords };
}

/** A deterministic generator, so that the cases are the same on every run of the generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

// randexp is CommonJS: its module object is the class, which its types call the default export.
const RandExp = randexp as unknown as typeof randexp.default;

/** gitleaks' licence, which travels with the converted rules. */
const LICENCE = `MIT License

Copyright (c) 2019 Zachary Rice

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

/**
 * Near misses for rules where every variant of the positive is still a credential to our own rules (any
 * `Authorization:` value is redacted, however short).
 */
const NEAR_MISS_BY_HAND: Record<string, string> = {
  'curl-auth-header':
    'curl -H "Content-Type: application/json" --header "Accept: text/plain" https://example.com',
};

export interface GitleaksCase {
  rule: string;
  positive: string;
  /** The secret inside `positive`, which the redaction must remove. */
  secret: string;
  nearMiss: string;
  /** How the near miss was made from the positive. */
  nearMissKind: string;
}

function main(): void {
  const [file, source = 'gitleaks config/gitleaks.toml'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: npm run gen:gitleaks -- PATH/TO/gitleaks.toml [SOURCE]\n');
    process.exit(2);
  }
  const config = parse(readFileSync(file, 'utf8')) as unknown as TomlConfig;
  const skipped: { id: string; reason: string }[] = [];
  const dropped: { allowlist: string; regex: string; reason: string }[] = [];
  const rules: ImportedRule[] = [];
  for (const r of config.rules) {
    if (!r.regex) {
      skipped.push({ id: r.id, reason: 'no regex: it matches file names only' });
      continue;
    }
    if (r.path) {
      skipped.push({ id: r.id, reason: `applies only to files named like ${r.path}` });
      continue;
    }
    try {
      const allowlists = (r.allowlists ?? []).flatMap((a) => convertAllowlist(a, r.id, dropped) ?? []);
      // The leading lazy `[\w.-]{0,50}?` only widens a match to the key's name: taken off (and put back
      // for `match` allowlists at run time) it no longer costs re2js most of its time.
      const prefix = '[\\w.-]{0,50}?';
      const lead = r.regex.startsWith('(?i)') ? 4 : 0;
      const keyPrefix = r.regex.startsWith(prefix, lead) ? 50 : 0;
      const regex = keyPrefix ? r.regex.slice(0, lead) + r.regex.slice(lead + prefix.length) : r.regex;
      rules.push({
        id: r.id,
        regex: convertGo(regex),
        ...(keyPrefix ? { keyPrefix } : {}),
        keywords: [...new Set((r.keywords ?? []).map((k) => k.toLowerCase()))],
        ...(r.entropy ? { entropy: r.entropy } : {}),
        ...(r.secretGroup ? { secretGroup: r.secretGroup } : {}),
        allowlists,
      });
    } catch (e) {
      skipped.push({ id: r.id, reason: (e as Error).message });
    }
  }
  const global = [config.allowlist, ...(config.allowlists ?? [])].flatMap((a) =>
    a ? (convertAllowlist(a, 'global', dropped) ?? []) : [],
  );
  const noKeywords = rules.filter((r) => r.keywords.length === 0).map((r) => r.id);
  if (noKeywords.length)
    throw new Error(`rules without keywords would run on every line: ${noKeywords.join(', ')}`);

  const set = new ImportedRules(rules, global);
  const full = (t: string) => set.redact(redactOwn(t), REDACTED);
  const cases: GitleaksCase[] = [];
  const noCase: { id: string; reason: string }[] = [];
  rules.forEach((rule, n) => {
    const random = rng(n + 1);
    const gen = new RandExp(new RegExp(rule.regex.source, rule.regex.flags));
    gen.max = 8;
    gen.randInt = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
    let found: { positive: string; secret: string } | undefined;
    for (let attempt = 0; attempt < 400 && !found; attempt++) {
      const g = gen.gen();
      if (/[\r\n]/.test(g)) continue;
      // Some rules' keywords are not part of their regex (`airtable` for `pat…`): the line names them.
      for (const s of [g, `${rule.keywords[0] ?? ''} ${g}`]) {
        const f = set.findInLine(rule.id, s)[0];
        if (!f || !rule.keywords.some((k) => s.toLowerCase().includes(k))) continue;
        const secret = s.slice(f.start, f.end);
        if (full(s).includes(secret)) continue;
        found = { positive: s, secret };
        break;
      }
    }
    if (!found) {
      noCase.push({ id: rule.id, reason: 'no generated positive survived its entropy and allowlists' });
      return;
    }
    const { positive, secret } = found;
    const at = positive.indexOf(secret);
    const swap = (by: string) => positive.slice(0, at) + by + positive.slice(at + secret.length);
    const variants: [string, string][] = [
      ['secret cut to half its length', swap(secret.slice(0, Math.floor(secret.length / 2)))],
      ['secret cut to a third of its length', swap(secret.slice(0, Math.floor(secret.length / 3)))],
      ['secret of one repeated character', swap((secret[0] ?? 'x').repeat(secret.length))],
      ['secret cut to 8 characters', swap(secret.slice(0, 8))],
      ['secret cut to 4 characters', swap(secret.slice(0, 4))],
      [
        'keyword removed',
        rule.keywords.reduce(
          (s, k) => s.replace(new RegExp(k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), ''),
          positive,
        ),
      ],
    ];
    const byHand = NEAR_MISS_BY_HAND[rule.id];
    if (byHand) variants.push(['written by hand', byHand]);
    const near = variants.find(([, v]) => v !== positive && v.trim() !== '' && full(v) === v);
    if (!near) {
      noCase.push({ id: rule.id, reason: 'no near miss left alone (every variant is still redacted)' });
      return;
    }
    cases.push({ rule: rule.id, positive, secret, nearMiss: near[1], nearMissKind: near[0] });
  });
  void write({ source, total: config.rules.length, rules, global, skipped, dropped, cases, noCase });
}

async function write(o: {
  source: string;
  total: number;
  rules: ImportedRule[];
  global: ImportedAllowlist[];
  skipped: { id: string; reason: string }[];
  dropped: { allowlist: string; regex: string; reason: string }[];
  cases: GitleaksCase[];
  noCase: { id: string; reason: string }[];
}): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const ts = `/*
 * GENERATED by scripts/gen-gitleaks.ts from ${o.source}; do not edit, run \`npm run gen:gitleaks\`.
 * ${o.total} rules read, ${o.rules.length} imported, ${o.skipped.length} skipped (GITLEAKS_SKIPPED says why).
 *
 * The rules are gitleaks' (https://github.com/gitleaks/gitleaks), under its licence:
 *
${LICENCE.split('\n')
  .map((l) => ` * ${l}`.trimEnd())
  .join('\n')}
 */
import type { ImportedAllowlist, ImportedRule } from './imported.js';

export const GITLEAKS_SOURCE = ${JSON.stringify({ source: o.source, read: o.total, imported: o.rules.length })};

export const GITLEAKS_SKIPPED: readonly { id: string; reason: string }[] = ${JSON.stringify(o.skipped)};

/** Allowlist regexes that did not convert: their rules redact more, never less. */
export const GITLEAKS_DROPPED_ALLOWLISTS: readonly { allowlist: string; regex: string; reason: string }[] = ${JSON.stringify(o.dropped)};

export const GITLEAKS_ALLOWLISTS: readonly ImportedAllowlist[] = ${JSON.stringify(o.global)};

export const GITLEAKS_RULES: readonly ImportedRule[] = ${JSON.stringify(o.rules)};
`;
  const tsFile = path.join(root, 'src', 'redact', 'gitleaks-rules.ts');
  writeFileSync(tsFile, await format(ts, { ...(await resolveConfig(tsFile)), filepath: tsFile }));
  const casesFile = path.join(root, 'test', 'redact', 'gitleaks-cases.json');
  writeFileSync(
    casesFile,
    await format(JSON.stringify({ cases: o.cases, withoutCase: o.noCase }), {
      ...(await resolveConfig(casesFile)),
      filepath: casesFile,
    }),
  );
  process.stdout.write(
    `${o.total} rules read, ${o.rules.length} imported, ${o.skipped.length} skipped:\n` +
      o.skipped.map((s) => `  ${s.id}: ${s.reason}\n`).join('') +
      `${o.dropped.length} allowlist regexes dropped:\n` +
      o.dropped.map((d) => `  ${d.allowlist}: ${d.regex}: ${d.reason}\n`).join('') +
      `${o.cases.length} rules with a positive and a near miss; ${o.noCase.length} without:\n` +
      o.noCase.map((s) => `  ${s.id}: ${s.reason}\n`).join(''),
  );
}

main();
