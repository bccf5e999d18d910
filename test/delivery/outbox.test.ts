import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { deliveryConfigSchema, type DeliveryConfig } from '../../src/config/schema.js';
import {
  backoffMs,
  Outbox,
  outboxKey,
  replyKey,
  type Destination,
  type SendResult,
  type Sender,
} from '../../src/delivery/outbox.js';
import { FileKeyValueStore } from '../../src/store/file.js';
import type { KeyValueStore } from '../../src/store/kv.js';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { OutboxStore } from '../../src/store/outbox.js';
import { RedisKeyValueStore } from '../../src/store/redis.js';
import { tempDir } from '../helpers.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const text = (t: string): BotReply => ({ kind: 'text', text: t });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A platform as the outbox sees it: a list of posted messages by key, and a script of what the next sends
 * do. It stands in for Slack and Discord here, where what is tested is the outbox over each store; the
 * real adapters against the loopback fakes are tested in test/replicas/outbox-*.test.ts.
 */
class ScriptedPlatform implements Sender {
  readonly platform = 'chat';
  readonly posted: { key: string; to: Destination; text: string }[] = [];
  script: ((to: Destination, key: string) => SendResult | 'post-then-fail' | 'hang')[] = [];
  private ts = 0;

  send(to: Destination, reply: BotReply, key: string): Promise<SendResult> {
    const step = this.script.shift();
    const outcome = step?.(to, key);
    if (outcome === 'hang') return new Promise(() => undefined);
    const post = (): Destination => {
      this.posted.push({ key, to, text: reply.kind === 'text' ? reply.text : reply.kind });
      return { channel: to.channel, thread: to.thread ?? `t${++this.ts}` };
    };
    if (outcome === 'post-then-fail') {
      post();
      return Promise.resolve({ ok: false, failure: 'uncertain', reason: 'ECONNRESET', detail: 'reset' });
    }
    if (outcome) return Promise.resolve(outcome);
    return Promise.resolve({ ok: true, to: post() });
  }

  find(to: Destination, key: string): Promise<Destination | undefined> {
    const hit = this.posted.find((p) => p.key === key);
    return Promise.resolve(hit ? { channel: to.channel, thread: to.thread ?? 't-found' } : undefined);
  }
}

const refused: SendResult = { ok: false, failure: 'retry', reason: 'ECONNREFUSED', detail: 'refused' };

const quiet = pino({ level: 'silent' });

function config(over: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return deliveryConfigSchema.parse({
    maxAgeMinutes: 1,
    firstRetrySeconds: 0.05,
    maxRetrySeconds: 0.2,
    leaseSeconds: 0.5,
    pollSeconds: 0.05,
    ...over,
  });
}

function outboxSuite(name: string, open: () => Promise<KeyValueStore>) {
  describe(`the outbox on the ${name} store`, () => {
    const opened: KeyValueStore[] = [];
    const fresh = async () => {
      const kv = await open();
      opened.push(kv);
      return new OutboxStore(kv);
    };
    afterAll(async () => {
      for (const kv of opened) await kv.close();
    });

    it('writes ahead, sends at once, and removes the entry when the platform confirms', async () => {
      const store = await fresh();
      const platform = new ScriptedPlatform();
      const outbox = new Outbox(store, config(), quiet);
      outbox.register(platform);
      const out = await outbox.post({
        platform: 'chat',
        id: 'ev1',
        to: { channel: 'C1' },
        replies: [text('a'), text('b')],
      });
      expect(out).toEqual({ state: 'delivered', to: { channel: 'C1', thread: 't1' } });
      const key = outboxKey('chat:ev1');
      expect(platform.posted.map((p) => p.key)).toEqual([replyKey(key, 0), replyKey(key, 1)]);
      // The second reply goes into the conversation the first one started.
      expect(platform.posted[1]?.to).toEqual({ channel: 'C1', thread: 't1' });
      expect(await store.all()).toEqual([]);
    });

    it('keeps a reply the platform refused, and the loop delivers it once the platform is back', async () => {
      const store = await fresh();
      const platform = new ScriptedPlatform();
      platform.script = [() => refused, () => refused];
      const outbox = new Outbox(store, config(), quiet);
      outbox.register(platform);
      const out = await outbox.post({
        platform: 'chat',
        id: 'ev2',
        to: { channel: 'C1', thread: 'T' },
        replies: [text('x')],
      });
      expect(out.state).toBe('queued');
      const [kept] = await store.all();
      expect(kept).toMatchObject({ attempts: 1, sent: 0, lastError: 'ECONNREFUSED: refused' });
      outbox.start();
      try {
        await waitUntil(() => platform.posted.length === 1);
        await waitUntil(async () => (await store.all()).length === 0);
      } finally {
        await outbox.stop();
      }
      expect(platform.posted).toHaveLength(1);
    });

    it('drops a reply the platform cannot take (channel not found) at once, with one log line', async () => {
      const store = await fresh();
      const platform = new ScriptedPlatform();
      platform.script = [
        () => ({ ok: false, failure: 'drop', reason: 'channel_not_found', detail: 'channel_not_found' }),
      ];
      const lines: Record<string, unknown>[] = [];
      const log = pino(
        { level: 'info' },
        { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
      );
      const outbox = new Outbox(store, config(), log);
      outbox.register(platform);
      expect(
        await outbox.post({ platform: 'chat', id: 'ev3', to: { channel: 'CGONE' }, replies: [text('x')] }),
      ).toEqual({
        state: 'dropped',
        reason: 'channel_not_found',
      });
      expect(await store.all()).toEqual([]);
      const dropped = lines.filter((l) => String(l.msg).startsWith('reply dropped'));
      expect(dropped).toHaveLength(1);
      expect(dropped[0]).toMatchObject({ reason: 'channel_not_found', channel: 'CGONE' });
    });

    it('after an ambiguous failure, finds the posted reply instead of posting it again', async () => {
      const store = await fresh();
      const platform = new ScriptedPlatform();
      platform.script = [() => 'post-then-fail'];
      const outbox = new Outbox(store, config(), quiet);
      outbox.register(platform);
      expect(
        (
          await outbox.post({
            platform: 'chat',
            id: 'ev4',
            to: { channel: 'C1', thread: 'T' },
            replies: [text('once'), text('twice')],
          })
        ).state,
      ).toBe('queued');
      outbox.start();
      try {
        await waitUntil(async () => (await store.all()).length === 0);
      } finally {
        await outbox.stop();
      }
      expect(platform.posted.map((p) => p.text)).toEqual(['once', 'twice']);
    });

    it('gives up at delivery.maxAgeMinutes after the event', async () => {
      const store = await fresh();
      const platform = new ScriptedPlatform();
      platform.script = [() => refused];
      let now = 1_000_000;
      const outbox = new Outbox(store, config({ maxAgeMinutes: 1 }), quiet, { now: () => now });
      outbox.register(platform);
      expect(
        (await outbox.post({ platform: 'chat', id: 'ev5', to: { channel: 'C1' }, replies: [text('x')] }))
          .state,
      ).toBe('queued');
      now += 59_000;
      platform.script = [() => refused];
      await outbox.pass();
      expect(await store.all()).toHaveLength(1);
      now += 2_000;
      await outbox.pass();
      expect(await store.all()).toEqual([]);
      expect(platform.posted).toEqual([]);
    });

    it('a lease keeps a second replica off an entry, and an expired lease is taken over', async () => {
      const store = await fresh();
      const stuck = new ScriptedPlatform();
      stuck.script = [() => 'hang'];
      const a = new Outbox(store, config({ leaseSeconds: 0.5 }), quiet);
      a.register(stuck);
      // Replica A hangs mid-send, as a process does until it is killed: its lease is all that remains.
      void a.post({ platform: 'chat', id: 'ev6', to: { channel: 'C1' }, replies: [text('x')] });
      await waitUntil(async () => (await store.all()).length === 1);
      const other = new ScriptedPlatform();
      const b = new Outbox(store, config({ leaseSeconds: 0.5 }), quiet);
      b.register(other);
      await b.pass();
      expect(other.posted).toEqual([]);
      await sleep(600);
      await b.pass();
      expect(other.posted.map((p) => p.text)).toEqual(['x']);
      expect(await store.all()).toEqual([]);
    });
  });
}

async function waitUntil(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}

describe('backoff', () => {
  it('doubles from firstRetrySeconds up to maxRetrySeconds, with half of each wait random', () => {
    const c = deliveryConfigSchema.parse({ firstRetrySeconds: 2, maxRetrySeconds: 60 });
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(c, n, () => 1))).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000,
    ]);
    expect([1, 2, 3].map((n) => backoffMs(c, n, () => 0))).toEqual([1000, 2000, 4000]);
  });

  it('keeps idempotency keys within Discord nonce length', () => {
    expect(replyKey(outboxKey('discord:1300000000000000001'), 49).length).toBeLessThanOrEqual(25);
  });
});

outboxSuite('memory', async () => new MemoryKeyValueStore());
outboxSuite('file', async () => new FileKeyValueStore(tempDir()));

const gate = requireRedisOrSkip();
describe.skipIf(gate.skip)('on Redis', () => {
  let server: RedisProcess;
  let n = 0;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.dispose();
  });
  outboxSuite('redis', () => RedisKeyValueStore.open({ url: server.url, prefix: `outbox${++n}` }));
});
