import pc from 'picocolors';
import { listMark, plainLine, toDocument, type Line } from './document.js';
import type { Reply } from './model.js';
import { WORDS } from './words.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Terminal text; colours only when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset). */
export function renderTerminal(reply: Reply, opts: { color: boolean; full?: boolean }): string {
  const c: Colors = pc.createColors(opts.color);
  // Guides are Markdown: show **bold** as bold (or plain), not as asterisks.
  const md = (text: string) => text.replace(/\*\*([^*\n]+)\*\*/g, (_, t: string) => c.bold(t));
  const line = (l: Line) => md(plainLine(l));
  const doc = toDocument(reply, { full: opts.full, maxCauses: 4 });
  const tint = doc.tone === 'error' ? c.red : doc.tone === 'warn' ? c.yellow : (s: string) => s;
  const out: string[] = [];
  // The terminal has no emoji to spare: an error says so in a word.
  let lead = doc.icon === 'warning' ? `${WORDS.errorPrefix.toLowerCase()}: ` : '';
  if (doc.title)
    out.push(
      doc.tone === 'guide'
        ? c.bold(c.cyan(doc.title)) + (doc.tag ? c.dim(`  [${doc.tag}]`) : '')
        : tint(doc.title),
    );
  if (doc.meta) out.push(c.dim(plainLine(doc.meta)));
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'text':
        if (out.length) out.push('');
        if (b.title) out.push(c.bold(b.title));
        out.push(...b.lines.map((l) => tint(lead + line(l))));
        lead = '';
        break;
      case 'list':
        if (out.length) out.push('');
        if (b.title) out.push(c.bold(b.title));
        out.push(
          ...b.items.map((it, i) => `  ${listMark(b.style, i, { bullet: '-', check: '[ ]' })} ${line(it)}`),
        );
        break;
      case 'code':
        if (out.length) out.push('');
        if (b.title) out.push(c.bold(b.title));
        out.push(...b.code.split('\n').map((cmd) => `  ${c.green('$')} ${cmd}`));
        break;
      case 'note':
        if (out.length) out.push('');
        out.push(...b.lines.map((l) => c.dim(line(l))));
        break;
    }
  }
  return out.join('\n');
}
