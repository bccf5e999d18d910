import type { types } from '@slack/bolt';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { CHOOSE_QUESTION, pct, renderMarkdown } from '../../src/reply/markdown.js';
import { neutralizeMentions } from '../../src/reply/safe.js';
import { splitText } from '../../src/reply/split.js';

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
  correct: 'fl_correct',
} as const;

/** Escapes Slack's control characters and breaks mentions and links in text that is echoed back. */
export function echo(text: string): string {
  return neutralizeMentions(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function mrkdwnCode(text: string): string {
  // A ``` inside output would end the block early; a zero-width joiner keeps it visible but inert.
  return echo(text).replace(/```/g, '`\u200d``');
}

function sections(text: string): KnownBlock[] {
  return splitText(text, LIMITS.textObject).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: t || ' ' },
  }));
}

function codeSections(code: string): KnownBlock[] {
  // Fences take 8 characters of every piece.
  return splitText(mrkdwnCode(code), LIMITS.textObject - 8).map((t) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: '```' + (t || ' ') + '```' },
  }));
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, LIMITS.textObject) }] };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
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

/** Value carried by buttons: small JSON, parsed back by `parseValue`. */
export function buttonValue(v: Record<string, string>): string {
  return JSON.stringify(v);
}

export function parseValue(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, string> = {};
      for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
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
  const { body, actions, fallback, full, fileName } = parts(reply, ctx);
  const files: SlackFile[] = [];
  const room = LIMITS.blocks - actions.length - 1;
  const kept: KnownBlock[] = [];
  let chars = 0;
  let overflow = false;
  for (const b of body) {
    const n = blockChars(b);
    if (kept.length >= room || chars + n > LIMITS.totalChars) {
      overflow = true;
      break;
    }
    kept.push(b);
    chars += n;
  }
  if (overflow) {
    kept.push(
      context(
        `:page_facing_up: This reply is longer than a Slack message; the rest is in the attached file \`${fileName}\`.`,
      ),
    );
    files.push({ filename: fileName, title: fileName, content: full });
  }
  if (reply.kind === 'diagnostic-result' && reply.full !== undefined) {
    files.push({
      filename: `${reply.catalogId}-${safeName(reply.host)}.txt`,
      title: `${reply.catalogId} on ${reply.host}: full output`,
      content: reply.full,
    });
  }
  return { text: clip(fallback, LIMITS.fallbackText), blocks: [...kept, ...actions], files };
}

function blockChars(b: KnownBlock): number {
  return JSON.stringify(b).length;
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 64);
}

interface Parts {
  body: KnownBlock[];
  actions: KnownBlock[];
  fallback: string;
  /** The whole reply as plain text/Markdown, for the file when the blocks do not hold it. */
  full: string;
  fileName: string;
}

function parts(reply: BotReply, ctx: ButtonContext): Parts {
  switch (reply.kind) {
    case 'approval-decided': {
      const done = `${reply.decision === 'approved' ? ':white_check_mark: Approved' : ':no_entry: Rejected'} by <@${reply.by}>: \`${echo(reply.catalogId)}\` on \`${echo(reply.host)}\` requested by <@${reply.requester}>.`;
      return {
        body: sections(done),
        actions: [],
        fallback: done,
        full: done,
        fileName: 'faultline-decision.txt',
      };
    }
    case 'text':
      return {
        body: sections(echo(reply.text)),
        actions: [],
        fallback: echo(reply.text),
        full: reply.text,
        fileName: 'faultline-reply.txt',
      };
    case 'error':
      return {
        body: sections(`:warning: ${echo(reply.text)}`),
        actions: [],
        fallback: `Error: ${echo(reply.text)}`,
        full: reply.text,
        fileName: 'faultline-error.txt',
      };
    case 'choose-guide': {
      // One button per candidate (action ids must differ within a block) and "None of these".
      const buttons = [
        ...reply.choices.map((ch, i) =>
          button(clip(ch.title, 75), `${ACTION.correct}_${i}`, buttonValue({ t: ctx.thread, g: ch.id })),
        ),
        button('None of these', `${ACTION.correct}_none`, buttonValue({ t: ctx.thread })),
      ];
      return {
        body: sections(CHOOSE_QUESTION),
        actions: actionsBlocks(buttons, 'fl_choose'),
        fallback: CHOOSE_QUESTION,
        full: renderMarkdown(reply),
        fileName: 'faultline-choose.md',
      };
    }
    case 'no-match': {
      const lines = ['No guide fits this paste well enough.'];
      if (reply.nearest.length)
        lines.push(
          '',
          '*Nearest guides:*',
          ...reply.nearest.map((n) => `• ${echo(n.title)} (\`${echo(n.id)}\`, ${pct(n.score)})`),
        );
      if (reply.truncatedInput) lines.push('', '_The paste was too large; only its start was read._');
      return {
        body: sections(lines.join('\n')),
        actions: [],
        fallback: 'No guide fits this paste well enough.',
        full: renderMarkdown(reply),
        fileName: 'faultline-reply.md',
      };
    }
    case 'guide': {
      const g = reply.guide;
      const body: KnownBlock[] = [];
      if (g.title.length <= LIMITS.headerText)
        body.push({ type: 'header', text: { type: 'plain_text', text: g.title, emoji: false } });
      else body.push(...sections(`*${echo(g.title)}*`));
      const ev = reply.evidence.text
        ? `; line ${reply.evidence.line}: \`${echo(clip(reply.evidence.text.replace(/`/g, "'"), 300))}\``
        : '';
      body.push(context(`${pct(reply.score)} match${ev}`));
      body.push(...sections(echo(g.summary)));
      if (g.causes.length)
        body.push(...sections(['*Likely causes*', ...g.causes.map((c) => `• ${echo(c)}`)].join('\n')));
      if (g.checklist.length)
        body.push(...sections(['*Checklist*', ...g.checklist.map((c) => `☐ ${echo(c)}`)].join('\n')));
      if (g.commands.length) {
        body.push(...sections('*Commands to try*'));
        body.push(...codeSections(g.commands.join('\n')));
      }
      const foot: string[] = [];
      if (g.related.length) foot.push(`Related: ${g.related.map((r) => `\`${echo(r.id)}\``).join(', ')}`);
      if (reply.alternatives.length)
        foot.push(
          `Other candidates: ${reply.alternatives.map((a) => `${echo(a.title)} (${pct(a.score)})`).join('; ')}`,
        );
      if (reply.truncatedInput) foot.push('_The paste was too large; only its start was read._');
      if (foot.length) body.push(context(foot.join('\n')));
      const buttons: Button[] = [];
      for (const a of reply.actions) {
        if (a.kind === 'next-match')
          buttons.push(button(a.label, ACTION.next, buttonValue({ t: ctx.thread })));
        else if (a.kind === 'feedback')
          buttons.push(
            button(
              a.label,
              a.verdict === 'helpful' ? ACTION.helpful : ACTION.wrong,
              buttonValue({ t: ctx.thread, g: a.guideId }),
            ),
          );
        // run-diagnostic actions are offered by a separate reply that knows the user's hosts.
      }
      return {
        body,
        actions: actionsBlocks(buttons, 'fl_guide'),
        fallback: `${g.title}: ${echo(g.summary)}`,
        full: renderMarkdown(reply, { full: true }),
        fileName: `${g.id}.md`,
      };
    }
    case 'diagnostic-offers': {
      const lines = ['*Diagnostics you can run for this guide*'];
      for (const o of reply.offers) {
        lines.push(
          `• \`${echo(o.catalogId)}\`: ${echo(o.description)} (on ${o.hosts.map((h) => `\`${echo(h)}\``).join(', ')})${o.needsApproval ? ' _needs approval_' : ''}`,
        );
      }
      const buttons = reply.offers.map((o) =>
        button(
          `Run ${o.catalogId}`,
          `${ACTION.run}_${o.catalogId}`,
          buttonValue({ t: ctx.thread, g: reply.guideId, c: o.catalogId }),
        ),
      );
      return {
        body: sections(lines.join('\n')),
        actions: actionsBlocks(buttons, 'fl_offers'),
        fallback: 'Diagnostics you can run for this guide',
        full: lines.join('\n'),
        fileName: 'diagnostics.txt',
      };
    }
    case 'approval-request': {
      const params = Object.entries(reply.params)
        .map(([k, v]) => `${echo(k)}=\`${echo(v)}\``)
        .join(' ');
      const cmd = reply.command ? `\nCommand: \`${echo(reply.command).replace(/`/g, "'")}\`` : '';
      const text = `:lock: <@${reply.requester}> asks to run \`${echo(reply.catalogId)}\` on \`${echo(reply.host)}\`${params ? ` with ${params}` : ''}. Another authorised person has to approve it.${cmd}`;
      const value = buttonValue({ r: reply.requestId, t: ctx.thread });
      return {
        body: sections(text),
        actions: actionsBlocks(
          [
            button('Approve', ACTION.approve, value, 'primary'),
            button('Reject', ACTION.reject, value, 'danger'),
          ],
          'fl_approval',
        ),
        fallback: `Approval needed: ${reply.catalogId} on ${reply.host}`,
        full: text,
        fileName: 'approval.txt',
      };
    }
    case 'diagnostic-result': {
      const head = `*\`${echo(reply.catalogId)}\` on \`${echo(reply.host)}\`*: ${reply.exitCode === 0 ? 'exit 0' : `exit ${reply.exitCode ?? 'unknown (stopped)'}`}${
        reply.approvedBy ? `, approved by <@${reply.approvedBy}>` : ''
      }`;
      const body = [...sections(head)];
      if (reply.summary) body.push(...sections(echo(reply.summary)));
      body.push(...codeSections(reply.shown || '(no output)'));
      if (reply.truncatedAtSource)
        body.push(context('The command printed more than its output cap; the output was cut at the source.'));
      return {
        body,
        actions: [],
        fallback: `${reply.catalogId} on ${reply.host}`,
        full: `${reply.catalogId} on ${reply.host}\n\n${reply.full ?? reply.shown}`,
        fileName: `${reply.catalogId}-result.txt`,
      };
    }
  }
}
