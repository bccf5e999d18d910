import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/blocks.js';
import { buttonClick, eventCallback, message } from '../fakes/slack/payloads.js';
import { BOT_ID, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, INCIDENTS, startHarness, type Harness } from '../fakes/slack/harness.js';

const PG =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';
/** Alertmanager's Slack integration, as installed in a workspace: a bot with this id. */
const ALERTMANAGER = 'BALERTMGR';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'socket', bot: { listenToBots: [ALERTMANAGER] } });
});
afterAll(async () => {
  await h.stop();
});

function postsIn(channel: string, threadTs: string): RecordedCall[] {
  return h.api.posted().filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
}

async function deliver(event: Record<string, unknown>): Promise<number> {
  const body = eventCallback(event);
  const env = h.socket!.send('events_api', body);
  await waitFor('ack', () => h.socket!.acked(env));
  const log = await waitFor('handled', () =>
    h.logs.find((l) => l.msg === 'slack event handled' && l.eventId === body.event_id),
  );
  return Number(log.replies);
}

/** How Alertmanager's Slack receiver posts: a short text, the alert in an attachment. */
function alertMessage(botId: string): Record<string, unknown> {
  return message({
    botId,
    channel: INCIDENTS,
    text: '',
    attachments: [
      {
        title: '[FIRING:1] PgTooManyClients api (payments)',
        text: `*Alert:* Postgres refuses connections\n*Description:* ${PG}`,
        fallback: '[FIRING:1] PgTooManyClients',
      },
    ],
  });
}

describe('Slack: bots it listens to (bot.listenToBots)', () => {
  it("answers a listed bot's alert in an incident channel, reading its attachments", async () => {
    const ev = alertMessage(ALERTMANAGER);
    expect(await deliver(ev)).toBe(1);
    const reply = await waitFor('reply', () => postsIn(INCIDENTS, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
  });

  it("leaves an unlisted bot's alert alone", async () => {
    expect(await deliver(alertMessage('BSOMEOTHER'))).toBe(0);
  });

  it('never answers its own messages, even when its id is listed', async () => {
    const own: Record<string, unknown> = { ...alertMessage(BOT_ID), bot_profile: { app_id: ALERTMANAGER } };
    const body = eventCallback(own);
    const env = h.socket!.send('events_api', body);
    await waitFor('ack', () => h.socket!.acked(env));
    // Bolt drops the bot's own messages before our listener; a later event handled first proves it.
    expect(await deliver(alertMessage('BSOMEOTHER'))).toBe(0);
    expect(
      h.logs.find((l) => l.msg === 'slack event handled' && l.eventId === body.event_id),
    ).toBeUndefined();
    expect(postsIn(INCIDENTS, own.ts as string)).toHaveLength(0);
  });

  it('reads the text of blocks too, at the passive threshold (chatter from a listed bot gets nothing)', async () => {
    const blocks = (text: string) => [{ type: 'section', text: { type: 'mrkdwn', text } }];
    const chatter = message({
      botId: ALERTMANAGER,
      channel: INCIDENTS,
      text: '',
      blocks: blocks('Deploy 142 finished'),
    });
    expect(await deliver(chatter)).toBe(0);
    const alert = message({ botId: ALERTMANAGER, channel: INCIDENTS, text: 'alert', blocks: blocks(PG) });
    expect(await deliver(alert)).toBe(1);
  });

  it('"Mute here" under a passive answer keeps the bot out of that thread; "unmute" lets it back', async () => {
    const root = message({ user: ALICE, channel: INCIDENTS, text: PG });
    expect(await deliver(root)).toBe(1);
    const reply = await waitFor('passive answer', () => postsIn(INCIDENTS, root.ts as string)[0]);
    const blocks =
      (reply.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]) ?? [];
    const mute = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ACTION.mute);
    expect(mute).toBeDefined();
    h.socket!.send(
      'interactive',
      buttonClick({
        user: BOB,
        channel: INCIDENTS,
        messageTs: reply.args.ok_ts as string,
        actionId: ACTION.mute,
        value: mute!.value,
      }),
    );
    const note = await waitFor('ephemeral note', () => h.api.callsOf('chat.postEphemeral')[0]);
    expect(String(note.args.text)).toMatch(/Muted in this thread/);
    const ts = root.ts as string;
    // Another error in the muted thread: no answer (a different guide would otherwise be answered).
    const epipe = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
    expect(await deliver(message({ user: ALICE, channel: INCIDENTS, text: epipe, threadTs: ts }))).toBe(0);
    expect(await deliver(message({ user: ALICE, channel: 'DALICE', channelType: 'im', text: 'x' }))).toBe(1);
    const unmute = message({ user: ALICE, channel: INCIDENTS, text: `<@UFAULTLINE> unmute`, threadTs: ts });
    expect(await deliver({ ...unmute, type: 'app_mention' })).toBe(1);
    expect(await deliver(message({ user: ALICE, channel: INCIDENTS, text: epipe, threadTs: ts }))).toBe(1);
  });
});
