import { compileSignature } from './signature.js';

/** Characters of a line shown as evidence: enough to read the match in its context, short enough for chat. */
export const EVIDENCE_CHARS = 240;

/**
 * The part of a line that shows why a guide matched: a window around the signature's match (not the
 * line's first characters, which are often a timestamp and a logger name), with `…` where it was cut and
 * `at` the match's place in the window. Without a signature (word overlap), the line's start.
 */
export function evidenceWindow(
  line: string,
  signature: string | undefined,
  chars = EVIDENCE_CHARS,
): { text: string; at?: [number, number] } {
  const text = line.trim();
  const hit = signature === undefined ? undefined : find(text, signature);
  if (!hit) return { text: text.length > chars ? `${text.slice(0, chars - 1)}…` : text };
  const start = hit[0];
  const end = Math.min(hit[1], start + chars);
  // Some context before the match, more after it: the reason usually follows the error's name.
  const room = chars - (end - start);
  let from = Math.max(0, start - Math.floor(room / 3));
  const to = Math.min(text.length, from + chars);
  from = Math.max(0, Math.min(from, to - chars));
  const head = from > 0 ? '…' : '';
  const tail = to < text.length ? '…' : '';
  return {
    text: head + text.slice(from, to) + tail,
    at: [start - from + head.length, end - from + head.length],
  };
}

function find(text: string, signature: string): [number, number] | undefined {
  let sig;
  try {
    sig = compileSignature(signature);
  } catch {
    return undefined;
  }
  if (sig.kind === 'literal') {
    const i = text.toLowerCase().indexOf(sig.text);
    return i < 0 ? undefined : [i, i + sig.text.length];
  }
  const m = sig.exec(text);
  return m && m.length > 0 ? [m.index, m.index + m.length] : undefined;
}
