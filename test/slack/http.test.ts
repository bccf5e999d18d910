import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/blocks.js';
import { verifySignature } from '../../adapters/slack/receiver.js';
import {
  buttonClick,
  eventCallback,
  formBody,
  interactiveBody,
  mention,
  message,
  messageShortcut,
  postSigned,
  sign,
  slashCommand,
} from '../fakes/slack/payloads.js';
import { BOT_USER, bothGuides, TWO_ERRORS, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, INCIDENTS, SIGNING_SECRET, startHarness, type Harness } from '../fakes/slack/harness.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';

let h: Harness;
let url: string;
beforeAll(async () => {
  h = await startHarness({ mode: 'http' });
  url = h.eventsUrl!;
});
afterAll(async () => {
  await h.stop();
});

function thread(channel: string, ts: string): RecordedCall[] {
  return h.api.posted().filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
}

function handled(eventId: string): Record<string, unknown> | undefined {
  return h.logs.find((l) => l.msg === 'slack event handled' && l.eventId === eventId);
}

describe('Slack over HTTP (Events API, signed requests, real Bolt app)', () => {
  it('answers the URL verification challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', token: 'legacy', challenge: 'chal-123' });
    const res = await postSigned(url, SIGNING_SECRET, body);
    expect(res.status).toBe(200);
    expect(res.text).toContain('chal-123');
  });

  it('refuses a bad signature, a stale timestamp and a timestamp from the future, and dispatches none of them', async () => {
    const ev = mention({ user: ALICE, channel: 'CSIG', text: `<@${BOT_USER}> ${EPIPE}` });
    const body = JSON.stringify(eventCallback(ev));
    const now = Math.floor(Date.now() / 1000);
    expect((await postSigned(url, SIGNING_SECRET, body, { badSignature: true })).status).toBe(401);
    expect((await postSigned(url, SIGNING_SECRET, body, { timestampSec: now - 360 })).status).toBe(401);
    expect((await postSigned(url, SIGNING_SECRET, body, { timestampSec: now + 360 })).status).toBe(401);
    const noHeaders = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(noHeaders.status).toBe(401);
    // The same body, correctly signed, goes through: so the refusals above were about the signature.
    expect((await postSigned(url, SIGNING_SECRET, body)).status).toBe(200);
    await waitFor('the signed one is answered', () => thread('CSIG', ev.ts as string)[0]);
    expect(h.api.posted().filter((c) => c.args.channel === 'CSIG')).toHaveLength(1);
  });

  it("answers Slack's unsigned SSL check without dispatching anything", async () => {
    const before = h.logs.filter((l) => l.msg === 'slack event handled').length;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=legacy&ssl_check=1',
    });
    expect(res.status).toBe(200);
    expect(h.logs.filter((l) => l.msg === 'slack event handled').length).toBe(before);
  });

  it('checks the timestamp window in both directions', () => {
    const body = Buffer.from('{}');
    const now = 1_900_000_000_000;
    const at = (sec: number) =>
      verifySignature(SIGNING_SECRET, sign(SIGNING_SECRET, '{}', sec), body, now, 300);
    expect(at(now / 1000)).toBeUndefined();
    expect(at(now / 1000 - 300)).toBeUndefined();
    expect(at(now / 1000 + 300)).toBeUndefined();
    expect(at(now / 1000 - 301)).toMatch(/window/);
    expect(at(now / 1000 + 301)).toMatch(/window/);
  });

  it('acks an event and answers in a thread; a retried delivery (X-Slack-Retry-Num) is acked but not answered again', async () => {
    const ev = mention({ user: ALICE, channel: 'CHTTP', text: `<@${BOT_USER}> ${EPIPE}` });
    const body = JSON.stringify(eventCallback(ev, 'EvHTTPDUP'));
    expect((await postSigned(url, SIGNING_SECRET, body)).status).toBe(200);
    await waitFor('reply', () => thread('CHTTP', ev.ts as string)[0]);
    h.logs.length = 0;
    const retry = await postSigned(url, SIGNING_SECRET, body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    expect(Number((await waitFor('retry handled', () => handled('EvHTTPDUP'))).replies)).toBe(0);
    expect(thread('CHTTP', ev.ts as string)).toHaveLength(1);
  });

  it('passive mode over HTTP: an error paste in an incident channel is answered, chatter is not', async () => {
    const chat = eventCallback(message({ user: BOB, channel: INCIDENTS, text: 'coffee anyone?' }));
    await postSigned(url, SIGNING_SECRET, JSON.stringify(chat));
    expect(Number((await waitFor('chatter handled', () => handled(String(chat.event_id)))).replies)).toBe(0);
    const paste = message({ user: BOB, channel: INCIDENTS, text: EPIPE });
    await postSigned(url, SIGNING_SECRET, JSON.stringify(eventCallback(paste)));
    await waitFor('passive reply', () => thread(INCIDENTS, paste.ts as string)[0]);
  });

  it('slash command, shortcut and buttons arrive form-encoded and are answered', async () => {
    const cmd = slashCommand({
      user: ALICE,
      channel: 'CFORM',
      text: `explain ${TWO_ERRORS}`,
      responseUrl: `${h.api.url}/response/form`,
    });
    const res = await postSigned(url, SIGNING_SECRET, formBody(cmd), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    const header = await waitFor('header', () =>
      h.api.posted().find((c) => c.args.channel === 'CFORM' && c.args.thread_ts === undefined),
    );
    const answer = await waitFor('answer', () => thread('CFORM', header.args.ok_ts as string)[0]);

    const next = (answer.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.next)!;
    const click = buttonClick({
      user: ALICE,
      channel: 'CFORM',
      messageTs: answer.args.ok_ts as string,
      actionId: ACTION.next,
      value: next.value,
    });
    expect(
      (
        await postSigned(url, SIGNING_SECRET, interactiveBody(click), {
          contentType: 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(200);
    const second = await waitFor('next guide', () => thread('CFORM', header.args.ok_ts as string)[1]);
    expect(bothGuides(answer, second)).toEqual(['epipe', 'postgres']);

    const sc = messageShortcut({
      user: BOB,
      channel: 'CFORM',
      text: EPIPE,
      ts: '1800001234.000001',
      responseUrl: `${h.api.url}/response/sc`,
    });
    expect(
      (
        await postSigned(url, SIGNING_SECRET, interactiveBody(sc), {
          contentType: 'application/x-www-form-urlencoded',
        })
      ).status,
    ).toBe(200);
    await waitFor('shortcut answer', () => thread('CFORM', '1800001234.000001')[0]);
  });
});
