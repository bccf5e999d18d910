import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot/bot.js';
import { storeConfigSchema } from '../../src/config/schema.js';
import { Outbox, recordThread } from '../../src/delivery/outbox.js';
import { openStores } from '../../src/store/open.js';
import type { Stores } from '../../src/store/stores.js';
import { ALICE, appContext, INCIDENTS } from '../fakes/slack/harness.js';
import { eventCallback, mention } from '../fakes/slack/payloads.js';
import { FakeSocketMode } from '../fakes/slack/socket.js';
import { BOT_USER, FakeSlackApi, waitFor, type StoredMessage } from '../fakes/slack/web-api.js';
import { outboxEmpty, TEST_DELIVERY } from './outbox-helpers.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const REPLICAS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  stores: Stores;
  outbox: Outbox;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

const gate = requireRedisOrSkip();

/*
 * Two replicas of the real Slack front end (Bolt in Socket Mode) on one Redis, each with its outbox on the
 * shared store, against one fake Slack whose Web API fails as told while Socket Mode keeps delivering.
 */
describe.skipIf(gate.skip)('the outbox with two Slack replicas on one Redis', () => {
  let redis: RedisProcess;
  let api: FakeSlackApi;
  let socket: FakeSocketMode;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    api = new FakeSlackApi();
    await api.start();
    socket = new FakeSocketMode();
    await socket.start();
    api.socketUrl = socket.url;
    const ctx = appContext();
    for (let i = 0; i < REPLICAS; i++) {
      const stores = await openStores(
        storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: 'slack-outbox' }),
        '/nonexistent',
      );
      const bot = new Bot(ctx.engine, ctx.knowledge.guides, stores, {
        ...ctx.config.bot,
        incidentChannels: [INCIDENTS],
      });
      const logs: Record<string, unknown>[] = [];
      const log = pino(
        { level: 'debug' },
        { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) },
      );
      const outbox = new Outbox(stores.outbox, TEST_DELIVERY, log, { afterThread: recordThread(stores) });
      outbox.start();
      const running = await startSlack(ctx, bot, log, {
        env: {
          SLACK_BOT_TOKEN: 'xoxb-fake',
          SLACK_APP_TOKEN: 'xapp-fake',
          FAULTLINE_SLACK_API_URL: api.apiUrl,
          FAULTLINE_SLACK_MODE: 'socket',
        },
        socket: { clientPingTimeout: 5000 },
        outbox,
      });
      replicas.push({
        stores,
        outbox,
        logs,
        stop: async () => {
          await outbox.stop();
          await running.stop();
          await stores.close();
        },
      });
      await waitFor(`replica ${i} connected`, () => socket.openConnections === i + 1);
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await socket?.stop();
    await api?.stop();
    await redis?.dispose();
  });

  const inThread = (channel: string, ts: string): StoredMessage[] =>
    api.messages.filter((m) => m.channel === channel && m.thread_ts === ts);

  /** Each faultline key posted at most once, over the whole run. */
  function expectNoDuplicates(): void {
    const keys = api.messages.flatMap((m) => {
      const k = m.metadata?.event_payload.key;
      return typeof k === 'string' ? [k] : [];
    });
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
  }

  async function ask(on: number, channel: string): Promise<string> {
    const ev = mention({ user: ALICE, channel, text: `<@${BOT_USER}> ${EPIPE}` });
    const env = socket.send('events_api', eventCallback(ev), { connection: on });
    await waitFor(`ack on ${on}`, () => socket.acked(env));
    return ev.ts as string;
  }

  it('a 60-second Slack outage (refused, then 503): every reply given during it arrives once after it', async () => {
    await api.outage('refuse');
    const asked: { channel: string; ts: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const channel = `CDOWN${i}`;
      asked.push({ channel, ts: await ask(i % REPLICAS, channel) });
      await sleep(7_000);
    }
    await sleep(2_000);
    await api.recover();
    await api.outage('503');
    for (let i = 4; i < 8; i++) {
      const channel = `CDOWN${i}`;
      asked.push({ channel, ts: await ask(i % REPLICAS, channel) });
      await sleep(7_000);
    }
    await sleep(2_000);
    await api.recover();
    for (const a of asked)
      await waitFor(`the reply in ${a.channel}`, () => inThread(a.channel, a.ts)[0], 60_000);
    // Nothing still waiting, nothing dropped, nothing twice.
    await outboxEmpty(replicas[0]!.stores);
    for (const a of asked) expect(inThread(a.channel, a.ts)).toHaveLength(1);
    expectNoDuplicates();
    const logs = replicas.flatMap((r) => r.logs);
    expect(logs.filter((l) => String(l.msg).startsWith('reply dropped'))).toEqual([]);
    // Both replicas' loops took part: a 503 may hide a posted message, so retries looked first.
    expect(api.callsOf('conversations.replies').length).toBeGreaterThan(0);
  }, 150_000);

  it('Slack takes a message and drops the connection: the retry finds it and posts nothing twice', async () => {
    await api.outage('drop-after-post');
    const ts = await ask(0, 'CAMBIG');
    await waitFor(
      'a look in the thread',
      () =>
        replicas
          .flatMap((r) => r.logs)
          .find((l) => l.msg === 'outbox: found the reply already posted; not sending it again'),
      30_000,
    );
    await outboxEmpty(replicas[0]!.stores);
    expect(inThread('CAMBIG', ts)).toHaveLength(1);
    expectNoDuplicates();
  }, 60_000);
});
