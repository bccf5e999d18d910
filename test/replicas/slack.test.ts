import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../adapters/slack/blocks.js';
import { startSlack } from '../../adapters/slack/index.js';
import { Bot } from '../../src/bot/bot.js';
import { storeConfigSchema } from '../../src/config/schema.js';
import { openStores } from '../../src/store/open.js';
import type { Stores } from '../../src/store/stores.js';
import { ALICE, appContext, BOB, INCIDENTS } from '../fakes/slack/harness.js';
import { buttonClick, eventCallback, mention } from '../fakes/slack/payloads.js';
import { FakeSocketMode } from '../fakes/slack/socket.js';
import { BOT_USER, FakeSlackApi, TWO_ERRORS, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const REPLICAS = 3;

interface Replica {
  stores: Stores;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

const gate = requireRedisOrSkip();

/*
 * Three replicas of the real Slack front end (Bolt in Socket Mode), each with its own Redis connection and
 * its own Socket Mode connection to one fake Slack, as three `faultline start` processes on one app would.
 */
describe.skipIf(gate.skip)(`${REPLICAS} Slack replicas on one Redis`, () => {
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
        storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: 'slack-replicas' }),
        '/nonexistent',
      );
      const bot = new Bot(ctx.engine, ctx.knowledge.guides, stores, {
        ...ctx.config.bot,
        incidentChannels: [INCIDENTS],
      });
      const logs: Record<string, unknown>[] = [];
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
            SLACK_APP_TOKEN: 'xapp-fake',
            FAULTLINE_SLACK_API_URL: api.apiUrl,
            FAULTLINE_SLACK_MODE: 'socket',
          },
          // Long enough that a loaded machine does not make a replica reconnect mid-test.
          socket: { clientPingTimeout: 5000 },
        },
      );
      replicas.push({ stores, logs, stop: async () => (await running.stop(), await stores.close()) });
      await waitFor(`replica ${i} connected`, () => socket.openConnections === i + 1);
    }
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await socket?.stop();
    await api?.stop();
    await redis?.dispose();
  });

  const postsIn = (channel: string, threadTs: string): RecordedCall[] =>
    api.posted().filter((c) => c.args.channel === channel && c.args.thread_ts === threadTs);
  const handledBy = (eventId: string) =>
    replicas.map((r) => r.logs.filter((l) => l.msg === 'slack event handled' && l.eventId === eventId));

  /** Sends `body` on connection `on`; resolves when it is acked and `decided` replicas have decided on it. */
  async function deliverOn(on: number, body: Record<string, unknown>, decided: number, retry?: number) {
    const env = socket.send('events_api', body, { connection: on, ...(retry ? { retry } : {}) });
    await waitFor(`ack on ${on}`, () => socket.acked(env));
    await waitFor(`${decided} decisions`, () => handledBy(String(body.event_id)).flat().length >= decided);
  }
  const answersTo = (eventId: string) =>
    handledBy(eventId)
      .flat()
      .filter((l) => Number(l.replies) > 0).length;

  it('the same event on every connection gets one answer', async () => {
    for (let round = 0; round < 5; round++) {
      const ev = mention({ user: ALICE, channel: 'CSAME', text: `<@${BOT_USER}> ${EPIPE}` });
      const body = eventCallback(ev);
      await Promise.all(Array.from({ length: REPLICAS }, (_, i) => deliverOn(i, body, REPLICAS)));
      expect(answersTo(String(body.event_id))).toBe(1);
      await waitFor('the answer', () => postsIn('CSAME', ev.ts as string)[0]);
      expect(postsIn('CSAME', ev.ts as string)).toHaveLength(1);
    }
  });

  it('a redelivery to another replica gets no second answer', async () => {
    const ev = mention({ user: ALICE, channel: 'CREDELIVER', text: `<@${BOT_USER}> ${EPIPE}` });
    const body = eventCallback(ev);
    await deliverOn(0, body, 1);
    await waitFor('the answer', () => postsIn('CREDELIVER', ev.ts as string)[0]);
    await deliverOn(1, body, 2, 1);
    await deliverOn(2, body, 3, 2);
    expect(answersTo(String(body.event_id))).toBe(1);
    expect(postsIn('CREDELIVER', ev.ts as string)).toHaveLength(1);
  });

  it('"Not this one" and "Helpful" work on a replica that did not make the answer', async () => {
    const ev = mention({ user: ALICE, channel: 'CCLICK', text: `<@${BOT_USER}> ${TWO_ERRORS}` });
    await deliverOn(0, eventCallback(ev), 1);
    const first = await waitFor('first', () => postsIn('CCLICK', ev.ts as string)[0]);
    const button = (call: RecordedCall, action: string) =>
      (call.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
        .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
        .find((b) => b.action_id === action)!;
    socket.send(
      'interactive',
      buttonClick({
        user: ALICE,
        channel: 'CCLICK',
        messageTs: first.args.ok_ts as string,
        actionId: ACTION.next,
        value: button(first, ACTION.next).value,
      }),
      { connection: 1 },
    );
    const second = await waitFor('second', () => postsIn('CCLICK', ev.ts as string)[1]);
    expect(JSON.stringify(second.args)).not.toMatch(/no earlier paste/i);
    socket.send(
      'interactive',
      buttonClick({
        user: BOB,
        channel: 'CCLICK',
        messageTs: second.args.ok_ts as string,
        actionId: ACTION.helpful,
        value: button(second, ACTION.helpful).value,
      }),
      { connection: 2 },
    );
    let verdicts: { user: string }[] = [];
    for (let i = 0; i < 200 && !verdicts.some((f) => f.user === BOB); i++) {
      verdicts = await replicas[0]!.stores.feedback.list();
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(verdicts).toEqual([expect.objectContaining({ user: BOB, verdict: 'helpful' })]);
  });

  it('with Redis down, a paste is still answered and "Helpful" says the state store is unreachable', async () => {
    await redis.stop('SIGKILL');
    try {
      const ev = mention({ user: ALICE, channel: 'CDOWN', text: `<@${BOT_USER}> ${EPIPE}` });
      await deliverOn(0, eventCallback(ev), 1);
      const answer = await waitFor('the answer', () => postsIn('CDOWN', ev.ts as string)[0]);
      const helpful = (
        answer.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
      )
        .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
        .find((b) => b.action_id === ACTION.helpful)!;
      socket.send(
        'interactive',
        buttonClick({
          user: BOB,
          channel: 'CDOWN',
          messageTs: answer.args.ok_ts as string,
          actionId: ACTION.helpful,
          value: helpful.value,
        }),
        { connection: 1 },
      );
      const told = await waitFor('the refusal', () =>
        api.callsOf('chat.postEphemeral').find((c) => c.args.user === BOB && c.args.channel === 'CDOWN'),
      );
      expect(String(told.args.text)).toContain('state store unreachable, try again');
    } finally {
      await redis.start();
    }
  });
});
