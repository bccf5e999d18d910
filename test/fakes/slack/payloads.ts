import { createHmac } from 'node:crypto';

/** Payloads shaped like Slack's, for the fakes to deliver over Socket Mode or signed HTTP. */

let seq = 0;
const nextTs = () => `${1_800_000_000 + ++seq}.${String(seq).padStart(6, '0')}`;

export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${++seq}`,
): Record<string, unknown> {
  return {
    token: 'legacy-unused',
    team_id: 'TFAKE',
    api_app_id: 'AFAKE',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'TFAKE', user_id: 'UFAULTLINE', is_bot: true }],
    event: { event_ts: event.ts, ...event },
  };
}

export function mention(opts: {
  user: string;
  channel: string;
  text: string;
  ts?: string;
  threadTs?: string;
}): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: opts.user,
    channel: opts.channel,
    text: opts.text,
    ts: opts.ts ?? nextTs(),
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
  };
}

export function message(opts: {
  user?: string;
  botId?: string;
  channel: string;
  text: string;
  ts?: string;
  threadTs?: string;
  channelType?: 'channel' | 'im' | 'group';
  subtype?: string;
  /** File objects (from `FakeSlackApi.hostFile`): the message becomes a `file_share`. */
  files?: Record<string, unknown>[];
  /** Legacy attachments and blocks, as integrations (Alertmanager, Sentry) post them. */
  attachments?: Record<string, unknown>[];
  blocks?: Record<string, unknown>[];
}): Record<string, unknown> {
  return {
    type: 'message',
    channel: opts.channel,
    channel_type: opts.channelType ?? 'channel',
    text: opts.text,
    ts: opts.ts ?? nextTs(),
    ...(opts.user ? { user: opts.user } : {}),
    ...(opts.botId ? { bot_id: opts.botId, subtype: 'bot_message' } : {}),
    ...(opts.subtype ? { subtype: opts.subtype } : {}),
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    ...(opts.files ? { files: opts.files, subtype: 'file_share', upload: true } : {}),
    ...(opts.attachments ? { attachments: opts.attachments } : {}),
    ...(opts.blocks ? { blocks: opts.blocks } : {}),
  };
}

export function slashCommand(opts: {
  user: string;
  channel: string;
  text: string;
  responseUrl: string;
}): Record<string, string> {
  return {
    token: 'legacy-unused',
    team_id: 'TFAKE',
    team_domain: 'fake',
    channel_id: opts.channel,
    channel_name: 'general',
    user_id: opts.user,
    user_name: opts.user.toLowerCase(),
    command: '/faultline',
    text: opts.text,
    api_app_id: 'AFAKE',
    response_url: opts.responseUrl,
    trigger_id: `trig-${++seq}`,
  };
}

export function messageShortcut(opts: {
  user: string;
  channel: string;
  text: string;
  ts: string;
  threadTs?: string;
  responseUrl: string;
}): Record<string, unknown> {
  return {
    type: 'message_action',
    token: 'legacy-unused',
    callback_id: 'explain_error',
    trigger_id: `trig-${++seq}`,
    action_ts: nextTs(),
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: opts.user, name: opts.user.toLowerCase(), team_id: 'TFAKE' },
    channel: { id: opts.channel, name: 'general' },
    message: {
      type: 'message',
      user: 'USOMEONE',
      text: opts.text,
      ts: opts.ts,
      ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    },
    response_url: opts.responseUrl,
  };
}

/** A click on a button of a message the bot posted (the recorded chat.postMessage `blocks`). */
export function buttonClick(opts: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  value: string;
  blockId?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    token: 'legacy-unused',
    api_app_id: 'AFAKE',
    trigger_id: `trig-${++seq}`,
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: opts.user, username: opts.user.toLowerCase(), team_id: 'TFAKE' },
    channel: { id: opts.channel, name: 'general' },
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    message: { type: 'message', ts: opts.messageTs, text: '' },
    response_url: 'http://127.0.0.1:9/unused',
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: opts.blockId ?? 'b',
        value: opts.value,
        action_ts: nextTs(),
        text: { type: 'plain_text', text: 'x' },
      },
    ],
  };
}

export function viewSubmission(opts: {
  user: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    token: 'legacy-unused',
    api_app_id: 'AFAKE',
    trigger_id: `trig-${++seq}`,
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: opts.user, username: opts.user.toLowerCase(), team_id: 'TFAKE' },
    view: {
      id: 'VFAKE',
      type: 'modal',
      callback_id: opts.callbackId,
      private_metadata: opts.privateMetadata,
      state: { values: opts.values },
      hash: 'h',
    },
  };
}

/** Signs a body the way Slack does. */
export function sign(secret: string, body: string, timestampSec: number): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSec), 'x-slack-signature': `v0=${sig}` };
}

/** POSTs a signed request to the bot's HTTP receiver. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  opts: {
    contentType?: string;
    timestampSec?: number;
    headers?: Record<string, string>;
    badSignature?: boolean;
  } = {},
): Promise<{ status: number; text: string }> {
  const ts = opts.timestampSec ?? Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': opts.contentType ?? 'application/json',
    ...sign(opts.badSignature ? `${secret}x` : secret, body, ts),
    ...(opts.headers ?? {}),
  };
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export function interactiveBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Slack asking for the options of an external select as a person types (`app.options`). */
export function blockSuggestion(opts: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  blockId: string;
  value: string;
}): Record<string, unknown> {
  return {
    type: 'block_suggestion',
    token: 'legacy-unused',
    api_app_id: 'AFAKE',
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: opts.user, name: opts.user.toLowerCase(), team_id: 'TFAKE' },
    channel: { id: opts.channel, name: 'general' },
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    message: { type: 'message', ts: opts.messageTs, text: '' },
    action_id: opts.actionId,
    block_id: opts.blockId,
    value: opts.value,
  };
}

/** A pick from an external select of a message the bot posted. */
export function selectPick(opts: {
  user: string;
  channel: string;
  messageTs: string;
  actionId: string;
  blockId: string;
  value: string;
  text: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    token: 'legacy-unused',
    api_app_id: 'AFAKE',
    trigger_id: `trig-${++seq}`,
    team: { id: 'TFAKE', domain: 'fake' },
    user: { id: opts.user, username: opts.user.toLowerCase(), team_id: 'TFAKE' },
    channel: { id: opts.channel, name: 'general' },
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    message: { type: 'message', ts: opts.messageTs, text: '' },
    response_url: 'http://127.0.0.1:9/unused',
    actions: [
      {
        type: 'external_select',
        action_id: opts.actionId,
        block_id: opts.blockId,
        selected_option: { text: { type: 'plain_text', text: opts.text }, value: opts.value },
        action_ts: nextTs(),
      },
    ],
  };
}
