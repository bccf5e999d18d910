import type { Reply } from './model.js';

/** Markdown for chat platforms and files: the compact form a reply takes in a thread. */
export function renderMarkdown(reply: Reply, opts: { full?: boolean } = {}): string {
  switch (reply.kind) {
    case 'text':
      return reply.text;
    case 'error':
      return `**Error:** ${reply.text}`;
    case 'choose-guide':
      return [
        CHOOSE_QUESTION,
        ...reply.choices.map((ch, i) => `${i + 1}. ${ch.title} (\`${ch.id}\`)`),
        '- `none`: none of these',
        '',
        `_${CHOOSE_HOW}_`,
      ].join('\n');
    case 'no-match': {
      const lines = ['No guide fits this paste well enough.'];
      if (reply.nearest.length) {
        lines.push('', 'Nearest guides:');
        for (const n of reply.nearest) lines.push(`- ${n.title} (\`${n.id}\`, ${pct(n.score)})`);
      }
      if (reply.truncatedInput) lines.push('', '_The paste was too large; only its start was read._');
      return lines.join('\n');
    }
    case 'guide': {
      const g = reply.guide;
      const out = [
        `## ${g.title}`,
        `_${pct(reply.score)} match; line ${reply.evidence.line}:_ \`${inlineCode(reply.evidence.text)}\``,
        '',
        g.summary,
      ];
      if (g.causes.length)
        out.push(
          '',
          '**Likely causes**',
          ...g.causes.slice(0, opts.full ? undefined : 4).map((c) => `- ${c}`),
        );
      if (g.checklist.length) out.push('', '**Checklist**', ...g.checklist.map((c) => `- [ ] ${c}`));
      if (g.commands.length) out.push('', '**Commands to try**', '```', ...g.commands, '```');
      if (opts.full) {
        out.push('', '**What it means**', g.meaning, '', '**How to fix it**', g.fix);
        for (const f of g.faq) out.push('', `**${f.question}**`, f.answer);
      }
      if (g.related.length) out.push('', `Related: ${g.related.map((r) => `\`${r.id}\``).join(', ')}`);
      if (reply.alternatives.length) {
        out.push(
          '',
          `Other candidates: ${reply.alternatives.map((a) => `${a.title} (${pct(a.score)})`).join('; ')}`,
        );
      }
      if (reply.truncatedInput) out.push('', '_The paste was too large; only its start was read._');
      return out.join('\n');
    }
  }
}

/** The question after "wrong", and how to answer it in text (buttons and menus say it themselves). */
export const CHOOSE_QUESTION = 'Which guide fits this paste?';
export const CHOOSE_HOW =
  'Answer with its number, a guide id, or `none`; the next paste like this one gets your choice first.';

export function pct(score: number): string {
  return `${Math.round(score * 100)}%`;
}

function inlineCode(s: string): string {
  return s.replace(/`/g, "'").slice(0, 200);
}
