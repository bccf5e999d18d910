import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, GENERAL, slashCommand } from '../fakes/discord/payloads.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Messages the bot created in GENERAL itself (not an interaction response). */
const inChannel = () =>
  h.rest.messages().filter((c) => c.method === 'POST' && c.route === `/channels/${GENERAL}/messages`);

describe('a Discord command whose answer Discord does not take (real discord.js, fake REST)', () => {
  it('answers in the channel through the outbox when the interaction webhook fails, with working buttons', async () => {
    const before = inChannel().length;
    const cmd = slashCommand('explain', [{ name: 'text', value: DEADLINE }], {
      user: ALICE,
      channel: GENERAL,
    });
    // The response webhook is down for longer than discord.js retries; channel messages work.
    h.rest.fail((m, r) => r.startsWith('/webhooks/') && r.includes(cmd.token as string), 503, 50, 0);
    h.interact(cmd);
    const posted = await waitFor('the answer in the channel', () => inChannel()[before]);
    expect(messageText(posted)).toMatch(/time(d)? ?out/i);
    // The buttons still belong to the command's conversation, so "Not this one" finds its session.
    expect(buttonsOf(posted).some((b) => b.custom_id.includes(cmd.id as string))).toBe(true);
    // The outbox logs the move once the channel message's POST has returned, a moment after the fake saw it.
    await waitFor('the move logged', () =>
      h.logs.find((l) => l.msg === 'discord interaction answer moved to the channel through the outbox'),
    );
  });

  it('answers in the channel when Discord could not even take the acknowledgement', async () => {
    const before = inChannel().length;
    const cmd = slashCommand('explain', [{ name: 'text', value: 'write: broken pipe' }], {
      user: ALICE,
      channel: GENERAL,
    });
    h.rest.fail((m, r) => r.startsWith(`/interactions/${cmd.id as string}/`), 503, 50, 0);
    h.interact(cmd);
    const posted = await waitFor('the answer in the channel', () => inChannel()[before]);
    expect(messageText(posted)).toMatch(/broken pipe/i);
  });

  it('a refusal that retrying cannot fix is not moved into the channel', async () => {
    const before = inChannel().length;
    const cmd = slashCommand('explain', [{ name: 'text', value: DEADLINE }], {
      user: ALICE,
      channel: GENERAL,
    });
    h.rest.fail((m, r) => r.startsWith('/webhooks/') && r.includes(cmd.token as string), 404, 1, 10015);
    h.interact(cmd);
    await waitFor('the failure logged', () =>
      h.logs.find((l) => l.msg === 'discord reply not delivered' && l.interaction === cmd.id),
    );
    expect(inChannel()).toHaveLength(before);
  });
});
