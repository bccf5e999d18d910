import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { CHOOSE_QUESTION, pct, renderMarkdown } from '../../src/reply/markdown.js';
import { neutralizeMentions } from '../../src/reply/safe.js';
import { splitText } from '../../src/reply/split.js';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#create-message). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** All titles, descriptions, fields and footers of a message's embeds together. */
  embedTotal: 6000,
  embeds: 10,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

export const EMBED_COLOR = { guide: 0x5865f2, warn: 0xfee75c, error: 0xed4245, ok: 0x57f287 } as const;

export interface DiscordFile {
  name: string;
  data: Buffer;
}

/** One message: what `channel.send`, `interaction.editReply` and `followUp` take, plus `allowedMentions`. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  files: DiscordFile[];
  /** Nothing the bot posts pings anyone: mentions render, but notify nobody. */
  allowedMentions: { parse: []; repliedUser: false };
}

export const NO_PINGS = { parse: [] as [], repliedUser: false as const };

/**
 * Button custom ids: `<kind>|<thread>|...`, at most 100 characters, parsed back by `parseCustomId`.
 * n: next match; h / w: helpful / wrong (guide); r: run (guide, catalog id); a / d: approve / deny (request).
 */
export const BUTTON = {
  next: 'n',
  helpful: 'h',
  wrong: 'w',
  run: 'r',
  approve: 'a',
  deny: 'd',
  modal: 'm',
  correct: 'c',
} as const;

export function customId(kind: string, ...parts: string[]): string | undefined {
  const id = [kind, ...parts].join('|');
  return id.length <= LIMITS.customId && !parts.some((p) => p.includes('|')) ? id : undefined;
}

export function parseCustomId(id: string): { kind: string; parts: string[] } {
  const [kind = '', ...parts] = id.split('|');
  return { kind, parts };
}

/** Echoed text: mentions and links broken (see `neutralizeMentions`), and masked links made inert. */
export function echo(text: string): string {
  return neutralizeMentions(text).replace(/\]\(/g, ']\u200b(');
}

/** A code block that output cannot close early. */
export function codeBlock(text: string): string {
  return '```\n' + echo(text).replace(/```/g, '`\u200d``') + '\n```';
}

function inline(text: string): string {
  return '`' + echo(text).replace(/`/g, "'") + '`';
}

/** A user mention for ids that are snowflakes; anything else is shown as text. */
export function userRef(id: string): string {
  return /^\d{15,22}$/.test(id) ? `<@${id}>` : inline(id);
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function button(
  label: string,
  id: string | undefined,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger,
): APIButtonComponent | undefined {
  if (!id) return undefined;
  return { type: ComponentType.Button, style, label: clip(label, LIMITS.buttonLabel), custom_id: id };
}

function rows(buttons: (APIButtonComponent | undefined)[]): APIActionRowComponent<APIButtonComponent>[] {
  const list = buttons.filter((b): b is APIButtonComponent => b !== undefined);
  const out: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < list.length && out.length < LIMITS.actionRows; i += LIMITS.buttonsPerRow)
    out.push({ type: ComponentType.ActionRow, components: list.slice(i, i + LIMITS.buttonsPerRow) });
  return out;
}

/** The characters Discord counts towards the 6,000 of a message's embeds. */
export function embedChars(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Fields for a list, split over several fields when one would pass 1,024 characters. */
function listFields(name: string, lines: string[]): APIEmbedField[] {
  return splitText(lines.join('\n'), LIMITS.fieldValue).map((value, i) => ({
    name: i === 0 ? name : `${name} (continued)`,
    value: value || '\u200b',
  }));
}

function codeFields(name: string, code: string): APIEmbedField[] {
  // Fences and their newlines take 8 characters of every piece.
  const pieces = splitText(echo(code).replace(/```/g, '`\u200d``'), LIMITS.fieldValue - 8);
  return pieces.map((p, i) => ({
    name: i === 0 ? name : `${name} (continued)`,
    value: '```\n' + (p || ' ') + '\n```',
  }));
}

interface Parts {
  content?: string;
  embed?: APIEmbed;
  buttons: (APIButtonComponent | undefined)[];
  /** The whole reply as Markdown, for the file when the message does not hold it. */
  full: string;
  fileName: string;
  files: DiscordFile[];
}

/**
 * Renders one reply as a Discord message within Discord's limits. What does not fit (content, embed
 * description, fields, the 6,000 total) is never cut silently: the message says so and the whole reply
 * travels as an attached file.
 */
export function renderDiscord(reply: BotReply, thread: string): DiscordMessage {
  const p = parts(reply, thread);
  const files = [...p.files];
  let content = p.content;
  let embed = p.embed;
  let overflow = false;
  if (content !== undefined && content.length > LIMITS.content) {
    // Long text moves into an embed description, and beyond that into a file.
    if (!embed && content.length <= LIMITS.embedDescription) {
      embed = { description: content };
      content = undefined;
    } else {
      content = clip(content, LIMITS.content - 200);
      overflow = true;
    }
  }
  if (embed) {
    const e: APIEmbed = { ...embed };
    if (e.title && e.title.length > LIMITS.embedTitle) e.title = clip(e.title, LIMITS.embedTitle);
    if (e.description && e.description.length > LIMITS.embedDescription) {
      e.description = clip(e.description, LIMITS.embedDescription - 200);
      overflow = true;
    }
    const budget = LIMITS.embedTotal - 200;
    const fields: APIEmbedField[] = [];
    let used = embedChars({ ...e, fields: [] });
    for (const f of e.fields ?? []) {
      const n = f.name.length + f.value.length;
      if (fields.length >= LIMITS.fields - 1 || used + n > budget) {
        overflow = true;
        break;
      }
      fields.push(f);
      used += n;
    }
    if (overflow) {
      fields.push({
        name: 'More in the attached file',
        value: `This reply is longer than a Discord message; all of it is in \`${p.fileName}\`.`,
      });
    }
    e.fields = fields;
    if (!e.fields.length) delete e.fields;
    embed = e;
  } else if (overflow) {
    content = `${content ?? ''}\n*(longer than a Discord message; all of it is in the attached file \`${p.fileName}\`)*`;
  }
  if (overflow) files.unshift({ name: p.fileName, data: Buffer.from(p.full) });
  return {
    ...(content !== undefined ? { content } : {}),
    embeds: embed ? [embed] : [],
    components: rows(p.buttons),
    files,
    allowedMentions: NO_PINGS,
  };
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64) || 'reply';
}

function parts(reply: BotReply, thread: string): Parts {
  switch (reply.kind) {
    case 'approval-decided': {
      const done = `${reply.decision === 'approved' ? '✅ Approved' : '⛔ Denied'} by ${userRef(reply.by)}: ${inline(reply.catalogId)} on ${inline(reply.host)}, requested by ${userRef(reply.requester)}.`;
      return { content: done, buttons: [], full: done, fileName: 'faultline-decision.txt', files: [] };
    }
    case 'text':
      return {
        content: echo(reply.text),
        buttons: [],
        full: reply.text,
        fileName: 'faultline-reply.txt',
        files: [],
      };
    case 'error':
      return {
        content: `:warning: ${echo(reply.text)}`,
        buttons: [],
        full: reply.text,
        fileName: 'faultline-error.txt',
        files: [],
      };
    case 'choose-guide':
      return {
        content: CHOOSE_QUESTION,
        buttons: [
          ...reply.choices.map((ch) =>
            button(clip(ch.title, 80), customId(BUTTON.correct, thread, ch.id), ButtonStyle.Secondary),
          ),
          button('None of these', customId(BUTTON.correct, thread), ButtonStyle.Danger),
        ],
        full: renderMarkdown(reply),
        fileName: 'faultline-choose.md',
        files: [],
      };
    case 'no-match': {
      const lines: string[] = [];
      if (reply.nearest.length)
        lines.push(
          '**Nearest guides:**',
          ...reply.nearest.map((n) => `• ${echo(n.title)} (${inline(n.id)}, ${pct(n.score)})`),
        );
      if (reply.truncatedInput) lines.push('', '*The paste was too large; only its start was read.*');
      return {
        embed: {
          title: 'No guide fits this paste well enough.',
          color: EMBED_COLOR.warn,
          ...(lines.length ? { description: lines.join('\n') } : {}),
        },
        buttons: [],
        full: renderMarkdown(reply),
        fileName: 'faultline-reply.md',
        files: [],
      };
    }
    case 'guide': {
      const g = reply.guide;
      const ev = reply.evidence.text
        ? `\n\nLine ${reply.evidence.line}: ${inline(clip(reply.evidence.text, 300))}`
        : '';
      const fields: APIEmbedField[] = [];
      if (g.causes.length)
        fields.push(
          ...listFields(
            'Likely causes',
            g.causes.map((c) => `• ${echo(c)}`),
          ),
        );
      if (g.checklist.length)
        fields.push(
          ...listFields(
            'Checklist',
            g.checklist.map((c) => `☐ ${echo(c)}`),
          ),
        );
      if (g.commands.length) fields.push(...codeFields('Commands to try', g.commands.join('\n')));
      if (g.related.length)
        fields.push(...listFields('Related', [g.related.map((r) => inline(r.id)).join(', ')]));
      if (reply.alternatives.length)
        fields.push(
          ...listFields(
            'Other candidates',
            reply.alternatives.map((a) => `${echo(a.title)} (${pct(a.score)})`),
          ),
        );
      const footer = `${pct(reply.score)} match${reply.truncatedInput ? ' · the paste was too large; only its start was read' : ''} · ${g.id}`;
      const buttons: (APIButtonComponent | undefined)[] = [];
      for (const a of reply.actions) {
        if (a.kind === 'next-match')
          buttons.push(button(a.label, customId(BUTTON.next, thread), ButtonStyle.Secondary));
        else if (a.kind === 'feedback')
          buttons.push(
            button(
              a.label,
              customId(a.verdict === 'helpful' ? BUTTON.helpful : BUTTON.wrong, thread, a.guideId),
              a.verdict === 'helpful' ? ButtonStyle.Success : ButtonStyle.Secondary,
            ),
          );
        // run-diagnostic actions are offered by a separate reply that knows the user's hosts.
      }
      return {
        embed: {
          title: echo(g.title),
          description: `${echo(g.summary)}${ev}`,
          color: EMBED_COLOR.guide,
          fields,
          footer: { text: clip(echo(footer), LIMITS.footer) },
        },
        buttons,
        full: renderMarkdown(reply, { full: true }),
        fileName: `${safeName(g.id)}.md`,
        files: [],
      };
    }
    case 'diagnostic-offers': {
      const lines = reply.offers.map(
        (o) =>
          `• ${inline(o.catalogId)}: ${echo(o.description)} (on ${o.hosts.map(inline).join(', ')})${o.needsApproval ? ' *needs approval*' : ''}`,
      );
      return {
        embed: {
          title: 'Diagnostics you can run for this guide',
          description: lines.join('\n'),
          color: EMBED_COLOR.guide,
        },
        buttons: reply.offers.map((o) =>
          button(
            `Run ${o.catalogId}`,
            customId(BUTTON.run, thread, reply.guideId, o.catalogId),
            ButtonStyle.Primary,
          ),
        ),
        full: lines.join('\n'),
        fileName: 'diagnostics.txt',
        files: [],
      };
    }
    case 'approval-request': {
      const params = Object.entries(reply.params)
        .map(([k, v]) => `${echo(k)}=${inline(v)}`)
        .join(' ');
      const cmd = reply.command ? `\n\nCommand: ${inline(reply.command)}` : '';
      const text = `:lock: ${userRef(reply.requester)} asks to run ${inline(reply.catalogId)} on ${inline(reply.host)}${params ? ` with ${params}` : ''}. Another authorised person has to approve it.${cmd}`;
      return {
        embed: { title: 'Approval needed', description: text, color: EMBED_COLOR.warn },
        buttons: [
          button('Approve', customId(BUTTON.approve, thread, reply.requestId), ButtonStyle.Success),
          button('Deny', customId(BUTTON.deny, thread, reply.requestId), ButtonStyle.Danger),
        ],
        full: text,
        fileName: 'approval.txt',
        files: [],
      };
    }
    case 'diagnostic-result': {
      const exit = reply.exitCode === 0 ? 'exit 0' : `exit ${reply.exitCode ?? 'unknown (stopped)'}`;
      const head = `${inline(reply.catalogId)} on ${inline(reply.host)}: ${exit}${reply.approvedBy ? `, approved by ${userRef(reply.approvedBy)}` : ''}`;
      const body = [head];
      if (reply.summary) body.push(echo(reply.summary));
      body.push(codeBlock(reply.shown || '(no output)'));
      if (reply.truncatedAtSource)
        body.push('*The command printed more than its output cap; the output was cut at the source.*');
      const files: DiscordFile[] = [];
      if (reply.full !== undefined)
        files.push({
          name: `${safeName(reply.catalogId)}-${safeName(reply.host)}.txt`,
          data: Buffer.from(reply.full),
        });
      return {
        embed: {
          title: clip(echo(`${reply.catalogId} on ${reply.host}`), LIMITS.embedTitle),
          description: body.join('\n'),
          color: reply.exitCode === 0 ? EMBED_COLOR.ok : EMBED_COLOR.error,
        },
        buttons: [],
        full: `${reply.catalogId} on ${reply.host}\n\n${reply.full ?? reply.shown}`,
        fileName: `${safeName(reply.catalogId)}-result.txt`,
        files,
      };
    }
  }
}
