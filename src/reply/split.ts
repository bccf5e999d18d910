/** Splits text into pieces of at most `max` characters, at line ends where possible; nothing is dropped. */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (cur) {
        out.push(cur);
        cur = '';
      }
      out.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    const next = cur ? `${cur}\n${rest}` : rest;
    if (next.length > max) {
      out.push(cur);
      cur = rest;
    } else cur = next;
  }
  if (cur || out.length === 0) out.push(cur);
  return out;
}
