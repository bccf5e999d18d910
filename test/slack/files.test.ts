import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, mention, message } from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, GENERAL, INCIDENTS, startHarness, type Harness } from '../fakes/slack/harness.js';

const PG =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';
const CAP = /The paste was too large: read/;

let h: Harness;
beforeAll(async () => {
  // Matching a 256 KiB paste holds the event loop longer than the short test ping timeout allows.
  h = await startHarness({ mode: 'socket', socketReconnectMs: 5000 });
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

/** A log of `bytes` bytes with the error on line 200, the way services write them. */
function bigLog(bytes: number): string {
  const filler = (i: number) =>
    `2026-12-06T10:00:${String(i % 60).padStart(2, '0')}Z INFO request served in 12ms id=${i}`;
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = i === 200 ? `2026-12-06T10:03:20Z ERROR ${PG}` : filler(i);
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

describe('Slack: pastes as files (uploads and snippets, fetched with the bot token)', () => {
  it('reads an uploaded .log in an incident channel and answers it, without the cap message when under the cap', async () => {
    const file = h.api.hostFile('api.log', bigLog(20_000));
    const ev = message({ user: ALICE, channel: INCIDENTS, text: '', files: [file] });
    expect(await deliver(ev)).toBeGreaterThan(0);
    const reply = await waitFor('reply', () => postsIn(INCIDENTS, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    expect(messageText(reply)).not.toMatch(CAP);
    expect(h.api.downloads.find((d) => d.fileId === file.id)?.token).toBe('xoxb-fake');
  });

  it('reads a 2 MB .log upload up to match.maxPasteBytes and says it was cut', async () => {
    const log = bigLog(2 * 1024 * 1024);
    expect(Buffer.byteLength(log)).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    const file = h.api.hostFile('payments-2mb.log', log);
    const ev = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}> what is this?` });
    expect(await deliver({ ...ev, files: [file] })).toBeGreaterThan(0);
    const reply = await waitFor('reply', () => postsIn(GENERAL, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    expect(messageText(reply)).toMatch(CAP);
  });

  it('reads a text snippet shared in a direct message', async () => {
    const file = h.api.hostFile('Untitled', `some context\n${PG}\n`, {
      snippet: true,
      mimetype: 'text/plain',
    });
    const ev = message({ user: ALICE, channel: 'DALICE', channelType: 'im', text: 'help?', files: [file] });
    await deliver(ev);
    const reply = await waitFor('dm reply', () => postsIn('DALICE', ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
  });

  it('answers a snippet shared with nothing but a mention (not the help text)', async () => {
    const file = h.api.hostFile('Untitled', `${PG}\n`, { snippet: true, mimetype: 'text/plain' });
    const ev = mention({ user: ALICE, channel: GENERAL, text: `<@${BOT_USER}>` });
    await deliver({ ...ev, files: [file] });
    const reply = await waitFor('reply', () => postsIn(GENERAL, ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    expect(messageText(reply)).not.toMatch(/Paste an error message/);
  });

  it('answers a snippet sent alone in a direct message', async () => {
    const file = h.api.hostFile('Untitled', PG, { snippet: true, mimetype: 'text/plain' });
    const ev = message({ user: ALICE, channel: 'DALICE', channelType: 'im', text: '', files: [file] });
    await deliver(ev);
    const reply = await waitFor('dm reply', () => postsIn('DALICE', ev.ts as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
  });

  it('leaves binary uploads alone', async () => {
    const file = h.api.hostFile('screenshot.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), {
      mimetype: 'image/png',
    });
    const ev = message({ user: ALICE, channel: INCIDENTS, text: '', files: [file] });
    expect(await deliver(ev)).toBe(0);
    expect(h.api.downloads.some((d) => d.fileId === file.id)).toBe(false);
  });
});
