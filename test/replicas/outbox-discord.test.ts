import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot/bot.js';
import { storeConfigSchema } from '../../src/config/schema.js';
import { Outbox, recordThread } from '../../src/delivery/outbox.js';
import { openStores } from '../../src/store/open.js';
import type { Stores } from '../../src/store/stores.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { appContext, memoryLogger, waitFor } from '../fakes/discord/harness.js';
import { ALICE, GENERAL, guildPayload, messageCreate, readyPayload } from '../fakes/discord/payloads.js';
import { APP_ID, BOT_ID, FakeDiscordRest } from '../fakes/discord/rest.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';
import { outboxEmpty, TEST_DELIVERY } from './outbox-helpers.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const REPLICAS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  gateway: FakeGateway;
  stores: Stores;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

const gate = requireRedisOrSkip();

/*
 * Two replicas of the real Discord front end (discord.js) on one token and one Redis, each with its own
 * gateway session and its outbox on the shared store, against one fake REST API that fails as told.
 */
describe.skipIf(gate.skip)('the outbox with two Discord replicas on one Redis', () => {
  let redis: RedisProcess;
  let rest: FakeDiscordRest;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    rest = new FakeDiscordRest();
    await rest.start();
    const g = guildPayload();
    for (const c of g.channels as { id: string }[]) rest.guildOf.set(c.id, g.id as string);
    const ctx = appContext();
    for (let i = 0; i < REPLICAS; i++) {
      const gateway = new FakeGateway(readyPayload, () => [guildPayload()]);
      await gateway.start();
      rest.gatewayUrl = gateway.url;
      const stores = await openStores(
        storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: 'discord-outbox' }),
        '/nonexistent',
      );
      const bot = new Bot(ctx.engine, ctx.knowledge.guides, stores, ctx.config.bot);
      const logs: Record<string, unknown>[] = [];
      const log = memoryLogger(logs);
      const outbox = new Outbox(stores.outbox, TEST_DELIVERY, log, { afterThread: recordThread(stores) });
      outbox.start();
      const running = await startDiscord(ctx, bot, log, {
        env: {
          DISCORD_TOKEN: 'fake-token',
          DISCORD_APPLICATION_ID: APP_ID,
          FAULTLINE_DISCORD_API_URL: rest.apiUrl,
        },
        readyTimeoutMs: 20_000,
        outbox,
      });
      replicas.push({
        gateway,
        stores,
        logs,
        async stop() {
          await outbox.stop();
          await running.stop();
          await gateway.stop();
          await stores.close();
        },
      });
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await rest?.stop();
    await redis?.dispose();
  });

  /** A mention every gateway session receives (as Discord sends it to each), answered by one replica. */
  function ask(): string {
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> ${DEADLINE}`,
      mentionsBot: true,
    });
    for (const r of replicas) r.gateway.emit('MESSAGE_CREATE', msg);
    return msg.id as string;
  }

  function expectNoDuplicateNonces(): void {
    const nonces = rest.messages().flatMap((c) => (typeof c.body.nonce === 'string' ? [c.body.nonce] : []));
    expect(nonces.length).toBeGreaterThan(0);
    expect(new Set(nonces).size).toBe(nonces.length);
  }

  it('a 60-second Discord outage (refused, then 503): every reply given during it arrives once after it', async () => {
    await rest.outage('refuse');
    const asked: string[] = [];
    for (let i = 0; i < 4; i++) {
      asked.push(ask());
      await sleep(7_000);
    }
    await sleep(2_000);
    await rest.recover();
    await rest.outage('503');
    for (let i = 0; i < 4; i++) {
      asked.push(ask());
      await sleep(7_000);
    }
    await sleep(2_000);
    await rest.recover();
    // Each answer is in the thread started on its message (a thread has its message's id).
    for (const id of asked) await waitFor(`the answer to ${id}`, () => rest.inChannel(id)[0], 60_000);
    await outboxEmpty(replicas[0]!.stores);
    for (const id of asked) expect(rest.inChannel(id)).toHaveLength(1);
    expectNoDuplicateNonces();
    expect(replicas.flatMap((r) => r.logs).filter((l) => String(l.msg).startsWith('reply dropped'))).toEqual(
      [],
    );
  }, 150_000);

  it('Discord creates a message and drops the connection: the retry carries the same nonce, nothing is posted twice', async () => {
    const hits = rest.nonceHits.length;
    await rest.outage('drop-after-post');
    const id = ask();
    await waitFor('the answer', () => rest.inChannel(id)[0]);
    await waitFor('a retry answered with the earlier message', () => rest.nonceHits.length > hits, 30_000);
    await outboxEmpty(replicas[0]!.stores);
    expect(rest.inChannel(id)).toHaveLength(1);
    expect(rest.nonceHits.at(-1)?.body.enforce_nonce).toBe(true);
    expectNoDuplicateNonces();
  }, 60_000);
});
