/**
 * `node dist/bench/replicas.js`: events per second and reply latency (p50, p99) of the conversation layer
 * with 1, 2 and 3 replicas on one Redis, against one process on the memory store, in the same run.
 *
 * Every event is delivered to EVERY replica, as Discord's gateway does (Slack's duplicate deliveries are
 * the milder case): each replica claims it in Redis (`SET NX PX`), one answers, and the latency of an event
 * runs from delivery to the one answer. The replicas are Bot instances in this process, each with its own
 * Redis connection: this measures what sharing state costs per event, not how CPU scales over machines.
 * Needs redis-server (apt-get install -y redis-server).
 */
import { pathToFileURL } from 'node:url';
import { createApp } from '../src/app.js';
import { Bot, type InboundEvent } from '../src/bot/bot.js';
import { storeConfigSchema } from '../src/config/schema.js';
import { openStores } from '../src/store/open.js';
import { memoryStores, type Stores } from '../src/store/stores.js';
import { redisUnavailableReason, startRedis } from '../test/store/redis-fixture.js';

interface Result {
  setup: string;
  events: number;
  perSecond: number;
  p50: number;
  p99: number;
  answers: number;
}

const EVENTS = Number(process.env.FAULTLINE_BENCH_EVENTS ?? 2000);
const ROUNDS = Number(process.env.FAULTLINE_BENCH_ROUNDS ?? 3);
/** Events in flight at once, as a busy workspace would have. */
const CONCURRENCY = 16;

async function run(setup: string, stores: Stores[], pastes: string[]): Promise<Result> {
  const ctx = createApp({ cwd: '/nonexistent-bench-dir' });
  const bots = stores.map((s) => new Bot(ctx.engine, ctx.knowledge.guides, s, ctx.config.bot));
  const latencies: number[] = [];
  let answers = 0;
  let next = 0;
  const runId = `${setup}-${Date.now()}`;
  const one = async (i: number) => {
    const ev: InboundEvent = {
      platform: 'bench',
      eventId: `${runId}-${i}`,
      user: 'U1',
      channel: 'C1',
      thread: `${runId}-t${i}`,
      text: pastes[Math.abs(i) % pastes.length]!,
      trigger: 'mention',
    };
    const t0 = performance.now();
    const replies = await Promise.all(bots.map((b) => b.receive(ev)));
    latencies.push(performance.now() - t0);
    answers += replies.filter((r) => r.length > 0).length;
  };
  // Warm up the engine and the connections outside the measurement.
  for (let i = 0; i < 50; i++) await one(-1 - i);
  latencies.length = 0;
  answers = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < EVENTS; i = next++) await one(i);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { setup, events: EVENTS, perSecond: EVENTS / seconds, p50: at(0.5), p99: at(0.99), answers };
}

export async function benchReplicas(): Promise<Result[]> {
  const reason = redisUnavailableReason();
  if (reason) throw new Error(`cannot run the replicas benchmark: ${reason}`);
  const ctx = createApp({ cwd: '/nonexistent-bench-dir' });
  const pastes = ctx.knowledge.guides.flatMap((g) => g.examples);
  // The settings docs/replicas.md recommends: every write fsynced before Redis acknowledges it.
  const redis = await startRedis();
  const rounds: Result[][] = [];
  try {
    // Setups take turns, round after round, so that a busy moment of a shared machine does not land on
    // one setup only; each figure is the median round.
    for (let round = 0; round < ROUNDS; round++) {
      const results: Result[] = [await run('memory store, 1 process', [memoryStores()], pastes)];
      for (const n of [1, 2, 3]) {
        const stores = await Promise.all(
          Array.from({ length: n }, () =>
            openStores(storeConfigSchema.parse({ kind: 'redis', url: redis.url, prefix: `bench${n}` }), '/'),
          ),
        );
        results.push(await run(`redis, ${n} replica${n > 1 ? 's' : ''}`, stores, pastes));
        for (const s of stores) await s.close();
      }
      rounds.push(results);
    }
  } finally {
    await redis.dispose();
  }
  return rounds[0]!.map((r, i) => {
    const median = (f: (x: Result) => number) =>
      rounds.map((rs) => f(rs[i]!)).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
    return {
      ...r,
      perSecond: median((x) => x.perSecond),
      p50: median((x) => x.p50),
      p99: median((x) => x.p99),
      answers: Math.min(...rounds.map((rs) => rs[i]!.answers)),
    };
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await benchReplicas();
  const base = results[0]!;
  console.log(
    `${EVENTS} events, ${CONCURRENCY} in flight, each delivered to every replica; median of ${ROUNDS} rounds\n`,
  );
  console.log('| setup | events/s | p50 ms | p99 ms | answers | events/s vs memory |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results)
    console.log(
      `| ${r.setup} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.answers} | ${(r.perSecond / base.perSecond).toFixed(2)}x |`,
    );
}
