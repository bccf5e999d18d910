/**
 * The one overflow rule every chat front end follows: a message holds the parts that fit, in order; the
 * first part that does not fit, and everything after it, is not cut silently but left to a file that
 * carries the whole reply, and the message says so (`overflowNote`).
 */
export function fitParts<T>(
  parts: readonly T[],
  size: (part: T) => number,
  room: { count: number; chars: number },
): { kept: T[]; overflow: boolean } {
  const kept: T[] = [];
  let chars = 0;
  for (const p of parts) {
    const n = size(p);
    if (kept.length >= room.count || chars + n > room.chars) return { kept, overflow: true };
    kept.push(p);
    chars += n;
  }
  return { kept, overflow: false };
}

/** Cuts text to `max` characters, saying so with an ellipsis. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
