import type { BotReply } from '../bot/diagnostics.js';
import type { OsName } from './fill.js';
import { decisionWord, exitText, ICONS, pct, runCommandText, runLabel, skippedNote, WORDS } from './words.js';

/**
 * A span of a line. Renderers encode each kind in their own syntax: `text` is echoed (made inert where the
 * platform would ping or link), `code` is inline code, `user` a person, `em` emphasis.
 */
export type Span = string | { code: string } | { user: string } | { em: string };
export type Line = Span[];

export type Block =
  | { kind: 'text'; title?: string; lines: Line[] }
  | { kind: 'list'; title?: string; style: 'bullet' | 'check' | 'number'; items: Line[] }
  /**
   * `own`: the guides' own text (their commands), shown exactly as written so that it can be copied;
   * anything else in a code block (a diagnostic's output) is echoed like a paste. `output`: what a
   * program printed, not commands to type.
   */
  | { kind: 'code'; title?: string; code: string; own?: true; output?: boolean }
  /** Small print: a footer, a context line. */
  | { kind: 'note'; lines: Line[] };

/** What a person can do with a reply; each renderer encodes it as a button, a command or a hint. */
export type DocAction =
  | { kind: 'next'; label: string }
  | { kind: 'mute'; label: string }
  | { kind: 'feedback'; verdict: 'helpful' | 'wrong'; guideId: string; label: string }
  /** Asks "which guide fits?" about the conversation's last paste (under "no guide fits"). */
  | { kind: 'choose'; label: string }
  /** The answer to "which guide fits?": this guide, or none of them (`guideId` absent). */
  | { kind: 'correct'; guideId?: string; label: string }
  /** The same answer, picked by a search over every guide where the platform has one. */
  | { kind: 'search'; label: string }
  /** `command`: the same run typed as a message (`run ID on HOST ...`), for front ends without buttons. */
  | { kind: 'run'; guideId: string; catalogId: string; label: string; command: string }
  | { kind: 'approve' | 'reject'; requestId: string; label: string };

export interface Attachment {
  name: string;
  title: string;
  content: string;
}

/** The neutral reply document: what to say, in what structure, and what a person can do next. */
export interface ReplyDocument {
  tone: 'plain' | 'guide' | 'warn' | 'error' | 'ok';
  /** A sign before the first line; chat platforms show it as an emoji (`ICONS`), the terminal as a word. */
  icon?: keyof typeof ICONS;
  title?: string;
  /** A short identifier shown beside the title (a guide's id). */
  tag?: string;
  /** One line under the title: the score and the evidence, or an exit code. */
  meta?: Line;
  blocks: Block[];
  actions: DocAction[];
  /** Files that always travel with the message (a diagnostic's whole output). */
  attachments: Attachment[];
  /** The notification text of a message. */
  fallback: string;
  /** The name of the file that carries the whole reply when a message cannot hold it. */
  fileName: string;
}

export interface DocumentOptions {
  /** Everything: all causes, what it means, how to fix it, the FAQ, a diagnostic's whole output. */
  full?: boolean;
  /** At most this many causes unless `full`. */
  maxCauses?: number;
}

/** A name safe in any platform's file upload. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'reply';
}

export function toDocument(reply: BotReply, opts: DocumentOptions = {}): ReplyDocument {
  const base = { actions: [], attachments: [], blocks: [] };
  switch (reply.kind) {
    case 'text':
      return {
        ...base,
        tone: 'plain',
        blocks: [para(reply.text)],
        fallback: reply.text,
        fileName: 'faultline-reply.txt',
      };
    case 'error':
      return {
        ...base,
        tone: 'error',
        icon: 'warning',
        blocks: [para(reply.text)],
        fallback: `${WORDS.errorPrefix}: ${reply.text}`,
        fileName: 'faultline-error.txt',
      };
    case 'no-match': {
      const blocks: Block[] = [];
      if (reply.nearest.length)
        blocks.push({
          kind: 'list',
          title: WORDS.nearest,
          style: 'bullet',
          items: reply.nearest.map((n) => [
            `${n.title} (`,
            { code: n.id },
            `; ${WORDS.nearestScore(n.score, reply.threshold)})`,
          ]),
        });
      if (reply.truncatedInput)
        blocks.push({ kind: 'note', lines: [[{ em: WORDS.truncatedPaste(reply.inputBytes) }]] });
      if (reply.skippedSignatures)
        blocks.push({ kind: 'note', lines: [[{ em: skippedNote(reply.skippedSignatures) }]] });
      return {
        ...base,
        tone: 'warn',
        title: WORDS.noMatch,
        blocks,
        // The person who knows which guide it is can say so: the next paste like this one gets it.
        actions: [{ kind: 'choose', label: WORDS.pickGuide }],
        fallback: WORDS.noMatch,
        fileName: 'faultline-reply.md',
      };
    }
    case 'gaps-digest': {
      if (!reply.gaps.length)
        return {
          ...base,
          tone: 'ok',
          blocks: [para(WORDS.gapsNone(reply.days))],
          fallback: WORDS.gapsNone(reply.days),
          fileName: 'faultline-gaps.md',
        };
      // Samples are pastes (redacted when recorded): shown as a paste is, never as the bot's own text.
      const blocks: Block[] = reply.gaps.map((g) => ({
        kind: 'code',
        title: WORDS.gapLine(g.count, g.lastSeen, g.nearest),
        code: firstLines(g.sample, GAP_SAMPLE_LINES),
      }));
      if (reply.more)
        blocks.push({
          kind: 'note',
          lines: [[WORDS.gapsMore(reply.more), { code: WORDS.gapsCommand(reply.days) }]],
        });
      const [how, after] = WORDS.gapsHow;
      blocks.push({ kind: 'note', lines: [[how, { code: WORDS.newGuideCommand }, after]] });
      return {
        ...base,
        tone: 'plain',
        title: WORDS.gapsTitle(reply.days),
        blocks,
        fallback: WORDS.gapsTitle(reply.days),
        fileName: 'faultline-gaps.md',
      };
    }
    case 'choose-guide':
      return {
        ...base,
        tone: 'plain',
        title: WORDS.chooseQuestion,
        blocks: [
          {
            kind: 'list',
            style: 'number',
            items: reply.choices.map((ch) => [`${ch.title} (`, { code: ch.id }, ')']),
          },
          { kind: 'note', lines: [[WORDS.chooseHow]] },
        ],
        actions: [
          ...reply.choices.map((ch): DocAction => ({ kind: 'correct', guideId: ch.id, label: ch.title })),
          { kind: 'search', label: WORDS.searchGuides },
          { kind: 'correct', label: WORDS.noneOfThese },
        ],
        fallback: WORDS.chooseQuestion,
        fileName: 'faultline-choose.md',
      };
    case 'guide': {
      const g = reply.guide;
      const page = reply.view === 'page';
      opts = { ...opts, full: opts.full || reply.view !== undefined };
      const blocks: Block[] = [para(g.summary)];
      const full = opts.full === true;
      if (full) blocks.push(...markdownBlocks(g.meaning, WORDS.meaning));
      const causes = full || opts.maxCauses === undefined ? g.causes : g.causes.slice(0, opts.maxCauses);
      if (causes.length) {
        const items: Line[] = causes.map((c) => [c]);
        const more = g.causes.length - causes.length;
        if (more > 0) items.push([{ em: WORDS.moreCauses(more) }]);
        blocks.push({ kind: 'list', title: WORDS.causes, style: 'bullet', items });
      }
      if (full) blocks.push(...markdownBlocks(g.diagnose, WORDS.diagnose));
      if (!full && g.checklist.length)
        blocks.push({
          kind: 'list',
          title: WORDS.checklist,
          style: 'check',
          items: g.checklist.map((c) => [c]),
        });
      blocks.push(...commandBlocks(g.commands));
      blocks.push(...markdownBlocks(g.fix, WORDS.fix));
      if (full) {
        for (const f of g.faq) blocks.push(...markdownBlocks(f.answer, f.question));
        if (g.checklist.length)
          blocks.push({
            kind: 'list',
            title: WORDS.checklist,
            style: 'check',
            items: g.checklist.map((c) => [c]),
          });
      }
      const small: Line[] = [];
      if (g.related.length)
        small.push([
          `${WORDS.related}: `,
          ...joined(
            g.related.map((r) => [{ code: r.id }]),
            ', ',
          ),
        ]);
      if (reply.alternatives.length && !page)
        small.push([
          `${WORDS.alternatives}: `,
          ...joined(
            reply.alternatives.map((a) => [`${a.title} (${pct(a.score)})`]),
            '; ',
          ),
        ]);
      if (reply.truncatedInput) small.push([{ em: WORDS.truncatedPaste(reply.inputBytes) }]);
      if (reply.skippedSignatures) small.push([{ em: skippedNote(reply.skippedSignatures) }]);
      const src = g.source;
      small.push([
        `${WORDS.answeredBy} `,
        { code: src.file },
        ` (${src.builtin ? WORDS.builtinGuide : WORDS.teamGuide}, ${src.hash})`,
      ]);
      blocks.push({ kind: 'note', lines: small });
      const actions: DocAction[] = [];
      for (const a of reply.actions) {
        if (a.kind === 'next-match') actions.push({ kind: 'next', label: a.label });
        else if (a.kind === 'mute') actions.push({ kind: 'mute', label: a.label });
        else if (a.kind === 'feedback')
          actions.push({ kind: 'feedback', verdict: a.verdict, guideId: a.guideId, label: a.label });
        // run-diagnostic actions are offered by a separate reply that knows the user's hosts.
      }
      // The engine gives a window of the line around the match; the match itself is marked.
      const e = reply.evidence;
      const ev = e.at
        ? `${e.text.slice(0, e.at[0])}»${e.text.slice(e.at[0], e.at[1])}«${e.text.slice(e.at[1])}`
        : e.text;
      return {
        tone: 'guide',
        title: g.title,
        tag: g.id,
        meta: page
          ? undefined
          : ev
            ? [`${pct(reply.score)} match; line ${e.line}: `, { code: ev }]
            : [`${pct(reply.score)} match`],
        blocks,
        actions,
        attachments: [],
        fallback: `${g.title}: ${g.summary}`,
        fileName: `${safeName(g.id)}.md`,
      };
    }
    case 'diagnostic-offers':
      return {
        ...base,
        tone: 'guide',
        title: WORDS.offers,
        blocks: [
          {
            kind: 'list',
            style: 'bullet',
            items: reply.offers.map((o) => [
              { code: o.catalogId },
              `: ${o.description} (on `,
              ...joined(
                o.hosts.map((h) => [{ code: h }]),
                ', ',
              ),
              ')',
              ...(o.needsApproval ? [' ', { em: WORDS.needsApproval }] : []),
            ]),
          },
        ],
        actions: reply.offers.map((o) => ({
          kind: 'run',
          guideId: reply.guideId,
          catalogId: o.catalogId,
          label: runLabel(o.catalogId),
          command: runCommandText(
            o.catalogId,
            o.hosts.length === 1 ? (o.hosts[0] ?? '<host>') : '<host>',
            Object.fromEntries(o.params.map((p) => [p.name, p.suggested ?? `<${p.name}>`])),
          ),
        })),
        fallback: WORDS.offers,
        fileName: 'diagnostics.txt',
      };
    case 'approval-request': {
      const params = Object.entries(reply.params).flatMap(([k, v], i): Span[] => [
        i ? ' ' : '',
        `${k}=`,
        { code: v },
      ]);
      const lines: Line[] = [
        [
          { user: reply.requester },
          ' asks to run ',
          { code: reply.catalogId },
          ' on ',
          { code: reply.host },
          ...(params.length ? [' with ', ...params] : []),
          '. Another authorised person has to approve it.',
        ],
      ];
      if (reply.command) lines.push(['Command: ', { code: reply.command }]);
      return {
        ...base,
        tone: 'warn',
        icon: 'lock',
        title: WORDS.approvalNeeded,
        blocks: [{ kind: 'text', lines }],
        actions: [
          { kind: 'approve', requestId: reply.requestId, label: WORDS.approve },
          { kind: 'reject', requestId: reply.requestId, label: WORDS.reject },
        ],
        fallback: `${WORDS.approvalNeeded}: ${reply.catalogId} on ${reply.host}`,
        fileName: 'approval.txt',
      };
    }
    case 'approval-decided': {
      const line: Line = [
        `${decisionWord(reply.decision)} by `,
        { user: reply.by },
        ': ',
        { code: reply.catalogId },
        ' on ',
        { code: reply.host },
        ', requested by ',
        { user: reply.requester },
        '.',
      ];
      return {
        ...base,
        tone: 'plain',
        icon: reply.decision,
        blocks: [{ kind: 'text', lines: [line] }],
        fallback: `${decisionWord(reply.decision)}: ${reply.catalogId} on ${reply.host}`,
        fileName: 'faultline-decision.txt',
      };
    }
    case 'diagnostic-result': {
      const blocks: Block[] = [];
      if (reply.summary) blocks.push(para(reply.summary));
      blocks.push({
        kind: 'code',
        code: (opts.full ? reply.full : undefined) ?? (reply.shown || WORDS.noOutput),
        output: true,
      });
      if (reply.truncatedAtSource) blocks.push({ kind: 'note', lines: [[{ em: WORDS.cutAtSource }]] });
      const title = `${reply.catalogId} on ${reply.host}`;
      return {
        tone: reply.exitCode === 0 ? 'ok' : 'error',
        title,
        meta: [
          { code: reply.catalogId },
          ' on ',
          { code: reply.host },
          `: ${exitText(reply.exitCode)}`,
          ...(reply.approvedBy ? [', approved by ', { user: reply.approvedBy }] : []),
        ],
        blocks,
        actions: [],
        attachments:
          reply.full !== undefined
            ? [
                {
                  name: `${safeName(reply.catalogId)}-${safeName(reply.host)}.txt`,
                  title: `${title}: full output`,
                  content: reply.full,
                },
              ]
            : [],
        fallback: title,
        fileName: `${safeName(reply.catalogId)}-result.txt`,
      };
    }
  }
}

/** A guide's commands: those for any OS first, then one block per OS, each titled with it. */
function commandBlocks(commands: readonly { text: string; os?: OsName; filled?: true }[]): Block[] {
  const blocks: Block[] = [];
  for (const os of [undefined, 'Linux', 'macOS', 'Windows'] as const) {
    const these = commands.filter((c) => c.os === os);
    if (these.length)
      blocks.push({
        kind: 'code',
        title: os ? WORDS.commandsOn(os) : WORDS.commands,
        code: these.map((c) => c.text).join('\n'),
        // The guide's own commands are shown exactly as written, so that they can be copied; a block with
        // text from the paste in it (a host, a pod) is neutralised like the paste itself.
        ...(these.some((c) => c.filled) ? {} : { own: true as const }),
      });
  }
  return blocks;
}

/**
 * A guide section (Markdown) as blocks: its paragraphs as text, its bullets as a list. A bullet's wrapped
 * continuation lines and a paragraph's lines join into one line, so every front end can wrap its own way.
 */
export function markdownBlocks(md: string, title?: string): Block[] {
  const blocks: Block[] = [];
  let paras: string[] = [];
  let items: string[] = [];
  let current: 'para' | 'item' | undefined;
  const titled = () => (blocks.length === 0 && title !== undefined ? { title } : {});
  const endParas = () => {
    if (paras.length) blocks.push({ kind: 'text', ...titled(), lines: paras.map((p) => [p]) });
    paras = [];
  };
  const endItems = () => {
    if (items.length)
      blocks.push({ kind: 'list', ...titled(), style: 'bullet', items: items.map((i) => [i]) });
    items = [];
  };
  let fence = false;
  for (const raw of md.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*(?:```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    const bullet = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (!fence && bullet) {
      endParas();
      items.push(bullet[1] ?? '');
      current = 'item';
    } else if (!line.trim()) {
      current = undefined;
    } else if (current === 'item' && /^\s+/.test(raw) && !fence) {
      items[items.length - 1] += ' ' + line.trim();
    } else if (current === 'para' && !fence) {
      paras[paras.length - 1] += ' ' + line.trim();
    } else {
      endItems();
      paras.push(fence ? line : line.trim());
      current = fence ? undefined : 'para';
    }
  }
  endParas();
  endItems();
  return blocks;
}

/** A digest shows the head of each sample: enough to recognise the error, not a wall of logs. */
const GAP_SAMPLE_LINES = 6;

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  return lines.length <= n ? text : [...lines.slice(0, n), `… (${lines.length - n} more lines)`].join('\n');
}

function para(text: string, title?: string): Block {
  return { kind: 'text', ...(title !== undefined ? { title } : {}), lines: [[text]] };
}

function joined(parts: Line[], sep: string): Span[] {
  return parts.flatMap((p, i) => (i ? [sep, ...p] : p));
}

/** How a list marks its `i`th item, in text: a bullet, a box to tick, or its number (what a reply names). */
export function listMark(
  style: 'bullet' | 'check' | 'number',
  i: number,
  marks: { bullet: string; check: string },
): string {
  return style === 'number' ? `${i + 1}.` : marks[style];
}

/** A line as plain text, for places that render no markup (notification text, footers, files). */
export function plainLine(line: Line, user: (id: string) => string = (id) => id): string {
  return line
    .map((s) => (typeof s === 'string' ? s : 'code' in s ? s.code : 'user' in s ? user(s.user) : s.em))
    .join('');
}
