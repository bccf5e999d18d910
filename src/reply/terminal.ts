import pc from 'picocolors';
import type { BotReply } from '../bot/diagnostics.js';
import { listMark, plainLine, toDocument, type DocAction } from './document.js';
import { TERMINAL_WORDS, WORDS } from './words.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface TerminalOptions {
  color: boolean;
  full?: boolean;
  /** Wrap prose to this many columns (the terminal's width); unwrapped when absent. */
  width?: number;
}

/** Terminal text; colours only when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset). */
export function renderTerminal(reply: BotReply, opts: TerminalOptions): string {
  const c: Colors = pc.createColors(opts.color);
  // Guides are Markdown: show **bold** as bold (or plain), not as asterisks.
  const md = (text: string) => text.replace(/\*\*([^*\n]+)\*\*/g, (_, t: string) => c.bold(t));
  const width = opts.width && opts.width >= 20 ? opts.width : undefined;
  // Wrapped before colouring, so escape codes never count as width.
  const wrapped = (text: string, indent = '', first = indent) => wrap(text, width, first, indent).map(md);
  const doc = toDocument(reply, { full: opts.full, maxCauses: 4 });
  const tint = doc.tone === 'error' ? c.red : doc.tone === 'warn' ? c.yellow : (s: string) => s;
  const out: string[] = [];
  // The terminal has no emoji to spare: an error says so in a word.
  let lead = doc.icon === 'warning' ? `${WORDS.errorPrefix.toLowerCase()}: ` : '';
  if (doc.title) {
    if (doc.tone !== 'guide') out.push(...wrapped(doc.title).map(tint));
    else if (width)
      out.push(
        ...wrap(`${doc.title}${doc.tag ? `  [${doc.tag}]` : ''}`, width).map((l) => c.bold(c.cyan(l))),
      );
    else out.push(c.bold(c.cyan(doc.title)) + (doc.tag ? c.dim(`  [${doc.tag}]`) : ''));
  }
  if (doc.meta) out.push(...wrapped(plainLine(doc.meta)).map(c.dim));
  const gap = () => {
    if (out.length) out.push('');
  };
  for (const b of doc.blocks) {
    switch (b.kind) {
      case 'text':
        gap();
        if (b.title) out.push(...wrap(b.title, width).map((t) => c.bold(t)));
        for (const l of b.lines)
          for (const para of plainLine(l).split('\n')) out.push(...wrapped(lead + para).map(tint));
        lead = '';
        break;
      case 'list':
        gap();
        if (b.title) out.push(c.bold(b.title));
        b.items.forEach((it, n) =>
          out.push(
            ...wrapped(plainLine(it), '      ', `  ${listMark(b.style, n, { bullet: '-', check: '[ ]' })} `),
          ),
        );
        break;
      case 'code':
        gap();
        if (b.title) out.push(c.bold(b.title));
        // Commands are never wrapped: a copied command must stay one line.
        out.push(...b.code.split('\n').map((l) => (b.output ? `    ${l}` : `  ${c.green('$')} ${l}`)));
        break;
      case 'note':
        gap();
        for (const l of b.lines) out.push(...wrapped(plainLine(l)).map((s) => c.dim(s)));
        break;
    }
  }
  const hints = actionHints(doc.actions);
  if (hints.length) {
    gap();
    for (const h of hints)
      out.push(
        ...('command' in h ? [`  ${c.green('$')} ${h.command}`] : wrapped(h.text).map((s) => c.dim(s))),
      );
  }
  return out.join('\n');
}

/** Buttons have no place in a terminal: each action becomes the command that does the same. */
function actionHints(actions: readonly DocAction[]): ({ text: string } | { command: string })[] {
  const words: string[] = [];
  const runs: { command: string }[] = [];
  const lines: ({ text: string } | { command: string })[] = [];
  for (const a of actions) {
    if (a.kind === 'next') words.push(TERMINAL_WORDS.next);
    else if (a.kind === 'feedback' && a.verdict === 'helpful')
      words.push(TERMINAL_WORDS.full, TERMINAL_WORDS.feedback);
    else if (a.kind === 'run') runs.push({ command: a.command });
    else if (a.kind === 'approve') lines.push({ text: TERMINAL_WORDS.approveHow(a.requestId) });
  }
  if (words.length) lines.unshift({ text: words.join('; ') });
  if (runs.length) lines.push({ text: TERMINAL_WORDS.runs }, ...runs);
  return lines;
}

/** Greedy word wrap; words longer than the width stay whole (a URL, a path). */
export function wrap(text: string, width: number | undefined, first = '', indent = first): string[] {
  if (!width) return [first + text];
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  out.push(line);
  return out;
}
