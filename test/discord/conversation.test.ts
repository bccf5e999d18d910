import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, DM_CHANNEL, GENERAL, INCIDENTS, messageCreate } from '../fakes/discord/payloads.js';
import { BOT_ID } from '../fakes/discord/rest.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe('Discord conversation (real discord.js client against the fake gateway and REST API)', () => {
  it('a mention gets the guide in a thread started on the message', async () => {
    const msg = messageCreate({ author: ALICE, channel: GENERAL, content: `<@${BOT_ID}> ${DEADLINE}`, mentionsBot: true });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('guide in thread', () => h.rest.inChannel(msg.id as string)[0]);
    const started = h.rest.calls.find((c) => c.route === `/channels/${GENERAL}/messages/${msg.id as string}/threads`);
    expect(started?.body.name).toMatch(/^faultline: /);
    expect(messageText(reply)).toMatch(/timed out|timeout/i);
    expect(buttonsOf(reply).map((b) => b.label)).toContain('Helpful');
  });
});
