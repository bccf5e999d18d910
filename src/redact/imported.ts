/**
 * The imported secret rules (gitleaks', converted by scripts/gen-gitleaks.ts into gitleaks-rules.ts) run
 * the way gitleaks runs them: a rule is tried only on lines that hold one of its keywords, its secret is
 * its first non-empty group (or `secretGroup`), a secret at or under the rule's entropy is not one, and an
 * allowlist (the rule's own or the global one) can excuse it. The regexes run on untrusted text, so each
 * one that the static check cannot prove cheap runs on the linear engine, as guide signatures do.
 */
import { re2js } from '../util/lazy-deps.js';
import { forRe2, runsNatively } from '../match/signature.js';

export interface RuleRegex {
  /** JavaScript source (a leading `(?i)` already turned into the `i` flag). */
  source: string;
  flags: '' | 'i';
}

export interface ImportedAllowlist {
  /** What the regexes test: the secret (default), the whole match, or the whole line. */
  target: 'secret' | 'match' | 'line';
  /** True when every kind given (regexes, stopwords) must excuse the finding; otherwise any one does. */
  and: boolean;
  regexes: RuleRegex[];
  /** Lowercase; a secret containing one is excused. */
  stopwords: string[];
}

export interface ImportedRule {
  id: string;
  regex: RuleRegex;
  /** Lowercase; the rule runs only on lines containing one. */
  keywords: string[];
  /** A secret whose Shannon entropy is at or under this is not one. */
  entropy?: number;
  secretGroup?: number;
  /**
   * gitleaks' `[\w.-]{0,50}?` that leads many regexes, taken off by the generator: it only widens the
   * match to the key's name, and costs re2js most of its compile and run time. A match is widened back
   * over up to this many such characters before a `match` allowlist sees it.
   */
  keyPrefix?: number;
  allowlists: ImportedAllowlist[];
}

interface Hit {
  start: number;
  end: number;
  /** Groups 1..n: text and start offset, or undefined when the group did not take part. */
  groups: ({ text: string; start: number } | undefined)[];
}

type FindAll = (text: string) => Hit[];

/** Compiles on first use: most rules never meet a line with their keyword, and re2js compiles slowly. */
function lazily(r: RuleRegex): FindAll {
  let find: FindAll | undefined;
  return (text) => (find ??= compile(r))(text);
}

function compile(r: RuleRegex): FindAll {
  if (runsNatively(r.source)) {
    const re = new RegExp(r.source, `${r.flags}gd`);
    return (text) => {
      const hits: Hit[] = [];
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[0] === '') re.lastIndex++;
        const idx = m.indices;
        hits.push({
          start: m.index,
          end: m.index + m[0].length,
          groups: m.slice(1).map((g, i) => {
            const at = idx?.[i + 1];
            return g === undefined || !at ? undefined : { text: g, start: at[0] };
          }),
        });
      }
      return hits;
    };
  }
  const Re2 = re2js();
  const re = Re2.compile(forRe2(r.source), r.flags === 'i' ? Re2.CASE_INSENSITIVE : 0);
  return (text) => {
    const hits: Hit[] = [];
    const m = re.matcher(text);
    while (m.find()) {
      const groups: Hit['groups'] = [];
      for (let g = 1; g <= m.groupCount(); g++) {
        const s = m.start(g);
        groups.push(s < 0 ? undefined : { text: m.group(g) ?? '', start: s });
      }
      hits.push({ start: m.start(), end: m.end(), groups });
    }
    return hits;
  };
}

/** Shannon entropy in bits per character, as gitleaks computes it. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  let n = 0;
  for (const c of s) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
    n++;
  }
  let h = 0;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

interface CompiledAllowlist {
  target: ImportedAllowlist['target'];
  and: boolean;
  regexes: FindAll[];
  stopwords: string[];
}

/**
 * The tail of gitleaks' generic-api-key regex: an assignment operator, some quoting, then a token of 10 to
 * 150 word characters or a base64-ish run of 12 or more. Its keywords (`key`, `api`, `token`, `auth`,
 * `access`…) are common words in logs, so it is the rule that most often loads re2js and compiles a
 * large regex for a line that cannot match.
 */
const GENERIC_TAIL =
  '(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60\'"\\s=]{0,5}([\\w.=-]{10,150}|[A-Za-z0-9][A-Za-z0-9+/]{11,}={0,3})(?:[\\x60\'"\\s;]|\\\\[NRnr]|$)';

/**
 * What every match of GENERIC_TAIL contains: the operator's first character, at most 8 characters of
 * the rest of the operator (`::=`, `|`, `>`, `=`) and of the quoting, then the token's first 10
 * characters (from either of its classes). JavaScript's `\s` is wider than RE2's, so this only widens it.
 * Run natively: at most 9 × 10 steps from each start.
 */
const GENERIC_NEEDS = /[=>:|?,][:=|>`'"\s]{0,8}[\w.=+/-]{10}/;

/**
 * A cheap test that a line cannot match a rule, run before the rule (and before re2js is loaded for
 * it), or undefined. Exact: it is true of every line the rule matches (test/redact/prefilter.test.ts).
 */
export function rulePrefilter(r: RuleRegex): RegExp | undefined {
  return r.flags === '' && r.source.endsWith(GENERIC_TAIL) ? GENERIC_NEEDS : undefined;
}

interface CompiledRule {
  id: string;
  find: FindAll;
  /** Lines this fails cannot match `find`. */
  needs: RegExp | undefined;
  entropy: number | undefined;
  secretGroup: number | undefined;
  keyPrefix: number;
  allowlists: CompiledAllowlist[];
}

const compileAllowlist = (a: ImportedAllowlist): CompiledAllowlist => ({
  target: a.target,
  and: a.and,
  regexes: a.regexes.map(lazily),
  stopwords: a.stopwords,
});

function excused(lists: CompiledAllowlist[], secret: string, match: string, line: string): boolean {
  const lower = secret.toLowerCase();
  return lists.some((a) => {
    const target = a.target === 'secret' ? secret : a.target === 'match' ? match : line;
    const checks: boolean[] = [];
    if (a.regexes.length) checks.push(target !== '' && a.regexes.some((f) => f(target).length > 0));
    if (a.stopwords.length) checks.push(lower !== '' && a.stopwords.some((w) => lower.includes(w)));
    return a.and ? checks.length > 0 && checks.every(Boolean) : checks.some(Boolean);
  });
}

/** A finding: where the secret is in the line, and which rule found it. */
export interface Finding {
  rule: string;
  start: number;
  end: number;
}

/**
 * Keyword search over a whole text in one pass (Aho–Corasick), so that the cost of 200 rules on a log
 * with none of their keywords is one walk of the text.
 */
class KeywordIndex {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(readonly keywords: readonly string[]) {
    keywords.forEach((k, ki) => {
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        let t = this.next[s]?.get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s]?.set(c, t);
        }
        s = t;
      }
      this.out[s]?.push(ki);
    });
    const queue: number[] = [];
    for (const t of this.next[0]?.values() ?? []) queue.push(t);
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      for (const [c, t] of this.next[s] ?? []) {
        queue.push(t);
        let f = this.fail[s] as number;
        while (f && !this.next[f]?.has(c)) f = this.fail[f] as number;
        const ft = this.next[f]?.get(c);
        this.fail[t] = ft !== undefined && ft !== t ? ft : 0;
        this.out[t]?.push(...(this.out[this.fail[t] as number] ?? []));
      }
    }
  }

  /**
   * For each line that holds a keyword: the line's start offset and the keywords' indexes. Letters are
   * lowercased as they are read (keywords are ASCII), so a 16 MiB output is not copied to be searched.
   */
  linesWithKeywords(text: string): Map<number, Set<number>> {
    const found = new Map<number, Set<number>>();
    let s = 0;
    let lineStart = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c === 10) lineStart = i + 1;
      else if (c >= 65 && c <= 90) c += 32;
      let t = this.next[s]?.get(c);
      while (t === undefined && s) {
        s = this.fail[s] as number;
        t = this.next[s]?.get(c);
      }
      s = t ?? 0;
      const hits = this.out[s];
      if (hits?.length) {
        let set = found.get(lineStart);
        if (!set) found.set(lineStart, (set = new Set()));
        for (const h of hits) set.add(h);
      }
    }
    return found;
  }
}

/** Imported rules, compiled once, with the global allowlist. */
export class ImportedRules {
  private readonly rules: CompiledRule[];
  private readonly global: CompiledAllowlist[];
  private readonly index: KeywordIndex;
  /** keyword index -> rules that list it. */
  private readonly rulesOf: number[][];

  constructor(rules: readonly ImportedRule[], global: readonly ImportedAllowlist[]) {
    this.rules = rules.map((r) => ({
      id: r.id,
      find: lazily(r.regex),
      needs: rulePrefilter(r.regex),
      entropy: r.entropy,
      secretGroup: r.secretGroup,
      keyPrefix: r.keyPrefix ?? 0,
      allowlists: r.allowlists.map(compileAllowlist),
    }));
    this.global = global.map(compileAllowlist);
    const keywords = [...new Set(rules.flatMap((r) => r.keywords))];
    this.index = new KeywordIndex(keywords);
    // One pass over the rules (a search of every rule per keyword was a third of a one-shot `explain`).
    const keywordAt = new Map(keywords.map((k, ki) => [k, ki]));
    this.rulesOf = keywords.map(() => []);
    rules.forEach((r, i) => {
      for (const k of new Set(r.keywords)) this.rulesOf[keywordAt.get(k) as number]?.push(i);
    });
  }

  get size(): number {
    return this.rules.length;
  }

  /** How many rules run on each engine (docs/diagnostics.md quotes it). */
  static engines(rules: readonly ImportedRule[]): { native: number; linear: number } {
    const native = rules.filter((r) => runsNatively(r.regex.source)).length;
    return { native, linear: rules.length - native };
  }

  /** Secrets in one line by one rule (by id): for tests that say which rule found what. */
  findInLine(id: string, line: string): Finding[] {
    const i = this.rules.findIndex((r) => r.id === id);
    return i < 0 ? [] : this.ruleFindings(i, line);
  }

  private ruleFindings(i: number, line: string): Finding[] {
    const rule = this.rules[i] as CompiledRule;
    const out: Finding[] = [];
    if (rule.needs && !rule.needs.test(line)) return out;
    for (const hit of rule.find(line)) {
      let from = hit.start;
      while (from > 0 && hit.start - from < rule.keyPrefix && /[\w.-]/.test(line[from - 1] as string)) from--;
      let match = line.slice(from, hit.end);
      // gitleaks trims newlines off a match; a line has none but its `\r`.
      match = match.replace(/^\n+|\n+$/g, '');
      let secret = { text: match, start: hit.start };
      const g = rule.secretGroup
        ? hit.groups[rule.secretGroup - 1]
        : hit.groups.find((x) => x !== undefined && x.text !== '');
      if (g && g.text) secret = g;
      if (!secret.text) continue;
      if (rule.entropy !== undefined && shannonEntropy(secret.text) <= rule.entropy) continue;
      if (
        excused(this.global, secret.text, match, line) ||
        excused(rule.allowlists, secret.text, match, line)
      )
        continue;
      out.push({ rule: rule.id, start: secret.start, end: secret.start + secret.text.length });
    }
    return out;
  }

  /** `text` with every secret an imported rule finds replaced by `marker`; `text` itself when none. */
  redact(text: string, marker: string): string {
    const byLine = this.index.linesWithKeywords(text);
    if (byLine.size === 0) return text;
    let out = '';
    let at = 0;
    // Map iteration follows insertion order, which is text order.
    for (const [start, kws] of byLine) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : nl;
      const line = text.slice(start, end);
      const ruleIdx = new Set<number>();
      for (const k of kws) for (const r of this.rulesOf[k] ?? []) ruleIdx.add(r);
      const spans: Finding[] = [];
      for (const r of ruleIdx) spans.push(...this.ruleFindings(r, line));
      if (!spans.length) continue;
      out += text.slice(at, start) + cut(line, spans, marker);
      at = end;
    }
    return at === 0 && out === '' ? text : out + text.slice(at);
  }
}

/** Replaces the union of the spans with one marker per run of overlapping spans. */
function cut(line: string, spans: Finding[], marker: string): string {
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  let open: { start: number; end: number } | undefined;
  for (const s of spans) {
    if (open && s.start < open.end) {
      open.end = Math.max(open.end, s.end);
      continue;
    }
    if (open) {
      out += line.slice(at, open.start) + marker;
      at = open.end;
    }
    open = { start: s.start, end: s.end };
  }
  if (open) {
    out += line.slice(at, open.start) + marker;
    at = open.end;
  }
  return out + line.slice(at);
}
