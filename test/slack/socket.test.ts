import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/blocks.js';
import { buttonClick, eventCallback, mention, message, messageShortcut, slashCommand } from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, GENERAL, INCIDENTS, startHarness, type Harness } from '../fakes/slack/harness.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const PG = 'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'socket' });
});
afterAll(async () => {
  await h.stop();
});

function postsIn(channel: string, threadTs?: string): RecordedCall[] {
  return h.api.posted().filter((c) => c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs));
}

function buttons(call: RecordedCall): { action_id: string; value: string }[] {
  const out: { action_id: string; value: string }[] = [];
  for (const b of (call.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]) ?? []) {
    if (b.type === 'actions') out.push(...(b.elements ?? []));
  }
  return out;
}

describe('Slack over Socket Mode (real Bolt app, fake Slack)', () => {
  it('connects through apps.connections.open with the app token and verifies the bot token', () => {
    expect(h.api.callsOf('auth.test')[0]?.token).toBe('xoxb-fake');
    expect(h.api.callsOf('apps.connections.open')[0]?.token).toBe('xapp-fake');
    expect(h.socket?.connected).toBe(true);
  });

  it('answers a mention with a paste in a thread under the paste, and acks the envelope', async () => {
    const ev = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> ${EPIPE}` });
    const env = h.socket!.send('events_api', eventCallback(ev));
    await waitFor('ack', () => h.socket!.acked(env));
    const reply = await waitFor('reply', () => postsIn(GENERAL, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/broken pipe/i);
    expect(buttons(reply).map((b) => b.action_id)).toEqual(expect.arrayContaining([ACTION.helpful, ACTION.wrong]));
  });

  it('answers a direct message in its thread', async () => {
    const ev = message({ user: ALICE, channel: 'DALICE', channelType: 'im', text: PG });
    h.socket!.send('events_api', eventCallback(ev));
    const reply = await waitFor('dm reply', () => postsIn('DALICE', ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
  });
});
