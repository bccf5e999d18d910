import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../adapters/discord/index.js';
import { Bot } from '../../src/bot/bot.js';
import { storeConfigSchema } from '../../src/config/schema.js';
import { openStores } from '../../src/store/open.js';
import type { Stores } from '../../src/store/stores.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { appContext, buttonsOf, memoryLogger, waitFor } from '../fakes/discord/harness.js';
import {
  ALICE,
  buttonClick,
  GENERAL,
  guildPayload,
  messageCreate,
  readyPayload,
} from '../fakes/discord/payloads.js';
import { APP_ID, BOT_ID, FakeDiscordRest, type RecordedCall } from '../fakes/discord/rest.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const REPLICAS = 3;

interface Replica {
  rest: FakeDiscordRest;
  gateway: FakeGateway;
  stores: Stores;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

const gate = requireRedisOrSkip();

/*
 * Three replicas of the real Discord front end (discord.js) on one bot token: every gateway session
 * receives every message, which the fakes model as one gateway per replica, each sent the same dispatch.
 */
describe.skipIf(gate.skip)(`${REPLICAS} Discord replicas on one Redis`, () => {
  let redis: RedisProcess;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const ctx = appContext();
    for (let i = 0; i < REPLICAS; i++) {
      const rest = new FakeDiscordRest();
      await rest.start();
      const gateway = new FakeGateway(readyPayload, () => [guildPayload()]);
      await gateway.start();
      rest.gatewayUrl = gateway.url;
      const g = guildPayload();
      for (const c of g.channels as { id: string }[]) rest.guildOf.set(c.id, g.id as string);
      const stores = await openStores(
        storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: 'discord-replicas' }),
        '/nonexistent',
      );
      const bot = new Bot(ctx.engine, ctx.knowledge.guides, stores, ctx.config.bot);
      const logs: Record<string, unknown>[] = [];
      const running = await startDiscord(ctx, bot, memoryLogger(logs), {
        env: {
          DISCORD_TOKEN: 'fake-token',
          DISCORD_APPLICATION_ID: APP_ID,
          FAULTLINE_DISCORD_API_URL: rest.apiUrl,
        },
        readyTimeoutMs: 20_000,
      });
      replicas.push({
        rest,
        gateway,
        stores,
        logs,
        async stop() {
          await running.stop();
          await gateway.stop();
          await rest.stop();
          await stores.close();
        },
      });
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await redis?.dispose();
  });

  const answersTo = (id: string): RecordedCall[] => replicas.flatMap((r) => r.rest.inChannel(id));

  it('a mention seen by every gateway session gets one answer', async () => {
    for (let round = 0; round < 5; round++) {
      const msg = messageCreate({
        author: ALICE,
        channel: GENERAL,
        content: `<@${BOT_ID}> ${DEADLINE}`,
        mentionsBot: true,
      });
      for (const r of replicas) r.gateway.emit('MESSAGE_CREATE', msg);
      const decided = await waitFor('every replica decided', () => {
        const lines = replicas.map((r) =>
          r.logs.find((l) => l.msg === 'discord message handled' && l.message === msg.id),
        );
        return lines.every(Boolean) ? lines : undefined;
      });
      expect(decided.filter((l) => Number(l!.replies) > 0)).toHaveLength(1);
      await waitFor('the answer', () => answersTo(msg.id as string)[0]);
      expect(answersTo(msg.id as string)).toHaveLength(1);
      const threads = replicas.flatMap((r) =>
        r.rest.calls.filter((c) => c.route === `/channels/${GENERAL}/messages/${msg.id as string}/threads`),
      );
      expect(threads).toHaveLength(1);
    }
  });

  it('"Not this one" works on a replica that did not make the answer', async () => {
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> ${DEADLINE}\nconnect: connection refused`,
      mentionsBot: true,
    });
    for (const r of replicas) r.gateway.emit('MESSAGE_CREATE', msg);
    const thread = msg.id as string;
    const first = await waitFor('first guide', () => answersTo(thread)[0]);
    const answeredBy = replicas.findIndex((r) => r.rest.inChannel(thread).length > 0);
    const other = replicas[(answeredBy + 1) % REPLICAS]!;
    const next = buttonsOf(first).find((b) => b.label === 'Not this one');
    expect(next, 'the paste has more than one candidate').toBeDefined();
    const click = buttonClick(next!.custom_id, first.message!, { user: ALICE, channel: thread });
    other.rest.interactionChannel.set(click.token as string, thread);
    other.gateway.emit('INTERACTION_CREATE', click);
    const edited = await waitFor('next guide', () =>
      other.rest.calls.find(
        (c) => c.method === 'PATCH' && c.route.includes(`/${click.token as string}/messages/@original`),
      ),
    );
    const firstTitle = (first.message!.embeds as { title: string }[])[0]?.title;
    const nextTitle = (edited.message!.embeds as { title: string }[] | undefined)?.[0]?.title;
    expect(nextTitle).toBeTruthy();
    expect(nextTitle).not.toBe(firstTitle);
  });
});
