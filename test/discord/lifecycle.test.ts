import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, GENERAL, messageCreate, slashCommand } from '../fakes/discord/payloads.js';
import { BOT_ID } from '../fakes/discord/rest.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const OOM = 'kernel: Out of memory: Killed process 4242 (java) total-vm:8123456kB';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function mention(x: Harness, text: string): Record<string, unknown> {
  const msg = messageCreate({
    author: ALICE,
    channel: GENERAL,
    content: `<@${BOT_ID}> ${text}`,
    mentionsBot: true,
  });
  x.gateway.emit('MESSAGE_CREATE', msg);
  return msg;
}

function intents(x: Harness): number {
  return Number(x.gateway.identifies[0]?.intents);
}

describe('Discord gateway and REST lifecycle', () => {
  it('identifies with plain JSON, no compression, and only the intents it needs', async () => {
    h = await startHarness({ passive: false });
    const conn = h.gateway.connections[0]!;
    expect(conn.query.get('encoding')).toBe('json');
    expect(conn.query.get('v')).toBe('10');
    expect(conn.query.has('compress')).toBe(false);
    expect(h.gateway.identifies[0]?.compress).toBe(false);
    expect(intents(h)).toBe(
      GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages,
    );
    expect(h.gateway.identifies[0]?.token).toBe('fake-token');
  });

  it('asks for MessageContent only when passive channels are configured', async () => {
    h = await startHarness({ passive: true });
    expect(intents(h) & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
    await h.stop();
    h = await startHarness({ passive: true, discord: { messageContent: 'never' } });
    expect(intents(h) & GatewayIntentBits.MessageContent).toBe(0);
  });

  it('with threads turned off, a mention is answered with a reply to it', async () => {
    h = await startHarness({ discord: { threads: false } });
    const x = h;
    const msg = mention(x, DEADLINE);
    const reply = await waitFor('reply', () => x.rest.inChannel(GENERAL)[0]);
    expect(reply.body.message_reference).toMatchObject({ message_id: msg.id });
    expect(x.rest.calls.some((c) => c.route.endsWith('/threads'))).toBe(false);
  });

  it('op 7 RECONNECT: resumes the session on the resume URL; what was sent meanwhile is replayed and answered', async () => {
    h = await startHarness();
    const x = h;
    x.gateway.requestReconnect();
    await waitFor('client disconnected', () => !x.gateway.connected);
    // Sent while the client is between connections: kept by the gateway and replayed on RESUME.
    const msg = mention(x, DEADLINE);
    await waitFor('resume', () => x.gateway.resumes[0]);
    const reply = await waitFor('answer after resume', () => x.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/deadline/i);
    expect(x.gateway.identifies).toHaveLength(1);
    expect(x.gateway.resumes[0]).toMatchObject({ session_id: 'session-1', token: 'fake-token' });
    expect(x.gateway.connections.at(-1)?.path).toBe('/resume');
    const resumed = x.logs.find((l) => l.msg === 'discord gateway session resumed');
    expect(resumed?.replayed).toBeGreaterThanOrEqual(1);
  });

  it('a zombie connection (heartbeats not acknowledged) is dropped and the session resumed', async () => {
    h = await startHarness({ heartbeatIntervalMs: 250 });
    const x = h;
    x.gateway.ackHeartbeats = false;
    await waitFor('resume after missed ack', () => x.gateway.resumes[0], 20_000);
    x.gateway.ackHeartbeats = true;
    const first = x.gateway.connections[0]!;
    expect(first.heartbeats).toBeGreaterThanOrEqual(1);
    // The client closed the zombie with 4200 (resume), not 1000 (which would end the session).
    expect(first.closedWith).toBe(4200);
    expect(x.gateway.identifies).toHaveLength(1);
    const msg = mention(x, DEADLINE);
    await waitFor('answer after resume', () => x.rest.inChannel(msg.id as string)[0]);
  });

  it('a session that cannot be resumed (op 9) is identified afresh, and the bot keeps serving', async () => {
    h = await startHarness();
    const x = h;
    x.gateway.allowResume = false;
    x.gateway.requestReconnect();
    await waitFor('second identify', () => x.gateway.identifies[1], 25_000);
    expect(x.gateway.resumes).toHaveLength(1);
    const msg = mention(x, DEADLINE);
    await waitFor('answer after re-identify', () => x.rest.inChannel(msg.id as string)[0]);
  }, 40_000);

  it('an abnormal close (network drop) reconnects and resumes', async () => {
    h = await startHarness();
    const x = h;
    x.gateway.dropConnection();
    await waitFor('client disconnected', () => !x.gateway.connected);
    const msg = mention(x, DEADLINE);
    await waitFor('resume', () => x.gateway.resumes[0], 20_000);
    await waitFor('answer after resume', () => x.rest.inChannel(msg.id as string)[0]);
    expect(x.gateway.identifies).toHaveLength(1);
  });

  it('a 429 on posting waits for the rate limit (headers) and delivers', async () => {
    h = await startHarness();
    const x = h;
    x.rest.rateLimit((m, r) => m === 'POST' && /^\/channels\/\d+\/messages$/.test(r), 0.3, 1);
    const msg = mention(x, DEADLINE);
    const reply = await waitFor('delivered after 429', () => x.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/deadline/i);
    const attempts = x.rest.calls.filter((c) => c.route === `/channels/${msg.id as string}/messages`);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(x.logs.some((l) => l.msg === 'discord rate limit')).toBe(true);
  });

  it('a rate limit longer than allowed keeps the reply for later, a refused post is dropped with one line; the bot keeps serving', async () => {
    h = await startHarness({ discord: { maxRetryAfterSeconds: 1 } });
    const x = h;
    x.rest.rateLimit((m, r) => m === 'POST' && /^\/channels\/\d+\/messages$/.test(r), 120, 1);
    mention(x, DEADLINE);
    const kept = await waitFor('kept (rate limit)', () =>
      x.logs.find(
        (l) => l.msg === 'reply not delivered yet; kept in the outbox' && /^429/.test(String(l.error)),
      ),
    );
    expect(Number(kept.retryInMs)).toBeGreaterThanOrEqual(120_000);
    x.rest.fail((m, r) => m === 'POST' && /^\/channels\/\d+\/messages$/.test(r), 403, 1);
    const b = mention(x, OOM);
    const failed = await waitFor('dropped (403)', () =>
      x.logs.find((l) => String(l.msg).startsWith('reply dropped') && l.thread === b.id),
    );
    expect(String(failed.msg)).toMatch(/403|Missing Permissions/);
    expect(failed.reason).toBe('50013');
    // And the next message is answered.
    const c = mention(x, DEADLINE);
    await waitFor('served after failures', () => x.rest.inChannel(c.id as string)[0]);
  });

  it('stop() finishes replies under way, then disconnects', async () => {
    h = await startHarness();
    const x = h;
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    // The edit of the deferred answer is held back until released.
    x.rest.handleHook = async (method, route) => {
      if (method === 'PATCH' && route.endsWith('/messages/@original')) {
        await gate;
        order.push('reply answered');
      }
    };
    const cmd = slashCommand('explain', [{ name: 'text', value: DEADLINE }], {
      user: ALICE,
      channel: GENERAL,
    });
    x.interact(cmd);
    await waitFor('deferred', () => x.rest.callbacks(cmd.id as string)[0]);
    await waitFor('edit requested', () => x.rest.pending.has('PATCH'));
    const stopping = x.stop();
    h = undefined;
    // Released when the client disconnects (it should not, with a reply under way) or, failing that, soon.
    const timer = setTimeout(release, 300);
    x.gateway.onClose = () => {
      order.push('gateway closed');
      release();
    };
    await stopping;
    clearTimeout(timer);
    const edit = x.rest.calls.find((c) => c.method === 'PATCH' && c.route.includes(cmd.token as string));
    expect(edit?.status).toBe(200);
    expect(order.slice(0, 2)).toEqual(['reply answered', 'gateway closed']);
    // The reply under way was delivered before the front end said it stopped.
    const delivered = x.logs.findIndex(
      (l) => l.msg === 'discord reply' && l.interaction === cmd.id && l.delivered === true,
    );
    const stopped = x.logs.findIndex((l) => l.msg === 'discord front end stopped');
    expect(delivered).toBeGreaterThanOrEqual(0);
    expect(stopped).toBeGreaterThan(delivered);
  });
});
