import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, BOB, buttonClick, INCIDENTS, messageCreate, OTHER_BOT } from '../fakes/discord/payloads.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
/** Not listed. */
const STRANGER_BOT = '1300000000000000008';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ bot: { listenToBots: [OTHER_BOT] } });
});
afterAll(async () => {
  await h?.stop();
});

async function handled(msg: Record<string, unknown>): Promise<number> {
  const line = await waitFor('message handled', () =>
    h.logs.find((l) => l.msg === 'discord message handled' && l.message === msg.id),
  );
  return line.replies as number;
}

/** How an alerting integration posts: nothing in content, the alert in an embed. */
function alertFrom(author: string): Record<string, unknown> {
  return messageCreate({
    author,
    bot: true,
    channel: INCIDENTS,
    content: '',
    embeds: [
      {
        type: 'rich',
        title: '[FIRING:1] UpstreamTimeout search-api',
        description: DEADLINE,
        fields: [{ name: 'severity', value: 'page', inline: true }],
      },
    ],
  });
}

describe('Discord: bots it listens to, and mute', () => {
  it("answers a listed bot's alert embed in an incident channel; an unlisted bot's is not", async () => {
    const listed = alertFrom(OTHER_BOT);
    h.gateway.emit('MESSAGE_CREATE', listed);
    expect(await handled(listed)).toBe(1);
    const reply = await waitFor('answer', () => h.rest.inChannel(listed.id as string)[0]);
    expect(messageText(reply)).toMatch(/deadline|time(d)? ?out/i);
    const unlisted = alertFrom(STRANGER_BOT);
    h.gateway.emit('MESSAGE_CREATE', unlisted);
    expect(await handled(unlisted)).toBe(0);
  });

  it('"Mute here" keeps passive answers out of the thread', async () => {
    const msg = messageCreate({ author: ALICE, channel: INCIDENTS, content: DEADLINE });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('answer', () => h.rest.inChannel(msg.id as string)[0]);
    const mute = buttonsOf(reply).find((b) => b.label === 'Mute here');
    expect(mute).toBeDefined();
    const click = buttonClick(mute!.custom_id, reply.message!, { user: BOB, channel: msg.id as string });
    h.interact(click);
    const cb = await waitFor('ephemeral note', () => h.rest.callbacks(click.id as string)[0]);
    expect((cb.body.data as { content: string }).content).toMatch(/Muted in this thread/);
    const inThread = messageCreate({ author: ALICE, channel: msg.id as string, content: EPIPE });
    h.gateway.emit('MESSAGE_CREATE', inThread);
    expect(await handled(inThread)).toBe(0);
  });
});
