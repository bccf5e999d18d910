import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import type { z } from 'zod';

// yaml is required on first use: a start-up served from the knowledge cache parses no YAML, and every
// command imports this module for its error type.
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

/** One thing wrong with an input file, said so that a person can find and fix it. */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** `file:line: message`; a problem with no line (line 0: an environment variable) is `where: message`. */
export function formatProblem(p: Problem): string {
  return p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Thrown for bad input files; the CLI prints `problems` and never a stack trace. */
export class ProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}

/**
 * Reads a config or guide file as UTF-8, strictly: `readFileSync(file, 'utf8')` would turn bad bytes into
 * U+FFFD and carry on. Returns the text, or the problem (not a regular file, unreadable, not UTF-8) with
 * the file named.
 */
export function readTextFile(file: string): { text: string } | { problem: Problem } {
  try {
    if (!statSync(file).isFile())
      return { problem: { file, line: 1, message: 'not a regular file (a folder?)' } };
    const bytes = readFileSync(file);
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      let good = bytes.length;
      // The line of the first bad byte: decode growing prefixes would be slow, so find it by bisection.
      let lo = 0;
      while (lo < good) {
        const mid = (lo + good) >> 1;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1));
          lo = mid + 1;
        } catch {
          good = mid;
        }
      }
      const line = bytes.subarray(0, lo).toString('latin1').split('\n').length;
      return { problem: { file, line, message: 'not UTF-8 text' } };
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'a symbolic link loop' : (e as Error).message;
    return { problem: { file, line: 1, message: `cannot read: ${why}` } };
  }
}

export interface ParsedYaml {
  value: unknown;
  problems: Problem[];
  /** 1-based line of the node at `path`, falling back to the closest ancestor that exists. */
  lineOf(path: readonly PropertyKey[]): number;
}

/**
 * Parses YAML keeping positions, so that schema errors can name a line. `firstLine` is the line of the
 * text's first character in its file (front matter starts on line 2).
 */
export function parseYamlWithLines(text: string, file: string, firstLine = 1): ParsedYaml {
  const { LineCounter, parseDocument, isNode } = yaml();
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    // Without prettyErrors the error has no linePos: its position is counted here (it used to fall back to
    // the first line).
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const line = Math.min(err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line, Math.max(1, lines));
    problems.push({ file, line: line + firstLine - 1, message: `YAML: ${err.message.split('\n')[0]}` });
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        return lineCounter.linePos(node.range[0]).line + firstLine - 1;
      }
    }
    return firstLine;
  };
  if (problems.length) return { value: undefined, problems, lineOf };
  try {
    return { value: doc.toJS(), problems, lineOf };
  } catch (e) {
    // yaml refuses to expand an alias bomb ("Excessive alias count"): say which file.
    return {
      value: undefined,
      problems: [{ file, line: firstLine, message: `YAML: ${(e as Error).message}` }],
      lineOf,
    };
  }
}

/** Turns zod issues into problems with the line of the offending key. */
export function zodProblems(
  error: z.ZodError,
  file: string,
  lineOf: (path: readonly PropertyKey[]) => number,
): Problem[] {
  return error.issues.map((issue) => {
    const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return {
        file,
        line: lineOf([...issue.path, issue.keys[0] ?? '']),
        message: `${where}unknown field ${keys}`,
      };
    }
    return { file, line: lineOf(issue.path), message: `${where}${issue.message}` };
  });
}

/**
 * Parses JSON Lines (`.jsonl`: one JSON value a line, blank lines skipped) against a schema: each value
 * that parses, with its 1-based line, and a problem naming the line for each that does not.
 */
export function parseJsonLines<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  problems: Problem[],
): { value: z.infer<S>; line: number }[] {
  const out: { value: z.infer<S>; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not JSON: ${(e as Error).message}` });
      return;
    }
    const r = schema.safeParse(json);
    if (!r.success) {
      const message = zodProblems(r.error, file, () => i + 1)
        .map((p) => p.message)
        .join('; ');
      problems.push({ file, line: i + 1, message });
      return;
    }
    out.push({ value: r.data, line: i + 1 });
  });
  return out;
}
