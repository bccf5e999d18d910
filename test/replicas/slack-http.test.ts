import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot/bot.js';
import { storeConfigSchema } from '../../src/config/schema.js';
import { openStores } from '../../src/store/open.js';
import { ALICE, appContext, SIGNING_SECRET } from '../fakes/slack/harness.js';
import { eventCallback, mention, postSigned } from '../fakes/slack/payloads.js';
import { BOT_USER, FakeSlackApi, waitFor } from '../fakes/slack/web-api.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const gate = requireRedisOrSkip();

/*
 * Two replicas in HTTP mode, as behind a load balancer: Slack's retry of an event (X-Slack-Retry-Num)
 * reaches the other replica, which must not answer it again.
 */
describe.skipIf(gate.skip)('two Slack replicas over HTTP on one Redis', () => {
  let redis: RedisProcess;
  let api: FakeSlackApi;
  const urls: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    api = new FakeSlackApi();
    await api.start();
    const ctx = appContext();
    for (let i = 0; i < 2; i++) {
      const stores = await openStores(
        storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: 'slack-http' }),
        '/nonexistent',
      );
      const bot = new Bot(ctx.engine, ctx.knowledge.guides, stores, ctx.config.bot);
      const running = await startSlack(
        ctx,
        bot,
        pino(
          { level: 'debug' },
          { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) },
        ),
        {
          env: {
            SLACK_BOT_TOKEN: 'xoxb-fake',
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            FAULTLINE_SLACK_API_URL: api.apiUrl,
            FAULTLINE_SLACK_MODE: 'http',
            FAULTLINE_SLACK_PORT: '0',
          },
        },
      );
      urls.push(`http://127.0.0.1:${running.port}/slack/events`);
      stops.push(async () => (await running.stop(), await stores.close()));
    }
  });
  afterAll(async () => {
    for (const s of stops) await s();
    await api?.stop();
    await redis?.dispose();
  });

  it('a retry that reaches the other replica gets no second answer', async () => {
    for (let round = 0; round < 5; round++) {
      const ev = mention({ user: ALICE, channel: 'CHTTP', text: `<@${BOT_USER}> ${EPIPE}` });
      const body = JSON.stringify(eventCallback(ev));
      const id = (JSON.parse(body) as { event_id: string }).event_id;
      const [first, retry] = await Promise.all([
        postSigned(urls[round % 2]!, SIGNING_SECRET, body),
        postSigned(urls[(round + 1) % 2]!, SIGNING_SECRET, body, {
          headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
        }),
      ]);
      expect([first.status, retry.status]).toEqual([200, 200]);
      const decided = await waitFor('both replicas decided', () => {
        const lines = logs.filter((l) => l.msg === 'slack event handled' && l.eventId === id);
        return lines.length === 2 ? lines : undefined;
      });
      expect(decided.map((l) => Number(l.replies)).sort()).toEqual([0, 1]);
      await waitFor('the answer', () =>
        api.posted().find((c) => c.args.channel === 'CHTTP' && c.args.thread_ts === ev.ts),
      );
      expect(
        api.posted().filter((c) => c.args.channel === 'CHTTP' && c.args.thread_ts === ev.ts),
      ).toHaveLength(1);
    }
  });
});
