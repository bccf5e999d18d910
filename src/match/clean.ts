/** Cleaning a paste as people paste it, before any matching. Pure and synchronous. */

export interface CleanedPaste {
  /** Lines after cleaning, in order; index i is line i + 1 of the cleaned text. */
  lines: string[];
  /** The same lines, lowercased, for case-insensitive matching. */
  lower: string[];
  /** 1-based line number in the original paste of each cleaned line. */
  lineNumbers: number[];
  /**
   * Lines that are a command typed at a prompt (`$ npm install`, `PS C:\> kubectl logs x`): what the person
   * ran, not what failed, so never evidence.
   */
  command: boolean[];
  /**
   * Lines that are no evidence: the commands above, and the program source a Python traceback quotes under
   * each frame (`File "x.py", line 9, in f` and then the line it ran: `raise ConnectionError(e)` is in every
   * trace that passes through that function, whatever failed).
   */
  inert: boolean[];
  /** True when the paste was larger than the cap and its middle was dropped. */
  truncated: boolean;
  /** Bytes read of a cut paste (its start and its end); `originalBytes` when whole. */
  readBytes: number;
  /** Byte length before capping. */
  originalBytes: number;
}

// CSI and OSC sequences, and lone ESC-letter pairs.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const HTML_ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&amp;': '&',
  '&nbsp;': ' ',
};
const ENTITY = /&(?:lt|gt|quot|#39|#x27|amp|nbsp);/g;
/** Very long single lines (minified JSON, base64) are cut per line so that no regex sees megabytes. */
export const MAX_LINE_CHARS = 4000;

export function cleanPaste(text: string, maxBytes: number): CleanedPaste {
  const originalBytes = Buffer.byteLength(text, 'utf8');
  const truncated = originalBytes > maxBytes;
  if (text.includes('\u001b')) text = text.replace(ANSI, '');
  if (text.includes('&')) text = text.replace(ENTITY, (e) => HTML_ENTITIES[e] ?? e);
  const all = text.split(/\r\n|\r|\n/);
  // A cut paste keeps its start and, mostly, its end: a log's error is usually at its end.
  const kept = truncated ? keptLines(all, maxBytes) : all.map((_, i) => i);
  let readBytes = truncated ? 0 : originalBytes;
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  for (const i of kept) {
    const n = i + 1;
    let raw = all[i] ?? '';
    if (raw === '') {
      lines.push(raw);
      lineNumbers.push(n);
      continue;
    }
    raw = raw.replace(CONTROL, '');
    if (truncated) readBytes += Buffer.byteLength(raw, 'utf8') + 1;
    // A structured log record carries a multi-line message as one escaped string: its lines are lines.
    for (let part of escapedLines(raw)) {
      // Chat formatting: code fences and quote marks carry no error text.
      if (/^\s*(?:```|~~~)\S*\s*$/.test(part)) continue;
      part = part.replace(/^\s*(?:>\s?)+/, '').replace(/^```\w*|```$/g, '');
      if (part.length > MAX_LINE_CHARS) part = part.slice(0, MAX_LINE_CHARS);
      lines.push(part);
      lineNumbers.push(n);
    }
  }
  const command = lines.map((l) => l.length <= MAX_COMMAND_CHARS && PROMPT.test(l) && !GLUED_OUTPUT.test(l));
  return {
    lines,
    lineNumbers,
    lower: lines.map((l) => l.toLowerCase()),
    command,
    inert: inertLines(lines, command),
    truncated,
    readBytes: Math.min(readBytes, originalBytes),
    originalBytes,
  };
}

/** An escaped line break (`\n`, not an escaped backslash before an `n`). */
const ESCAPED_BREAK = /(?<!\\)\\n/;
/** The line is a JSON record or a quoted string: `{"msg":"..."}`, `"stack":"..."`, `\"` inside. */
const JSON_STRING = /\\"|"\s*:\s*"|^\s*[{[]/;

/**
 * The lines of a JSON log record's escaped message (`"stack":"Error: x\n    at y"`), unescaped, so that
 * each of its lines is matched as the line it was; any other line as it is. Windows paths (`C:\new`)
 * outside a JSON string are left alone.
 */
function escapedLines(raw: string): string[] {
  if (!ESCAPED_BREAK.test(raw) || !JSON_STRING.test(raw)) return [raw];
  return raw
    .replace(/\\(["\\/ntr])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '' : c))
    .split('\n');
}

/** The share of a cut paste's budget spent on its start; the rest goes to its end. */
const HEAD_SHARE = 0.25;

/** Indices of the lines a cut paste keeps: whole lines from the start and from the end, within `maxBytes`. */
function keptLines(all: readonly string[], maxBytes: number): number[] {
  const size = (i: number) => Math.min(Buffer.byteLength(all[i] ?? '', 'utf8'), MAX_LINE_CHARS * 4) + 1;
  const head: number[] = [];
  let used = 0;
  for (let i = 0; i < all.length && used + size(i) <= maxBytes * HEAD_SHARE; i++) {
    head.push(i);
    used += size(i);
  }
  const tail: number[] = [];
  for (let i = all.length - 1; i > (head.at(-1) ?? -1) && used + size(i) <= maxBytes; i--) {
    tail.unshift(i);
    used += size(i);
  }
  // One line longer than the whole budget: keep it (cut per line later) rather than nothing.
  if (!head.length && !tail.length && all.length) tail.push(all.length - 1);
  return [...head, ...tail];
}

/**
 * A prompt line that also holds what the shell or the runtime answered (`$ sl ... -bash: sl: command not
 * found`, `$ ruby -e ... (Errno::ENOMEM)`) is a paste whose line breaks were lost: the output is on it too.
 * A shell's own diagnostic after the command, not words a command could be given to search for.
 */
const GLUED_OUTPUT = /\S\s+(?:-?(?:ba|z|da|k)?sh: (?:line \d+: )?\S+: |\(Errno::[A-Z]+\))/;

/** A longer "prompt line" is a paste whose line breaks were lost: the output is on it too. */
const MAX_COMMAND_CHARS = 240;

const PY_FRAME = /^\s*File "[^"\n]{1,300}", line \d+, in \S/;

/** Commands, and each indented line right under a Python traceback frame: the source line the frame quotes. */
function inertLines(lines: readonly string[], command: readonly boolean[]): boolean[] {
  const frame = lines.map((l) => PY_FRAME.test(l));
  return lines.map(
    (l, i) => command[i] === true || (i > 0 && frame[i - 1] === true && !frame[i] && /^\s+\S/.test(l)),
  );
}

/** A shell, PowerShell or cmd prompt followed by a command: `$ x`, `user@host:~$ x`, `PS C:\src> x`, `C:\> x`. */
const PROMPT =
  /^\s*(?:\$|[\w.-]{1,32}@[\w.-]{1,64}(?::[^\s$#]{0,200})?\s?[$#]|\[[\w.-]{1,32}@[\w.-]{1,64}[^\]]{0,200}\][$#]|PS [A-Za-z]:\\[^>]{0,200}>|[A-Za-z]:\\[^>]{0,200}>)\s+\S/;

/**
 * Volatile tokens replaced by placeholders, so that two pastes of the same error look the same and token
 * statistics are not diluted by timestamps, ids and addresses.
 */
const VOLATILE: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:z|[+-]\d{2}:?\d{2})?/g, ' '],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, ' '],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, ' '],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, ' '],
  [/\b0x[0-9a-f]+\b/g, ' '],
  [/\b[0-9a-f]{12,}\b/g, ' '],
  [/(?:^|\s)(?:\/[\w.@-]+){2,}\/?/g, ' '],
];

export function maskVolatile(lowerLine: string): string {
  let s = lowerLine;
  for (const [re, by] of VOLATILE) s = s.replace(re, by);
  return s;
}

const TOKEN = /[\p{L}\p{N}_]+/gu;

/** Word tokens of a lowercased line: letters and digits in any script. */
export function tokens(lowerLine: string): string[] {
  return lowerLine.match(TOKEN) ?? [];
}
