import pc from 'picocolors';
import type { Reply } from './model.js';
import { CHOOSE_HOW, CHOOSE_QUESTION, pct } from './markdown.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Terminal text; colours only when asked (the CLI asks when stdout is a TTY and NO_COLOR is unset). */
export function renderTerminal(reply: Reply, opts: { color: boolean; full?: boolean }): string {
  const c: Colors = pc.createColors(opts.color);
  // Guides are Markdown: show **bold** as bold (or plain), not as asterisks.
  const md = (text: string) => text.replace(/\*\*([^*\n]+)\*\*/g, (_, t: string) => c.bold(t));
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'error':
      return c.red(`error: ${reply.text}`);
    case 'choose-guide':
      return [
        CHOOSE_QUESTION,
        ...reply.choices.map((ch, i) => `  ${i + 1}. ${ch.title} ${c.dim(`(${ch.id})`)}`),
        `  ${c.dim('none: none of these')}`,
        c.dim(CHOOSE_HOW),
      ].join('\n');
    case 'no-match': {
      const lines = [c.yellow('No guide fits this paste well enough.')];
      if (reply.nearest.length) {
        lines.push('Nearest guides:');
        for (const n of reply.nearest) lines.push(`  ${n.title} ${c.dim(`(${n.id}, ${pct(n.score)})`)}`);
      }
      if (reply.truncatedInput) lines.push(c.yellow('The paste was too large; only its start was read.'));
      return lines.join('\n');
    }
    case 'guide': {
      const g = reply.guide;
      const out = [
        c.bold(c.cyan(g.title)) + c.dim(`  [${g.id}, ${pct(reply.score)}]`),
        c.dim(`matched line ${reply.evidence.line}: `) + reply.evidence.text,
        '',
        md(g.summary),
      ];
      const section = (name: string, items: string[], bullet: string) => {
        if (!items.length) return;
        out.push('', c.bold(name), ...items.map((i) => `  ${bullet} ${md(i)}`));
      };
      section('Likely causes', opts.full ? g.causes : g.causes.slice(0, 4), '-');
      section('Checklist', g.checklist, '[ ]');
      if (g.commands.length)
        out.push('', c.bold('Commands to try'), ...g.commands.map((cmd) => `  ${c.green('$')} ${cmd}`));
      if (opts.full) {
        out.push('', c.bold('What it means'), md(g.meaning), '', c.bold('How to fix it'), md(g.fix));
        for (const f of g.faq) out.push('', c.bold(f.question), md(f.answer));
      }
      if (g.related.length) out.push('', c.dim(`Related: ${g.related.map((r) => r.id).join(', ')}`));
      if (reply.alternatives.length) {
        out.push(
          c.dim(`Other candidates: ${reply.alternatives.map((a) => `${a.id} (${pct(a.score)})`).join(', ')}`),
        );
      }
      if (reply.truncatedInput) out.push(c.yellow('The paste was too large; only its start was read.'));
      return out.join('\n');
    }
  }
}
