import type { BotReply } from '../bot/diagnostics.js';
import { listMark, toDocument, type Line, type ReplyDocument } from './document.js';

export { pct } from './words.js';

/** Markdown for chat platforms and files: the compact form a reply takes in a thread. */
export function renderMarkdown(reply: BotReply, opts: { full?: boolean } = {}): string {
  return encodeMarkdown(toDocument(reply, { full: opts.full, maxCauses: 4 }));
}

export function encodeMarkdown(doc: ReplyDocument): string {
  const out: string[] = [];
  if (doc.title) out.push(`## ${doc.title}`);
  if (doc.meta) out.push(`_${line(doc.meta)}_`.replace(/: `(.*)`_$/, ':_ `$1`'));
  for (const b of doc.blocks) {
    if (out.length) out.push('');
    switch (b.kind) {
      case 'text':
        if (b.title) out.push(`**${b.title}**`);
        out.push(...b.lines.map(line));
        break;
      case 'list':
        if (b.title) out.push(`**${b.title}**`);
        out.push(
          ...b.items.map((it, i) => `${listMark(b.style, i, { bullet: '-', check: '- [ ]' })} ${line(it)}`),
        );
        break;
      case 'code':
        if (b.title) out.push(`**${b.title}**`);
        out.push('```', b.code, '```');
        break;
      case 'note':
        out.push(...b.lines.map(line));
        break;
    }
  }
  return out.join('\n');
}

function line(l: Line): string {
  return l
    .map((s) =>
      typeof s === 'string' ? s : 'code' in s ? inlineCode(s.code) : 'user' in s ? `@${s.user}` : `_${s.em}_`,
    )
    .join('');
}

function inlineCode(s: string): string {
  return '`' + s.replace(/`/g, "'").slice(0, 200) + '`';
}
