import type { types } from '@slack/bolt';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { clip, fitParts } from '../../src/frontend/overflow.js';
import {
  listMark,
  toDocument,
  type DocAction,
  type Line,
  type ReplyDocument,
} from '../../src/reply/document.js';
import { encodeMarkdown } from '../../src/reply/markdown.js';
import { neutralizeMentions } from '../../src/reply/safe.js';
import { splitText } from '../../src/reply/split.js';
import { ICONS, overflowNote } from '../../src/reply/words.js';

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** Slack's limits (https://docs.slack.dev/reference/block-kit/blocks). */
export const LIMITS = {
  blocks: 50,
  textObject: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  /** Fallback `text` of a message with blocks; Slack truncates at 40,000, we keep it short. */
  fallbackText: 3000,
  /** All text in one message's blocks; beyond this the rest moves to a file. */
  totalChars: 12_000,
} as const;

export interface SlackFile {
  filename: string;
  title: string;
  content: string;
}

/** One message to post, plus files that carry what did not fit. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
  files: SlackFile[];
}

/** Where a button acts: the conversation key the bot uses, and the Slack thread to answer in. */
export interface ButtonContext {
  /** `<channel>/<thread ts>` */
  thread: string;
}

export const ACTION = {
  next: 'fl_next',
  helpful: 'fl_helpful',
  wrong: 'fl_wrong',
  run: 'fl_run',
  approve: 'fl_approve',
  reject: 'fl_reject',
  mute: 'fl_mute',
  /** `fl_correct_<n>` for the nth choice, `fl_correct_none` for none of them: ids differ within a block. */
  correct: 'fl_correct',
  /** "Pick the right guide" under "no guide fits". */
  choose: 'fl_choose',
  /** The search over every guide: an external select whose options `app.options` serves. */
  search: 'fl_search',
} as const;

/** A select carries no value of its own: its block id says which conversation it answers for. */
export const SEARCH_BLOCK = 'fl_search|';

/** Escapes Slack's control characters and breaks mentions and links in text that is echoed back. */
export function echo(text: string): string {
  return escape(neutralizeMentions(text));
}

/**
 * Text as Slack sends it (a slash command's, a message's) with its three entities decoded, so that quoting
 * it through `echo` encodes them once: `a > b` stays `a > b`, not `a &gt; b`.
 */
export function slackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack's three control characters as entities: enough for text of our own (a guide's commands), which
 * must stay copyable, so no zero-width space may land inside its URLs.
 */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwnCode(text: string, own = false): string {
  // A ``` inside output would end the block early; a zero-width joiner keeps it visible but inert.
  return (own ? escape(text) : echo(text)).replace(/```/g, '`\u200d``');
}

function sections(text: string): KnownBlock[] {
  return splitText(text, LIMITS.textObject).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: t || ' ' },
  }));
}

function codeSections(code: string, own = false): KnownBlock[] {
  // Fences take 8 characters of every piece.
  return splitText(mrkdwnCode(code, own), LIMITS.textObject - 8).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: '```' + (t || ' ') + '```' },
  }));
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.textObject) }] };
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clip(text, LIMITS.buttonText), emoji: false },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

function actionsBlocks(buttons: Button[], blockPrefix: string): KnownBlock[] {
  const out: KnownBlock[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    out.push({
      type: 'actions',
      block_id: `${blockPrefix}_${i / LIMITS.actionsElements}`,
      elements: buttons.slice(i, i + LIMITS.actionsElements),
    });
  }
  return out;
}

/** What a button (or a form's private metadata) carries back: the conversation and what it acts on. */
export interface ButtonPayload {
  /** `<channel>/<thread ts>` */
  thread?: string;
  guide?: string;
  catalog?: string;
  request?: string;
}

/** Buttons posted before the keys were spelt out carry `t`, `g`, `c`, `r`; they still work. */
const LEGACY_KEYS: Record<string, keyof ButtonPayload> = {
  t: 'thread',
  g: 'guide',
  c: 'catalog',
  r: 'request',
};
const KEYS: ReadonlySet<string> = new Set<keyof ButtonPayload>(['thread', 'guide', 'catalog', 'request']);

/** Value carried by buttons: small JSON, parsed back by `parseValue`. */
export function buttonValue(v: ButtonPayload): string {
  return JSON.stringify(v);
}

export function parseValue(raw: string | undefined): ButtonPayload {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: ButtonPayload = {};
      for (const [k, x] of Object.entries(v)) {
        const key = KEYS.has(k) ? (k as keyof ButtonPayload) : LEGACY_KEYS[k];
        if (key && typeof x === 'string') out[key] = x;
      }
      return out;
    }
  } catch {
    // not ours
  }
  return {};
}

/**
 * Renders one reply as a Slack message within Slack's limits. What does not fit (blocks, characters) is
 * never cut silently: the message says so and the whole reply travels as an attached file.
 */
export function renderSlack(reply: BotReply, ctx: ButtonContext): SlackMessage {
  const doc = toDocument(reply);
  const actions = actionsBlocks(
    doc.actions.flatMap((a, i) => (a.kind === 'search' ? [] : [encodeAction(a, ctx, i)])),
    `fl_${BLOCK_PREFIX[reply.kind] ?? 'approval'}`,
  );
  for (const a of doc.actions)
    if (a.kind === 'search')
      actions.push({
        type: 'actions',
        block_id: `${SEARCH_BLOCK}${ctx.thread}`,
        elements: [
          {
            type: 'external_select',
            action_id: ACTION.search,
            placeholder: { type: 'plain_text', text: clip(a.label, LIMITS.buttonText) },
            min_query_length: 1,
          },
        ],
      });
  const { kept, overflow } = fitParts(encodeBody(doc), blockChars, {
    count: LIMITS.blocks - actions.length - 1,
    chars: LIMITS.totalChars,
  });
  const files: SlackFile[] = [];
  if (overflow) {
    kept.push(context(`:page_facing_up: ${overflowNote('Slack', doc.fileName)}`));
    const whole = encodeMarkdown(toDocument(reply, { full: true }));
    files.push({ filename: doc.fileName, title: doc.fileName, content: whole });
  }
  for (const a of doc.attachments) files.push({ filename: a.name, title: a.title, content: a.content });
  return { text: clip(echo(doc.fallback), LIMITS.fallbackText), blocks: [...kept, ...actions], files };
}

const BLOCK_PREFIX: Partial<Record<BotReply['kind'], string>> = {
  guide: 'guide',
  'diagnostic-offers': 'offers',
  'choose-guide': 'choose',
};

function blockChars(b: KnownBlock): number {
  return JSON.stringify(b).length;
}

function mrkdwn(l: Line): string {
  return l
    .map((s) =>
      typeof s === 'string'
        ? echo(s)
        : 'code' in s
          ? '`' + echo(s.code.replace(/`/g, "'")) + '`'
          : 'user' in s
            ? `<@${s.user}>`
            : `_${echo(s.em)}_`,
    )
    .join('');
}

function encodeBody(doc: ReplyDocument): KnownBlock[] {
  const out: KnownBlock[] = [];
  if (doc.title) {
    if (doc.title.length <= LIMITS.headerText)
      out.push({ type: 'header', text: { type: 'plain_text', text: doc.title, emoji: false } });
    else out.push(...sections(`*${echo(doc.title)}*`));
  }
  if (doc.meta) out.push(context(mrkdwn(doc.meta)));
  let icon = doc.icon ? `${ICONS[doc.icon]} ` : '';
  for (const b of doc.blocks) {
    const title = b.kind !== 'note' && b.title ? [`*${echo(b.title)}*`] : [];
    switch (b.kind) {
      case 'text':
        out.push(...sections([...title, icon + b.lines.map(mrkdwn).join('\n')].join('\n')));
        icon = '';
        break;
      case 'list':
        out.push(
          ...sections(
            [...title, ...b.items.map((it, i) => `${listMark(b.style, i, MARKS)} ${mrkdwn(it)}`)].join('\n'),
          ),
        );
        break;
      case 'code':
        if (title.length) out.push(...sections(title[0]!));
        out.push(...codeSections(b.code, b.own));
        break;
      case 'note':
        out.push(context(b.lines.map(mrkdwn).join('\n')));
        break;
    }
  }
  return out;
}

const MARKS = { bullet: '•', check: '☐' };

/** `i` is the action's place among the reply's actions. */
function encodeAction(a: Exclude<DocAction, { kind: 'search' }>, ctx: ButtonContext, i: number): Button {
  switch (a.kind) {
    case 'choose':
      return button(a.label, ACTION.choose, buttonValue({ thread: ctx.thread }), 'primary');
    case 'correct':
      return button(
        a.label,
        `${ACTION.correct}_${a.guideId === undefined ? 'none' : i}`,
        buttonValue({ thread: ctx.thread, ...(a.guideId !== undefined ? { guide: a.guideId } : {}) }),
      );
    case 'next':
      return button(a.label, ACTION.next, buttonValue({ thread: ctx.thread }));
    case 'mute':
      return button(a.label, ACTION.mute, buttonValue({ thread: ctx.thread }));
    case 'feedback':
      return button(
        a.label,
        a.verdict === 'helpful' ? ACTION.helpful : ACTION.wrong,
        buttonValue({ thread: ctx.thread, guide: a.guideId }),
      );
    case 'run':
      return button(
        a.label,
        `${ACTION.run}_${a.catalogId}`,
        buttonValue({ thread: ctx.thread, guide: a.guideId, catalog: a.catalogId }),
      );
    case 'approve':
      return button(
        a.label,
        ACTION.approve,
        buttonValue({ request: a.requestId, thread: ctx.thread }),
        'primary',
      );
    case 'reject':
      return button(
        a.label,
        ACTION.reject,
        buttonValue({ request: a.requestId, thread: ctx.thread }),
        'danger',
      );
  }
}
