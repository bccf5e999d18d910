import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestConfigSchema, learningConfigSchema, WEEKDAYS } from '../../src/config/schema.js';
import { dueSlot, GapsDigest } from '../../src/ops/digest.js';
import * as slack from '../fakes/slack/harness.js';
import { eventCallback, mention } from '../fakes/slack/payloads.js';
import { messageText, waitFor } from '../fakes/slack/web-api.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('when the weekly digest is due', () => {
  // 2026-12-07 is a Monday.
  const monday9 = digestConfigSchema.parse({ channel: 'slack:CDIGEST' });

  it('from the configured weekday and hour (UTC by default) until a day later, then not', () => {
    expect(dueSlot(new Date('2026-12-07T08:59:00Z'), monday9)).toBeUndefined();
    expect(dueSlot(new Date('2026-12-07T09:00:00Z'), monday9)).toBe('2026-12-07T09 UTC');
    // A replica that was down at nine catches up the same week's digest, within a day.
    expect(dueSlot(new Date('2026-12-08T08:59:00Z'), monday9)).toBe('2026-12-07T09 UTC');
    expect(dueSlot(new Date('2026-12-08T09:00:00Z'), monday9)).toBeUndefined();
    expect(dueSlot(new Date('2026-12-14T09:30:00Z'), monday9)).toBe('2026-12-14T09 UTC');
  });

  it('in the team’s time zone, across the end of a month and a year', () => {
    const berlin = digestConfigSchema.parse({
      channel: 'discord:123',
      weekday: 'fri',
      hour: 17,
      timeZone: 'Europe/Berlin',
    });
    // 17:00 in Berlin in winter is 16:00 UTC.
    expect(dueSlot(new Date('2027-01-01T15:59:00Z'), berlin)).toBeUndefined();
    expect(dueSlot(new Date('2027-01-01T16:00:00Z'), berlin)).toBe('2027-01-01T17 Europe/Berlin');
    const sundayLate = digestConfigSchema.parse({ channel: 'slack:C', weekday: 'sun', hour: 23 });
    expect(dueSlot(new Date('2027-01-04T01:00:00Z'), sundayLate)).toBe('2027-01-03T23 UTC');
  });

  it('refuses a time zone Node does not know, and a channel without its platform', () => {
    const tz = learningConfigSchema.safeParse({ digest: { channel: 'slack:C1', timeZone: 'Mars/Olympus' } });
    expect(tz.error?.issues[0]).toMatchObject({ path: ['digest', 'timeZone'] });
    expect(tz.error?.issues[0]?.message).toMatch(/IANA name/);
    const ch = learningConfigSchema.safeParse({ digest: { channel: '#ops' } });
    expect(ch.error?.issues[0]?.message).toMatch(/slack:<channel id>/);
  });
});

describe('the digest posted into Slack (real Bolt app, fake Slack)', () => {
  let h: slack.Harness;
  beforeAll(async () => {
    h = await slack.startHarness({ mode: 'socket' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lists the pastes no guide answered, once for all replicas, in the configured channel', async () => {
    await waitFor('slack connected', () => h.socket!.connected);
    // What users pasted and nothing answered: recorded as gaps by the bot itself.
    const unanswered = 'FATAL: zorblax quota ledger rejected frobnication of shard 7';
    // At once: both must count (the gap record is a read and a write).
    for (const text of [unanswered, unanswered.replace('7', '9')])
      h.socket!.send('events_api', eventCallback(mention({ user: 'UALICE', channel: 'CGENERAL', text })));
    for (let n = 0; (await h.store.gaps.list()).reduce((sum, g) => sum + g.count, 0) < 2; n++) {
      if (n > 750) throw new Error('timed out waiting for both pastes to be counted');
      await new Promise((r) => setTimeout(r, 20));
    }

    // Today at nine, so that the gaps just recorded are within the week before it.
    const nine = new Date(`${new Date().toISOString().slice(0, 10)}T09:00:00Z`);
    const due = digestConfigSchema.parse({
      channel: 'slack:CDIGEST',
      weekday: WEEKDAYS[nine.getUTCDay()],
      top: 5,
    });
    // Two replicas on one store, both awake at nine.
    const [a, b] = [1, 2].map(() => new GapsDigest(due, h.store.gaps, () => h.outbound, quiet));
    const outcomes = await Promise.all([a!.tick(nine), b!.tick(nine)]);
    expect(outcomes.sort()).toEqual(['posted', 'taken']);

    const inDigest = () => h.api.posted().filter((c) => c.args.channel === 'CDIGEST');
    const post = await waitFor('digest posted', () => inDigest()[0]);
    const text = messageText(post);
    expect(text).toMatch(/Pastes no guide answered in the last 7 days/);
    expect(text).toMatch(/2× · last \d{4}-\d\d-\d\d/);
    expect(text).toContain('zorblax quota ledger');
    expect(text).toContain('faultline new ID --from FILE');
    // An hour later, and on a third replica that starts then: still one post this week.
    const late = new Date(nine.getTime() + 3_600_000);
    expect(await a!.tick(late)).toBe('not-due');
    expect(await new GapsDigest(due, h.store.gaps, () => h.outbound, quiet).tick(late)).toBe('taken');
    expect(inDigest()).toHaveLength(1);
  });

  it('waits for its platform to connect rather than dropping the week', async () => {
    const nine = new Date('2026-12-07T09:00:00Z');
    const config = digestConfigSchema.parse({ channel: 'slack:CLATER' });
    let connected = false;
    const d = new GapsDigest(config, h.store.gaps, () => (connected ? h.outbound : undefined), quiet);
    expect(await d.tick(nine)).toBe('waiting');
    connected = true;
    expect(await d.tick(new Date(nine.getTime() + 60_000))).toBe('posted');
  });
});
