import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import {
  ALICE,
  BOB,
  BOT_ROLE,
  buttonClick,
  contextMenu,
  DM_CHANNEL,
  GENERAL,
  INCIDENTS,
  messageCreate,
  OTHER_BOT,
  slashCommand,
  VOICE_TEXT,
} from '../fakes/discord/payloads.js';
import { BOT_ID, type RecordedCall } from '../fakes/discord/rest.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const OOM = 'kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB';
/** Answered in incident channels without a mention (OOM above is not: see the report on LOOKS_LIKE_ERROR). */
const PASSIVE = DEADLINE;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

function mention(channel: string, text: string, author = ALICE): Record<string, unknown> {
  const msg = messageCreate({ author, channel, content: `<@${BOT_ID}> ${text}`, mentionsBot: true });
  h.gateway.emit('MESSAGE_CREATE', msg);
  return msg;
}

/** Waits until the bot has handled the message (the handler logs it), then returns what it posted for it. */
async function handled(msg: Record<string, unknown>): Promise<{ replies: number }> {
  const line = await waitFor('message handled', () =>
    h.logs.find((l) => l.msg === 'discord message handled' && l.message === msg.id),
  );
  return { replies: line.replies as number };
}

function callbackTypes(interactionId: string): number[] {
  return h.rest.callbacks(interactionId).map((c) => c.body.type as number);
}

function original(payload: Record<string, unknown>): RecordedCall | undefined {
  return h.rest.calls.find(
    (c) => c.method === 'PATCH' && c.route.includes(`/${payload.token as string}/messages/@original`),
  );
}

describe('Discord conversation (real discord.js client against the fake gateway and REST API)', () => {
  it('a mention gets the guide in a thread started on the message, with buttons', async () => {
    const msg = mention(GENERAL, DEADLINE);
    const reply = await waitFor('guide in thread', () => h.rest.inChannel(msg.id as string)[0]);
    const started = h.rest.calls.find(
      (c) => c.route === `/channels/${GENERAL}/messages/${msg.id as string}/threads`,
    );
    expect(started?.body.name).toMatch(/^faultline: /);
    expect(started?.body.auto_archive_duration).toBe(1440);
    expect(messageText(reply)).toMatch(/time(d)? ?out/i);
    const labels = buttonsOf(reply).map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['Helpful', 'Wrong guide']));
    // Nothing is posted in the channel itself: the answer lives in the thread.
    expect(h.rest.inChannel(GENERAL)).toHaveLength(0);
  });

  it("a mention of the bot's managed role counts as a mention, and is not part of the paste", async () => {
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@&${BOT_ROLE}> ${OOM}`,
      mentionsBotRole: true,
    });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('guide in thread', () => h.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/memory/i);
    expect(messageText(reply)).not.toContain(BOT_ROLE);
    const line = h.logs.find((l) => l.msg === 'discord message handled' && l.message === msg.id);
    expect(line?.trigger).toBe('mention');
  });

  it('"Not this one" shows the next candidate; a second mention in the thread continues it', async () => {
    // Three causes, so that "Not this one" and then "more" each have a guide to show.
    const msg = mention(GENERAL, `${DEADLINE}\nconnect: connection refused\nread: connection reset by peer`);
    const thread = msg.id as string;
    const first = await waitFor('first guide', () => h.rest.inChannel(thread)[0]);
    const next = buttonsOf(first).find((b) => b.label === 'Not this one');
    expect(next, 'the paste has more than one candidate').toBeDefined();
    const click = buttonClick(next!.custom_id, first.message!, { user: ALICE, channel: thread });
    h.interact(click);
    const edited = await waitFor('next guide', () => original(click));
    expect(callbackTypes(click.id as string)).toEqual([5]);
    const firstTitle = (first.message!.embeds as { title: string }[])[0]?.title;
    const nextTitle = (edited.message!.embeds as { title: string }[])[0]?.title;
    expect(nextTitle).toBeTruthy();
    expect(nextTitle).not.toBe(firstTitle);

    // In the thread, "more" with a mention continues the same conversation: no new thread.
    const more = messageCreate({
      author: ALICE,
      channel: thread,
      content: `<@${BOT_ID}> more`,
      mentionsBot: true,
    });
    h.gateway.emit('MESSAGE_CREATE', more);
    const posted = () => h.rest.inChannel(thread).filter((c) => c.route === `/channels/${thread}/messages`);
    await waitFor('more in thread', () => posted().length >= 2);
    expect(
      h.rest.calls.some((c) => c.route === `/channels/${thread}/messages/${more.id as string}/threads`),
    ).toBe(false);
    const third = posted()[1]!;
    const thirdTitle = (third.message!.embeds as { title: string }[])[0]?.title;
    expect(thirdTitle).toBeTruthy();
    expect([firstTitle, nextTitle]).not.toContain(thirdTitle);
  });

  it('feedback buttons answer ephemerally and record the verdict for the guide', async () => {
    const msg = mention(GENERAL, OOM);
    const reply = await waitFor('guide', () => h.rest.inChannel(msg.id as string)[0]);
    const helpful = buttonsOf(reply).find((b) => b.label === 'Helpful')!;
    const click = buttonClick(helpful.custom_id, reply.message!, { user: BOB, channel: msg.id as string });
    h.interact(click);
    const cb = await waitFor('ephemeral ack', () => h.rest.callbacks(click.id as string)[0]);
    expect(cb.body.type).toBe(4);
    expect((cb.body.data as { flags: number }).flags & 64).toBe(64);
    expect((cb.body.data as { content: string }).content).toMatch(/Thanks/);
    const fb = (await h.store.feedback.list()).find((f) => f.user === BOB);
    expect(fb).toMatchObject({ platform: 'discord', verdict: 'helpful' });
    expect(helpful.custom_id).toContain(fb!.guideId);
  });

  it('a direct message is answered as a reply to it (no threads in DMs)', async () => {
    const msg = messageCreate({ author: ALICE, channel: DM_CHANNEL, content: DEADLINE });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('dm reply', () => h.rest.inChannel(DM_CHANNEL)[0]);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(messageText(reply)).toMatch(/time(d)? ?out/i);
    expect(h.rest.calls.some((c) => c.route.includes(`/messages/${msg.id as string}/threads`))).toBe(false);
  });

  it('help in a DM, and "help" via mention, give the help text', async () => {
    const msg = messageCreate({ author: ALICE, channel: DM_CHANNEL, content: 'help' });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('help', () =>
      h.rest
        .inChannel(DM_CHANNEL)
        .find((c) => (c.body.message_reference as { message_id?: string })?.message_id === msg.id),
    );
    expect(messageText(reply)).toMatch(/Paste an error/);
  });

  it('passive: an error pasted in an incident channel is answered in a thread without a mention', async () => {
    const msg = messageCreate({ author: ALICE, channel: INCIDENTS, content: PASSIVE });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('passive answer', () => h.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/deadline/i);
    expect((await handled(msg)).replies).toBe(1);
  });

  it('passive silence: no mention outside incident channels, chatter, and bots get nothing', async () => {
    const silent = [
      messageCreate({ author: ALICE, channel: GENERAL, content: PASSIVE }),
      messageCreate({ author: ALICE, channel: INCIDENTS, content: 'deploying the new build now, back in 5' }),
      messageCreate({ author: OTHER_BOT, channel: INCIDENTS, content: PASSIVE, bot: true }),
      messageCreate({
        author: OTHER_BOT,
        channel: GENERAL,
        content: `<@${BOT_ID}> ${OOM}`,
        bot: true,
        mentionsBot: true,
      }),
    ];
    for (const m of silent) h.gateway.emit('MESSAGE_CREATE', m);
    for (const m of silent) expect((await handled(m)).replies).toBe(0);
    for (const m of silent) {
      expect(h.rest.inChannel(m.id as string)).toHaveLength(0);
      expect(h.rest.calls.some((c) => c.route.includes(`/messages/${m.id as string}/threads`))).toBe(false);
    }
  });

  it('a delivery repeated by the gateway (same message id) is answered once', async () => {
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> ${OOM}`,
      mentionsBot: true,
    });
    h.gateway.emit('MESSAGE_CREATE', msg);
    h.gateway.emit('MESSAGE_CREATE', msg);
    await waitFor('reply', () => h.rest.inChannel(msg.id as string)[0]);
    // A later message as a barrier: once it is answered, a second answer to the first is not coming.
    const barrier = mention(GENERAL, DEADLINE);
    await waitFor('barrier reply', () => h.rest.inChannel(barrier.id as string)[0]);
    expect(h.rest.inChannel(msg.id as string)).toHaveLength(1);
    expect(
      h.rest.calls.filter((c) => c.route.endsWith(`/messages/${msg.id as string}/threads`)),
    ).toHaveLength(1);
  });

  it('/explain text: defers, then edits the original response with the guide', async () => {
    const cmd = slashCommand('explain', [{ name: 'text', value: DEADLINE }], {
      user: ALICE,
      channel: GENERAL,
    });
    h.interact(cmd);
    const edited = await waitFor('edited response', () => original(cmd));
    expect(callbackTypes(cmd.id as string)).toEqual([5]);
    expect(messageText(edited)).toMatch(/time(d)? ?out/i);
    expect(buttonsOf(edited).some((b) => b.custom_id.includes(cmd.id as string))).toBe(true);
  });

  it('the "Explain this error" message command explains the target message', async () => {
    const target = messageCreate({ author: BOB, channel: GENERAL, content: OOM });
    const cmd = contextMenu(target, { user: ALICE, channel: GENERAL });
    h.interact(cmd);
    const edited = await waitFor('edited response', () => original(cmd));
    expect(messageText(edited)).toMatch(/memory/i);
    // Its buttons continue the conversation of the target message.
    expect(buttonsOf(edited).some((b) => b.custom_id.includes(target.id as string))).toBe(true);
  });

  it('the message command on a message without text says so, ephemerally', async () => {
    const target = messageCreate({ author: BOB, channel: GENERAL, content: '' });
    const cmd = contextMenu(target, { user: ALICE, channel: GENERAL });
    h.interact(cmd);
    const cb = await waitFor('ephemeral', () => h.rest.callbacks(cmd.id as string)[0]);
    expect(cb.body.type).toBe(4);
    expect((cb.body.data as { flags: number }).flags & 64).toBe(64);
  });

  it('where a thread cannot be started, the answer is a reply to the message', async () => {
    h.rest.fail((m, r) => m === 'POST' && r.endsWith('/threads'), 403, 1, 160002);
    const msg = mention(GENERAL, OOM);
    const reply = await waitFor('reply in channel', () =>
      h.rest
        .inChannel(GENERAL)
        .find((c) => (c.body.message_reference as { message_id?: string })?.message_id === msg.id),
    );
    expect(messageText(reply)).toMatch(/memory/i);
    expect(h.logs.some((l) => l.msg === 'could not start a thread; replying to the message instead')).toBe(
      true,
    );
  });

  it('a channel type without threads (a voice channel chat) gets a reply', async () => {
    const msg = mention(VOICE_TEXT, OOM);
    const reply = await waitFor('reply', () => h.rest.inChannel(VOICE_TEXT)[0]);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
  });
});
