import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, LIMITS } from '../../adapters/slack/blocks.js';
import {
  buttonClick,
  eventCallback,
  mention,
  message,
  messageShortcut,
  slashCommand,
} from '../fakes/slack/payloads.js';
import {
  BOT_ID,
  BOT_USER,
  bothGuides,
  messageText,
  TWO_ERRORS,
  waitFor,
  type RecordedCall,
} from '../fakes/slack/web-api.js';
import { ALICE, BOB, GENERAL, INCIDENTS, startHarness, type Harness } from '../fakes/slack/harness.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const PG =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ mode: 'socket' });
});
afterAll(async () => {
  await h.stop();
});
afterEach(() => {
  h.api.clearFailures();
});

function postsIn(channel: string, threadTs?: string): RecordedCall[] {
  return h.api
    .posted()
    .filter((c) => c.args.channel === channel && (threadTs === undefined || c.args.thread_ts === threadTs));
}

function buttons(call: RecordedCall): { action_id: string; value: string }[] {
  const out: { action_id: string; value: string }[] = [];
  for (const b of (call.args.blocks as {
    type: string;
    elements?: { action_id: string; value: string }[];
  }[]) ?? []) {
    if (b.type === 'actions') out.push(...(b.elements ?? []));
  }
  return out;
}

function handled(eventId: string): Record<string, unknown> | undefined {
  return h.logs.find((l) => l.msg === 'slack event handled' && l.eventId === eventId);
}

/** Sends an event and waits until the bot has decided on it (replies or silence); returns the reply count. */
async function deliver(
  event: Record<string, unknown>,
  opts: { eventId?: string; retry?: number } = {},
): Promise<number> {
  const body = eventCallback(event, opts.eventId);
  const env = h.socket!.send('events_api', body, opts.retry ? { retry: opts.retry } : {});
  await waitFor('ack', () => h.socket!.acked(env));
  const log = await waitFor(`handling of ${String(body.event_id)}`, () => handled(String(body.event_id)));
  return Number(log.replies);
}

describe('Slack over Socket Mode (real Bolt app, fake Slack)', () => {
  it('connects through apps.connections.open with the app token and verifies the bot token', () => {
    expect(h.api.callsOf('auth.test')[0]?.token).toBe('xoxb-fake');
    expect(h.api.callsOf('apps.connections.open')[0]?.token).toBe('xapp-fake');
    expect(h.socket?.connected).toBe(true);
  });

  it('answers a mention with a paste in a thread under the paste, and acks the envelope', async () => {
    const ev = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> ${EPIPE}` });
    expect(await deliver(ev)).toBeGreaterThan(0);
    const reply = await waitFor('reply', () => postsIn(GENERAL, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/broken pipe/i);
    expect(reply.args.unfurl_links).toBe('false');
    expect(buttons(reply).map((b) => b.action_id)).toEqual(
      expect.arrayContaining([ACTION.helpful, ACTION.wrong]),
    );
  });

  it('answers a mention inside a thread in that thread, and "more" there continues the conversation', async () => {
    const root = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> ${TWO_ERRORS}` });
    await deliver(root);
    const first = await waitFor('first', () => postsIn(GENERAL, root.ts as string)[0]);
    const more = mention({
      user: ALICE,
      channel: GENERAL,
      text: `<@${BOT_USER}> more`,
      threadTs: root.ts as string,
    });
    await deliver(more);
    const second = await waitFor('second', () => postsIn(GENERAL, root.ts as string)[1]);
    expect(bothGuides(first, second)).toEqual(['epipe', 'postgres']);
    expect(messageText(second)).not.toMatch(/No more guides/);
  });

  it('"more" typed in the thread of an answer, without a mention, shows the next guide (docs/slack.md)', async () => {
    const root = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> ${TWO_ERRORS}` });
    await deliver(root);
    const first = await waitFor('first', () => postsIn(GENERAL, root.ts as string)[0]);
    const more = message({ user: BOB, channel: GENERAL, text: 'more', threadTs: root.ts as string });
    expect(await deliver(more)).toBe(1);
    const second = await waitFor('second', () => postsIn(GENERAL, root.ts as string)[1]);
    expect(bothGuides(first, second)).toEqual(['epipe', 'postgres']);
  });

  it('"more" where the bot has not answered stays chatter', async () => {
    expect(await deliver(message({ user: ALICE, channel: GENERAL, text: 'more' }))).toBe(0);
    const other = message({ user: ALICE, channel: GENERAL, text: 'deploy is done' });
    await deliver(other);
    expect(
      await deliver(message({ user: BOB, channel: GENERAL, text: 'more', threadTs: other.ts as string })),
    ).toBe(0);
  });

  it('/faultline explain quotes what Slack sent with its entities encoded once', async () => {
    // Slack sends &, < and > in a command's text as entities.
    const env = h.socket!.send(
      'slash_commands',
      slashCommand({
        user: ALICE,
        channel: 'CQUOTE',
        text: `explain 2026-12-06 app &gt; ${EPIPE} &amp;&amp; retry &lt;3&gt;`,
        responseUrl: `${h.api.url}/response/quote`,
      }),
    );
    await waitFor('ack', () => h.socket!.acked(env));
    const header = await waitFor('header', () =>
      postsIn('CQUOTE').find((c) => c.args.thread_ts === undefined),
    );
    const text = String(header.args.text);
    expect(text).toContain('app &gt; write tcp');
    expect(text).toContain('&amp;&amp; retry &lt;3&gt;');
    expect(text).not.toContain('&amp;gt;');
    expect(text).not.toContain('&amp;amp;');
  });

  it('answers a direct message in its thread', async () => {
    const ev = message({ user: ALICE, channel: 'DALICE', channelType: 'im', text: PG });
    await deliver(ev);
    const reply = await waitFor('dm reply', () => postsIn('DALICE', ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
  });

  it('gives one reply to an event Slack delivers twice (dedupe by event id)', async () => {
    const ev = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> ${EPIPE}` });
    expect(await deliver(ev, { eventId: 'EvDUP1' })).toBeGreaterThan(0);
    await waitFor('first reply', () => postsIn(GENERAL, ev.ts as string)[0]);
    const before = postsIn(GENERAL, ev.ts as string).length;
    // The retry gets its own envelope, which must be acked, and no second answer.
    h.logs.length = 0;
    expect(await deliver(ev, { eventId: 'EvDUP1', retry: 1 })).toBe(0);
    expect(postsIn(GENERAL, ev.ts as string).length).toBe(before);
  });

  it('stays silent on chatter in an incident channel, and on bots, but answers an error paste there once per guide per thread', async () => {
    expect(
      await deliver(
        message({ user: ALICE, channel: INCIDENTS, text: 'anyone up for lunch? the deploy went fine' }),
      ),
    ).toBe(0);
    expect(await deliver(message({ botId: 'BOTHER', channel: INCIDENTS, text: PG }))).toBe(0);
    // Not an incident channel: a paste without a mention is not for the bot.
    expect(await deliver(message({ user: ALICE, channel: GENERAL, text: PG }))).toBe(0);
    const paste = message({ user: ALICE, channel: INCIDENTS, text: PG });
    expect(await deliver(paste)).toBeGreaterThan(0);
    await waitFor('passive reply', () => postsIn(INCIDENTS, paste.ts as string)[0]);
    const again = message({ user: BOB, channel: INCIDENTS, text: PG, threadTs: paste.ts as string });
    expect(await deliver(again)).toBe(0);
  });

  it('never answers its own messages', async () => {
    const own = message({ channel: INCIDENTS, text: PG, botId: BOT_ID });
    const body = eventCallback({ ...own, user: BOT_USER });
    const env = h.socket!.send('events_api', body);
    await waitFor('ack', () => h.socket!.acked(env));
    // Bolt's ignoreSelf drops it before our listener; prove it by a following event being handled first-hand.
    expect(await deliver(message({ user: ALICE, channel: INCIDENTS, text: 'just chatting' }))).toBe(0);
    expect(handled(String(body.event_id))).toBeUndefined();
    expect(postsIn(INCIDENTS, own.ts as string)).toHaveLength(0);
  });

  it('neutralises mentions and links echoed from a paste', async () => {
    const nasty = `<!channel> <!here> @everyone <@UVICTIM> see https://evil.example/x\n${PG}`;
    const cmd = slashCommand({
      user: ALICE,
      channel: GENERAL,
      text: `explain ${nasty}`,
      responseUrl: `${h.api.url}/response/neutral`,
    });
    const env = h.socket!.send('slash_commands', cmd);
    await waitFor('ack', () => h.socket!.acked(env));
    const header = await waitFor('header', () =>
      postsIn(GENERAL).find((c) => c.args.thread_ts === undefined && messageText(c).includes('evil')),
    );
    const raw = JSON.stringify(header.args);
    expect(raw).not.toContain('<!channel>');
    expect(raw).not.toContain('<!here>');
    expect(raw).not.toContain('<@UVICTIM>');
    expect(raw).not.toMatch(/@everyone/);
    expect(raw).not.toContain('https://evil');
    const answer = await waitFor('answer', () => postsIn(GENERAL, header.args.ok_ts as string)[0]);
    expect(JSON.stringify(answer.args)).not.toContain('<!channel>');
  });

  it('/faultline help answers privately through the response URL', async () => {
    const env = h.socket!.send(
      'slash_commands',
      slashCommand({
        user: ALICE,
        channel: GENERAL,
        text: 'help',
        responseUrl: `${h.api.url}/response/help1`,
      }),
    );
    await waitFor('ack', () => h.socket!.acked(env));
    const r = await waitFor('response', () => h.api.responses.find((x) => x.path === '/response/help1'));
    expect(r.body.response_type).toBe('ephemeral');
    expect(String(r.body.text)).toContain('/faultline explain');
  });

  it('/faultline explain posts the question and answers in its thread', async () => {
    const env = h.socket!.send(
      'slash_commands',
      slashCommand({
        user: BOB,
        channel: 'CEXPLAIN',
        text: `explain ${EPIPE}`,
        responseUrl: `${h.api.url}/response/x`,
      }),
    );
    await waitFor('ack', () => h.socket!.acked(env));
    const header = await waitFor('header', () =>
      postsIn('CEXPLAIN').find((c) => c.args.thread_ts === undefined),
    );
    const answer = await waitFor('answer', () => postsIn('CEXPLAIN', header.args.ok_ts as string)[0]);
    expect(messageText(answer)).toMatch(/broken pipe/i);
  });

  it('the "Explain this error" message shortcut answers in the thread of that message', async () => {
    const s = messageShortcut({
      user: BOB,
      channel: 'CSHORT',
      text: PG,
      ts: '1800000999.000001',
      responseUrl: `${h.api.url}/response/s`,
    });
    const env = h.socket!.send('interactive', s);
    await waitFor('ack', () => h.socket!.acked(env));
    const answer = await waitFor('answer', () => postsIn('CSHORT', '1800000999.000001')[0]);
    expect(messageText(answer)).toMatch(/too many/i);
  });

  it('"Not this one" shows the next guide in the thread; "Helpful" records feedback with who, paste hash, guide and verdict', async () => {
    const ev = mention({ user: ALICE, channel: 'CBUTTONS', text: `<@${BOT_USER}> ${TWO_ERRORS}` });
    await deliver(ev);
    const first = await waitFor('first', () => postsIn('CBUTTONS', ev.ts as string)[0]);
    const next = buttons(first).find((b) => b.action_id === ACTION.next);
    expect(next).toBeDefined();
    h.socket!.send(
      'interactive',
      buttonClick({
        user: ALICE,
        channel: 'CBUTTONS',
        messageTs: first.args.ok_ts as string,
        actionId: ACTION.next,
        value: next!.value,
      }),
    );
    const second = await waitFor('second', () => postsIn('CBUTTONS', ev.ts as string)[1]);
    expect(bothGuides(first, second)).toEqual(['epipe', 'postgres']);
    const helpful = buttons(second).find((b) => b.action_id === ACTION.helpful)!;
    h.socket!.send(
      'interactive',
      buttonClick({
        user: BOB,
        channel: 'CBUTTONS',
        messageTs: second.args.ok_ts as string,
        actionId: ACTION.helpful,
        value: helpful.value,
      }),
    );
    const recorded = await waitForAsync(async () =>
      (await h.store.feedback.list()).find((f) => f.user === BOB),
    );
    expect(recorded).toMatchObject({ platform: 'slack', user: BOB, verdict: 'helpful' });
    expect(recorded.pasteHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(helpful.value).guide).toBe(recorded.guideId);
    await waitFor('ephemeral thanks', () =>
      h.api.callsOf('chat.postEphemeral').find((c) => c.args.user === BOB && c.args.channel === 'CBUTTONS'),
    );
  });

  it('keeps every message within Block Kit limits for a 500-line paste', async () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      i === 250
        ? PG
        : `2026-11-24 18:${String(i % 60).padStart(2, '0')}:00 INFO worker ${i} processed batch ${i * 7} in ${i}ms`,
    );
    const ev = mention({ user: ALICE, channel: 'CBIG', text: `<@${BOT_USER}> ${lines.join('\n')}` });
    await deliver(ev);
    const reply = await waitFor('reply', () => postsIn('CBIG', ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    const env = h.socket!.send(
      'slash_commands',
      slashCommand({
        user: ALICE,
        channel: 'CBIG',
        text: `explain ${lines.join('\n')}`,
        responseUrl: `${h.api.url}/response/big`,
      }),
    );
    await waitFor('ack', () => h.socket!.acked(env));
    const header = await waitFor('header', () => postsIn('CBIG').find((c) => c.args.thread_ts === undefined));
    expect(messageText(header)).toMatch(/500 lines in all/);
    await waitFor('answer', () => postsIn('CBIG', header.args.ok_ts as string)[0]);
    expect(h.api.rejected).toEqual([]);
    for (const c of postsIn('CBIG'))
      expect((c.args.blocks as unknown[]).length).toBeLessThanOrEqual(LIMITS.blocks);
  });

  it('honours 429 Retry-After and delivers the reply on a later attempt', async () => {
    h.api.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const ev = mention({ user: ALICE, channel: 'CRATE', text: `<@${BOT_USER}> ${EPIPE}` });
    await deliver(ev);
    await waitFor('delivered', () => postsIn('CRATE', ev.ts as string)[0]);
    expect(h.api.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CRATE')).toHaveLength(2);
    const kept = h.logs.find((l) => l.msg === 'reply not delivered yet; kept in the outbox');
    expect(kept).toMatchObject({ channel: 'CRATE', error: expect.stringMatching(/^429/) });
    expect(Number(kept?.retryInMs)).toBeGreaterThanOrEqual(1000);
  });

  it('survives a Slack outage during a reply: the reply is kept, posted once Slack is back, other channels still served', async () => {
    h.api.fail('chat.postMessage', { status: 500 }, 4);
    const ev = mention({ user: ALICE, channel: 'COUTAGE', text: `<@${BOT_USER}> ${EPIPE}` });
    await deliver(ev);
    await waitFor('kept in the outbox', () =>
      h.logs.find((l) => l.msg === 'reply not delivered yet; kept in the outbox' && l.channel === 'COUTAGE'),
    );
    const other = mention({ user: BOB, channel: 'CAFTER', text: `<@${BOT_USER}> ${PG}` });
    await deliver(other);
    await waitFor('other channel served', () => postsIn('CAFTER', other.ts as string)[0]);
    await waitFor('delivered after the outage', () => postsIn('COUTAGE', ev.ts as string)[0]);
    // A 500 may hide a posted message: each retry looked in the thread first.
    expect(h.api.callsOf('conversations.replies').length).toBeGreaterThan(0);
    expect(postsIn('COUTAGE', ev.ts as string)).toHaveLength(1);
  });

  it('reconnects after Slack sends "disconnect" and keeps answering', async () => {
    const opened = h.api.callsOf('apps.connections.open').length;
    const conns = h.socket!.connections;
    h.socket!.disconnect();
    await waitFor('reconnect', () => h.socket!.connections > conns && h.socket!.connected);
    expect(h.api.callsOf('apps.connections.open').length).toBeGreaterThan(opened);
    const ev = mention({ user: ALICE, channel: 'CRECONNECT', text: `<@${BOT_USER}> ${EPIPE}` });
    await deliver(ev);
    await waitFor('reply after reconnect', () => postsIn('CRECONNECT', ev.ts as string)[0]);
  });
});

async function waitForAsync<T>(pred: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 750; i++) {
    const v = await pred();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}
