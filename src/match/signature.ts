/** Compiling guide signatures, and the checks that keep a regex signature from stalling the bot. */
import type { RE2JS } from 're2js';
import { re2js } from '../util/lazy-deps.js';

export interface RegexHit {
  index: number;
  length: number;
}

/**
 * `native` runs on V8's backtracking engine and is only chosen when `backtrackingBound` proves the work per
 * start position bounded by a small constant; everything else runs on `linear` (re2js, an RE2 port whose
 * time is linear in the text), because Node has one thread and no time budget can interrupt a running
 * backtracking regex.
 */
export type RegexEngine = 'native' | 'linear';

export type CompiledSignature =
  | { kind: 'literal'; raw: string; text: string }
  | {
      kind: 'regex';
      raw: string;
      re: RegExp;
      required: string | undefined;
      engine: RegexEngine;
      exec: (text: string) => RegexHit | null;
    };

/** Backtracking steps per start position up to which a regex may run natively. */
const NATIVE_BOUND = 64;

export const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

export function isRegexSignature(raw: string): boolean {
  return REGEX_FORM.test(raw);
}

/** Loading checks every signature and the index compiles it again: compile each text once per process. */
const compiled = new Map<string, CompiledSignature>();

/** Throws an Error whose message says what is wrong with a regex signature. */
export function compileSignature(raw: string): CompiledSignature {
  let sig = compiled.get(raw);
  if (!sig) {
    sig = compileUncached(raw);
    compiled.set(raw, sig);
  }
  return sig;
}

function compileUncached(raw: string): CompiledSignature {
  const m = REGEX_FORM.exec(raw);
  if (!m) return { kind: 'literal', raw, text: raw.toLowerCase() };
  const source = m[1] ?? '';
  const flags = m[2] ?? '';
  const bad = flags.replace(/[imsu]/g, '');
  if (bad) throw new Error(`regex flag(s) "${bad}" are not allowed (use i, m, s, u)`);
  const unsafe = unsafeRegexReason(source);
  if (unsafe) throw new Error(`regex ${raw} could backtrack catastrophically: ${unsafe}`);
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new Error(`regex ${raw} does not compile: ${(e as Error).message}`);
  }
  if (re.test('')) throw new Error(`regex ${raw} matches the empty string, so it would match every paste`);
  const required = requiredLiteral(source);
  const bound = backtrackingBound(source);
  if (bound !== undefined && bound <= NATIVE_BOUND) {
    const exec = (text: string): RegexHit | null => {
      const m = re.exec(text);
      return m ? { index: m.index, length: m[0].length } : null;
    };
    return { kind: 'regex', raw, re, required, engine: 'native', exec };
  }
  let linear: RE2JS;
  try {
    const Re2 = re2js();
    linear = Re2.compile(
      forRe2(source),
      (flags.includes('i') ? Re2.CASE_INSENSITIVE : 0) |
        (flags.includes('m') ? Re2.MULTILINE : 0) |
        (flags.includes('s') ? Re2.DOTALL : 0),
    );
  } catch (e) {
    throw new Error(
      `regex ${raw} needs backtracking (lookarounds and backreferences are not supported, so that no paste can stall the bot): ${(e as Error).message}`,
    );
  }
  const exec = (text: string): RegexHit | null => {
    const m = linear.matcher(text);
    return m.find() ? { index: m.start(), length: m.end() - m.start() } : null;
  };
  return { kind: 'regex', raw, re, required, engine: 'linear', exec };
}

/**
 * True when a regex may run on V8's backtracking engine: no exponential shape and a small constant bound
 * on the work per start position. Everything else goes to the linear engine (re2js).
 */
export function runsNatively(source: string): boolean {
  const bound = backtrackingBound(source);
  return unsafeRegexReason(source) === undefined && bound !== undefined && bound <= NATIVE_BOUND;
}

/** JavaScript's `\uXXXX` and `\u{X}` escapes in RE2's spelling, `\x{X}`; everything else RE2 reads as is. */
export function forRe2(source: string): string {
  return source.replace(
    /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|.)/gs,
    (m, braced?: string, four?: string) => (braced || four ? `\\x{${braced ?? four}}` : m),
  );
}

/**
 * An upper bound on the paths a backtracking engine can try from one start position, when the regex has
 * no unbounded or nested repetition; undefined when it has (no constant bound exists). Each alternation
 * multiplies by its number of alternatives and each counted repetition by its range.
 */
export function backtrackingBound(source: string): number | undefined {
  let bound = 1;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '*' || c === '+') return undefined;
    else if (c === '|') bound *= 2;
    else if (c === '?' && source[i - 1] !== '(') bound *= 2;
    else if (c === '{') {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!q) continue;
      if (q[2] !== undefined && !q[3]) return undefined;
      const min = Number(q[1]);
      const max = q[3] ? Number(q[3]) : min;
      // A counted group repeats whatever is inside it: treat it as unbounded rather than reason about nesting.
      if (source[i - 1] === ')' && max > 1) return undefined;
      bound *= max - min + 1;
    }
  }
  return bound;
}

interface Group {
  hasQuantifier: boolean;
  alternatives: string[];
  current: string;
  /** The group nested last in this one, for a group that only wraps another: `((a|a))*`. */
  child?: Group;
}

/**
 * A conservative static check for the shapes that give JavaScript's backtracking engine exponential
 * time: a quantified group that itself contains a quantifier (star height above one), a quantified group
 * of alternatives that can match the same text, and backreferences. Returns why, or undefined when safe.
 */
export function unsafeRegexReason(source: string): string | undefined {
  const stack: Group[] = [{ hasQuantifier: false, alternatives: [], current: '' }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const top = stack[stack.length - 1] as Group;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9k]/.test(next)) return 'backreferences are not allowed';
      top.current += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      top.current += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      top.current += c;
      continue;
    }
    if (c === '(') {
      stack.push({ hasQuantifier: false, alternatives: [], current: '' });
      if (source[i + 1] === '?') {
        // (?: (?= (?! (?<= (?<! (?<name>
        const close = source.slice(i + 1).match(/^\?(?:[:=!]|<[=!]|<[A-Za-z_]\w*>)/);
        if (close) i += close[0].length;
      }
      continue;
    }
    if (c === '|') {
      top.alternatives.push(top.current);
      top.current = '';
      continue;
    }
    const quantified = (j: number) =>
      /[*+?{]/.test(source[j] ?? '') && !(source[j] === '{' && !/^\{\d+(?:,\d*)?\}/.test(source.slice(j)));
    // Any repetition of variable count counts: `(?:(?:a{1,9}){1,9}){1,9}` is as exponential as `(a+)+`.
    const unbounded = (j: number) => {
      if (source[j] === '*' || source[j] === '+') return true;
      const q = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(j));
      return !!q && q[2] !== undefined && (!q[3] || Number(q[3]) > Number(q[1]));
    };
    if (c === ')') {
      const group = stack.pop();
      if (!group || stack.length === 0) return 'unbalanced parentheses';
      group.alternatives.push(group.current);
      const parent = stack[stack.length - 1] as Group;
      // A group that only wraps another has that group's alternatives.
      const alternatives =
        group.alternatives.length === 1 && group.alternatives[0] === '(…)' && group.child
          ? group.child.alternatives
          : group.alternatives;
      if (quantified(i + 1) && unbounded(i + 1)) {
        if (group.hasQuantifier) return 'a repeated group contains a repetition (nested quantifiers)';
        if (overlappingAlternatives(alternatives))
          return 'a repeated group has alternatives that can match the same text';
      }
      if (group.hasQuantifier || quantified(i + 1)) parent.hasQuantifier = true;
      parent.current += '(…)';
      parent.child = { ...group, alternatives };
      continue;
    }
    if (/[*+?{]/.test(c) && quantified(i)) {
      top.hasQuantifier = top.hasQuantifier || unbounded(i);
    }
    top.current += c;
  }
  if (stack.length !== 1) return 'unbalanced parentheses';
  return undefined;
}

function overlappingAlternatives(alts: string[]): boolean {
  if (alts.length < 2) return false;
  if (alts.some((a) => a === '')) return true;
  // An escape that spells a plain character (`\x61`, `\u0061`, `\u{61}`, `\.`) is that character.
  const firsts = alts.map((a) => {
    const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]+)\})/.exec(a);
    if (hex) return String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3] ?? '0', 16));
    if (/^\\[^\w]/.test(a)) return a.slice(1, 2);
    return a.startsWith('\\') ? a.slice(0, 2) : a.slice(0, 1);
  });
  // Classes, dots and escapes like \w can overlap with anything: be conservative.
  if (firsts.some((f) => f === '.' || f === '[' || /^\\[wWsSdDbB]$/.test(f) || f === '(')) return true;
  return new Set(firsts.map((f) => f.toLowerCase())).size < firsts.length;
}

/**
 * The longest run of characters every match must contain, lowercased, if it has 3 or more characters:
 * lines without it cannot match, so the regex only runs on lines that have it.
 */
export function requiredLiteral(source: string): string | undefined {
  // A top-level alternation means no single run is required.
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return undefined;
  }
  const runs: string[] = [];
  let run = '';
  const flush = () => {
    if (run) runs.push(run);
    run = '';
  };
  depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const next = source[i + 1] ?? '';
    const optional = next === '?' || next === '*' || (next === '{' && /^\{0/.test(source.slice(i + 1)));
    if (c === '\\') {
      const e = next;
      const after = source[i + 2] ?? '';
      const optionalEscaped = after === '?' || after === '*';
      i++;
      if (/[.\-/:()[\]{}*+?^$|\\ '"=,@#%&!<>]/.test(e) && depth === 0 && !optionalEscaped) run += e;
      else flush();
      continue;
    }
    if (c === '(' || c === '[') {
      flush();
      if (c === '(') depth++;
      else {
        const end = source.indexOf(']', i + 1);
        i = end < 0 ? source.length : end;
      }
      continue;
    }
    if (c === ')') {
      flush();
      depth--;
      continue;
    }
    if (c === '{') {
      const q = /^\{\d*(?:,\d*)?\}/.exec(source.slice(i));
      flush();
      if (q) i += q[0].length - 1;
      continue;
    }
    if (depth > 0 || /[.^$*+?}|]/.test(c) || optional) {
      flush();
      continue;
    }
    if (next === '+') {
      run += c;
      flush();
      continue;
    }
    run += c;
  }
  flush();
  const best = runs.map((r) => r.toLowerCase()).sort((a, b) => b.length - a.length)[0];
  return best && best.trim().length >= 3 ? best : undefined;
}

/**
 * A signature for the index, whose regex is compiled (and so checked) only when a paste first runs it:
 * its kind, text and required literal come from the text alone, so prefiltering a paste against the
 * regexes no word keys compiles none of them.
 */
export function lazySignature(raw: string): CompiledSignature {
  const done = compiled.get(raw);
  if (done) return done;
  const m = REGEX_FORM.exec(raw);
  return m ? new LazyRegex(raw, m[1] ?? '') : compileSignature(raw);
}

class LazyRegex {
  readonly kind = 'regex';
  readonly required: string | undefined;
  constructor(
    readonly raw: string,
    source: string,
  ) {
    this.required = requiredLiteral(source);
  }
  private compiled: Extract<CompiledSignature, { kind: 'regex' }> | undefined;
  private get full(): Extract<CompiledSignature, { kind: 'regex' }> {
    return (this.compiled ??= compileSignature(this.raw) as Extract<CompiledSignature, { kind: 'regex' }>);
  }
  get re(): RegExp {
    return this.full.re;
  }
  get engine(): RegexEngine {
    return this.full.engine;
  }
  get exec(): (text: string) => RegexHit | null {
    return this.full.exec;
  }
}

/**
 * What a line must hold for a regex to match it: every group, one text of each (lowercased, as
 * `CleanedPaste.lower` is). Stronger than `requiredLiteral`, which the index also reads for word weights
 * and so must stay as it is: this one keeps two-character texts, every run rather than the longest, and
 * one text per alternative of an alternation. It only decides where a regex need not run, so it has to be
 * sound, never complete: anything it does not understand requires nothing.
 */
export type RegexNeeds = readonly (readonly string[])[];

const needsOf = new Map<string, RegexNeeds>();

/** The needs of a regex signature's text (`/source/flags`), worked out once per process. */
export function regexNeeds(raw: string): RegexNeeds {
  let needs = needsOf.get(raw);
  if (!needs) {
    const m = REGEX_FORM.exec(raw);
    needs = m ? requiredTexts(m[1] ?? '') : [];
    needsOf.set(raw, needs);
  }
  return needs;
}

/** False only when `lower` (a lowercased line or paste) lacks a text the regex needs. */
export function mayMatch(needs: RegexNeeds, lower: string): boolean {
  for (const group of needs) if (!group.some((t) => lower.includes(t))) return false;
  return true;
}

/**
 * What follows the letter of an escape and belongs to it (`\x41`, `\u{1F600}`, `\p{L}`, `\k<name>`; the
 * digits of `\012` or `\12` too).
 */
const ESCAPE_PAYLOAD: Partial<Record<string, RegExp>> = {
  x: /^[0-9a-fA-F]{2}/,
  u: /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/,
  c: /^[A-Za-z]/,
  p: /^\{[^}]*\}/,
  P: /^\{[^}]*\}/,
  k: /^<[^>]*>/,
};

/** Lowercasing these depends on their neighbours (the final sigma), so a text with one is no test. */
const CONTEXTUAL_CASE = /[Σσς]/;

export function requiredTexts(source: string): RegexNeeds {
  let i = 0;
  const keep = (t: string): boolean => t.length >= 2 && !CONTEXTUAL_CASE.test(t);
  // Parses up to an unmatched `)` or the end; undefined when the syntax is not one it follows.
  const sequence = (): string[][] | undefined => {
    const alternatives: string[][][] = [];
    let needs: string[][] = [];
    let run = '';
    const flush = () => {
      const t = run.toLowerCase();
      if (keep(t)) needs.push([t]);
      run = '';
    };
    // After an atom: 0 when it may be absent, 1 when it is there once, 2 when it may repeat.
    const quantifier = (): 0 | 1 | 2 => {
      const c = source[i];
      let times: 0 | 1 | 2 = 1;
      if (c === '?' || c === '*') {
        times = 0;
        i++;
      } else if (c === '+') {
        times = 2;
        i++;
      } else if (c === '{') {
        const q = /^\{(\d+)(,\d*)?\}/.exec(source.slice(i));
        if (!q) return 1;
        times = Number(q[1]) === 0 ? 0 : q[2] !== undefined || Number(q[1]) > 1 ? 2 : 1;
        i += q[0].length;
      } else return 1;
      if (source[i] === '?') i++;
      return times;
    };
    while (i < source.length) {
      const c = source[i] as string;
      if (c === ')') break;
      if (c === '|') {
        flush();
        alternatives.push(needs);
        needs = [];
        i++;
        continue;
      }
      if (c === '(') {
        flush();
        i++;
        let look = false;
        if (source[i] === '?') {
          const head = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i));
          if (!head) return undefined;
          look = /^\?(?:=|!|<=|<!)/.test(head[0]);
          i += head[0].length;
        }
        const inner = sequence();
        if (inner === undefined || source[i] !== ')') return undefined;
        i++;
        if (quantifier() !== 0 && !look) needs.push(...inner);
        continue;
      }
      if (c === '[') {
        flush();
        i++;
        if (source[i] === '^') i++;
        if (source[i] === ']') i++;
        while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
        if (i >= source.length) return undefined;
        i++;
        quantifier();
        continue;
      }
      if (c === '\\') {
        const e = source[i + 1] ?? '';
        i += 2;
        if (/[A-Za-z0-9]/.test(e) || e === '') {
          // A class, an anchor, a back reference or a spelled character: none is read as text here.
          flush();
          const payload = (/[0-9]/.test(e) ? /^[0-9]+/ : ESCAPE_PAYLOAD[e])?.exec(source.slice(i));
          if (payload) i += payload[0].length;
          quantifier();
          continue;
        }
        const times = quantifier();
        if (times === 0) flush();
        else {
          run += e;
          if (times === 2) flush();
        }
        continue;
      }
      if (c === '.' || c === '^' || c === '$') {
        flush();
        i++;
        quantifier();
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || c === '{' || c === '}' || c === ']') {
        // A quantifier with nothing to repeat, or a brace read as text: leave the whole regex alone.
        return undefined;
      }
      i++;
      const times = quantifier();
      if (times === 0) flush();
      else {
        run += c;
        if (times === 2) flush();
      }
    }
    flush();
    if (!alternatives.length) return needs;
    alternatives.push(needs);
    // One group out of each alternative, the one whose shortest text is longest, joined: a line that
    // matches any alternative holds one of them.
    const group: string[] = [];
    for (const alt of alternatives) {
      const best = alt.reduce<string[] | undefined>(
        (b, g) => (b && Math.min(...b.map((t) => t.length)) >= Math.min(...g.map((t) => t.length)) ? b : g),
        undefined,
      );
      if (!best) return [];
      group.push(...best);
    }
    return [[...new Set(group)]];
  };
  const needs = sequence();
  return needs === undefined || i < source.length ? [] : needs;
}
