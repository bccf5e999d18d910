import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { clip, fitParts } from '../../src/frontend/overflow.js';
import {
  listMark,
  plainLine,
  toDocument,
  type Block,
  type DocAction,
  type Line,
  type ReplyDocument,
} from '../../src/reply/document.js';
import { encodeMarkdown } from '../../src/reply/markdown.js';
import { COMMAND } from './commands.js';
import { neutralizeMentions } from '../../src/reply/safe.js';
import { splitText } from '../../src/reply/split.js';
import { ICONS, overflowNote, WORDS } from '../../src/reply/words.js';

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
 * n: next match; h / w: helpful / wrong (guide); r: run (guide, catalog id); a / d: approve / reject (request).
 */
export const BUTTON = {
  next: 'n',
  helpful: 'h',
  wrong: 'w',
  run: 'r',
  approve: 'a',
  reject: 'd',
  modal: 'm',
  mute: 'q',
  /** The answer to "which guide fits?": `c|<thread>|<guide id>`, or `c|<thread>` for none of them. */
  correct: 'c',
  /** "Pick the right guide" under "no guide fits". */
  choose: 'k',
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

/** A code block that output cannot close early; `own` text (a guide's commands) is kept copyable. */
export function codeBlock(text: string, own = false): string {
  return '```\n' + (own ? text : echo(text)).replace(/```/g, '`\u200d``') + '\n```';
}

function inline(text: string): string {
  return '`' + echo(text).replace(/`/g, "'") + '`';
}

/** A user mention for ids that are snowflakes; anything else is shown as text. */
export function userRef(id: string): string {
  return /^\d{15,22}$/.test(id) ? `<@${id}>` : inline(id);
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

function codeFields(name: string, code: string, own = false): APIEmbedField[] {
  // Fences and their newlines take 8 characters of every piece.
  const pieces = splitText((own ? code : echo(code)).replace(/```/g, '`\u200d``'), LIMITS.fieldValue - 8);
  return pieces.map((p, i) => ({
    name: i === 0 ? name : `${name} (continued)`,
    value: '```\n' + (p || ' ') + '\n```',
  }));
}

/**
 * Renders one reply as a Discord message within Discord's limits. What does not fit (content, embed
 * description, fields, the 6,000 total) is never cut silently: the message says so and the whole reply
 * travels as an attached file.
 */
export function renderDiscord(reply: BotReply, thread: string): DiscordMessage {
  const doc = toDocument(reply);
  // A message holds no search: the search over every guide is the autocomplete of /fits.
  for (const a of doc.actions)
    if (a.kind === 'search')
      doc.blocks.push({ kind: 'note', lines: [[`${a.label}: `, { code: FITS_USAGE }]] });
  const files: DiscordFile[] = doc.attachments.map((a) => ({ name: a.name, data: Buffer.from(a.content) }));
  let { content, embed } = encode(doc);
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
    const fit = fitParts(e.fields ?? [], (f) => f.name.length + f.value.length, {
      count: LIMITS.fields - 1,
      chars: LIMITS.embedTotal - 200 - embedChars({ ...e, fields: [] }),
    });
    const fields = fit.kept;
    overflow ||= fit.overflow;
    if (overflow) fields.push({ name: WORDS.overflowTitle, value: overflowNote('Discord', doc.fileName) });
    e.fields = fields;
    if (!e.fields.length) delete e.fields;
    embed = e;
  } else if (overflow) {
    content = `${content ?? ''}\n*(${overflowNote('Discord', doc.fileName)})*`;
  }
  if (overflow)
    files.unshift({
      name: doc.fileName,
      data: Buffer.from(encodeMarkdown(toDocument(reply, { full: true }))),
    });
  return {
    ...(content !== undefined ? { content } : {}),
    embeds: embed ? [embed] : [],
    components: rows(doc.actions.map((a) => encodeAction(a, thread))),
    files,
    allowedMentions: NO_PINGS,
  };
}

function md(l: Line): string {
  return l
    .map((s) =>
      typeof s === 'string'
        ? echo(s)
        : 'code' in s
          ? inline(s.code)
          : 'user' in s
            ? userRef(s.user)
            : `*${echo(s.em)}*`,
    )
    .join('');
}

/** Markdown for one block, for content or an embed description. */
function blockText(b: Block): string {
  const title = b.kind !== 'note' && b.title ? [`**${echo(b.title)}**`] : [];
  switch (b.kind) {
    case 'text':
      return [...title, ...b.lines.map(md)].join('\n');
    case 'list':
      return [...title, ...b.items.map((it, i) => `${listMark(b.style, i, MARKS)} ${md(it)}`)].join('\n');
    case 'code':
      return [...title, codeBlock(b.code, b.own)].join('\n');
    case 'note':
      return b.lines.map(md).join('\n');
  }
}

const COLOR: Record<ReplyDocument['tone'], number | undefined> = {
  plain: undefined,
  guide: EMBED_COLOR.guide,
  warn: EMBED_COLOR.warn,
  error: EMBED_COLOR.error,
  ok: EMBED_COLOR.ok,
};

/**
 * A reply without a title is a plain message; one with a title an embed, whose untitled blocks make the
 * description, titled lists and code the fields, and small print the footer.
 */
function encode(doc: ReplyDocument): { content?: string; embed?: APIEmbed } {
  const icon = doc.icon ? `${ICONS[doc.icon]} ` : '';
  if (!doc.title) return { content: icon + doc.blocks.map(blockText).join('\n\n') };
  const description: string[] = [];
  const fields: APIEmbedField[] = [];
  const footer: string[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'note') footer.push(...b.lines.map((l) => echo(plainLine(l))));
    else if (b.kind === 'list' && b.title)
      fields.push(
        ...listFields(
          b.title,
          b.items.map((it, i) => `${listMark(b.style, i, MARKS)} ${md(it)}`),
        ),
      );
    else if (b.kind === 'code' && b.title) fields.push(...codeFields(b.title, b.code, b.own));
    else description.push(blockText(b));
  }
  if (doc.meta) description.push(md(doc.meta));
  if (doc.tag) footer.push(doc.tag);
  const color = COLOR[doc.tone];
  return {
    embed: {
      title: echo(doc.title),
      ...(description.length ? { description: icon + description.join('\n\n') } : {}),
      ...(color !== undefined ? { color } : {}),
      ...(fields.length ? { fields } : {}),
      ...(footer.length ? { footer: { text: clip(footer.join(' · '), LIMITS.footer) } } : {}),
    },
  };
}

const MARKS = { bullet: '•', check: '☐' };

const FITS_USAGE = `/${COMMAND.fits} guide:`;

function encodeAction(a: DocAction, thread: string): APIButtonComponent | undefined {
  switch (a.kind) {
    case 'choose':
      return button(a.label, customId(BUTTON.choose, thread), ButtonStyle.Primary);
    case 'search':
      return undefined;
    case 'correct':
      return a.guideId === undefined
        ? button(a.label, customId(BUTTON.correct, thread), ButtonStyle.Danger)
        : button(a.label, customId(BUTTON.correct, thread, a.guideId), ButtonStyle.Secondary);
    case 'next':
      return button(a.label, customId(BUTTON.next, thread), ButtonStyle.Secondary);
    case 'mute':
      return button(a.label, customId(BUTTON.mute, thread), ButtonStyle.Secondary);
    case 'feedback':
      return button(
        a.label,
        customId(a.verdict === 'helpful' ? BUTTON.helpful : BUTTON.wrong, thread, a.guideId),
        a.verdict === 'helpful' ? ButtonStyle.Success : ButtonStyle.Secondary,
      );
    case 'run':
      return button(a.label, customId(BUTTON.run, thread, a.guideId, a.catalogId), ButtonStyle.Primary);
    case 'approve':
      return button(a.label, customId(BUTTON.approve, thread, a.requestId), ButtonStyle.Success);
    case 'reject':
      return button(a.label, customId(BUTTON.reject, thread, a.requestId), ButtonStyle.Danger);
  }
}
