import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, GENERAL, INCIDENTS, messageCreate, slashCommand } from '../fakes/discord/payloads.js';
import { BOT_ID, type RecordedCall } from '../fakes/discord/rest.js';

const PG =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';
const CAP = /the paste was too large: read/i;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A log of `bytes` bytes with the error on line `at`, the way services write them. */
function bigLog(bytes: number, at = 200): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line =
      i === at
        ? `2026-12-06T10:03:20Z ERROR ${PG}`
        : `2026-12-06T10:00:${String(i % 60).padStart(2, '0')}Z INFO request served in 12ms id=${i}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function original(payload: Record<string, unknown>): RecordedCall | undefined {
  return h.rest.calls.find(
    (c) => c.method === 'PATCH' && c.route.includes(`/${payload.token as string}/messages/@original`),
  );
}

describe('Discord: pastes as files (message.txt and text attachments)', () => {
  it('reads the message.txt Discord makes of a long paste in an incident channel', async () => {
    const file = h.rest.hostFile('message.txt', bigLog(12_000));
    const msg = messageCreate({ author: ALICE, channel: INCIDENTS, content: '', attachments: [file] });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('answer in thread', () => h.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    expect(messageText(reply)).not.toMatch(CAP);
    expect(h.rest.downloads).toContain(file.id);
  });

  it('reads a 2 MB .log attached to a mention up to match.maxPasteBytes and says it was cut', async () => {
    const file = h.rest.hostFile('payments.log', bigLog(2 * 1024 * 1024), 'application/octet-stream');
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> what is this?`,
      mentionsBot: true,
      attachments: [file],
    });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('answer in thread', () => h.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/too many/i);
    expect(messageText(reply)).toMatch(CAP);
  });

  it('/explain file: is not cut at the 6,000 characters of the text option', async () => {
    // The error sits past character 6,000: a text option would never have carried it.
    const log = bigLog(30_000, 150);
    expect(log.indexOf('FATAL')).toBeGreaterThan(6000);
    const file = h.rest.hostFile('app.log', log);
    const cmd = slashCommand('explain', [], { user: ALICE, channel: GENERAL, attachments: { file } });
    h.interact(cmd);
    const edited = await waitFor('edited response', () => original(cmd));
    expect(messageText(edited)).toMatch(/too many/i);
  });
});
