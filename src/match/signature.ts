/** Compiling guide signatures, and the checks that keep a regex signature from stalling the bot. */

export type CompiledSignature =
  | { kind: 'literal'; raw: string; text: string }
  | { kind: 'regex'; raw: string; re: RegExp; required: string | undefined };

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

export function isRegexSignature(raw: string): boolean {
  return REGEX_FORM.test(raw);
}

/** Throws an Error whose message says what is wrong with a regex signature. */
export function compileSignature(raw: string): CompiledSignature {
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
  return { kind: 'regex', raw, re, required: requiredLiteral(source) };
}

interface Group {
  hasQuantifier: boolean;
  alternatives: string[];
  current: string;
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
    const unbounded = (j: number) =>
      source[j] === '*' ||
      source[j] === '+' ||
      /^\{\d+,\}/.test(source.slice(j)) ||
      /^\{\d+,\d{2,}\}/.test(source.slice(j));
    if (c === ')') {
      const group = stack.pop();
      if (!group || stack.length === 0) return 'unbalanced parentheses';
      group.alternatives.push(group.current);
      const parent = stack[stack.length - 1] as Group;
      if (quantified(i + 1) && unbounded(i + 1)) {
        if (group.hasQuantifier) return 'a repeated group contains a repetition (nested quantifiers)';
        if (overlappingAlternatives(group.alternatives))
          return 'a repeated group has alternatives that can match the same text';
      }
      if (group.hasQuantifier || quantified(i + 1)) parent.hasQuantifier = true;
      parent.current += '(…)';
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
  const firsts = alts.map((a) => (a.startsWith('\\') ? a.slice(0, 2) : a.slice(0, 1)));
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
