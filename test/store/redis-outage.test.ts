import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Bot, type InboundEvent } from '../../src/bot/bot.js';
import { botConfigSchema, storeConfigSchema } from '../../src/config/schema.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import type { Guide } from '../../src/knowledge/schema.js';
import { MatchEngine } from '../../src/match/engine.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { watchStore } from '../../src/ops/store-watch.js';
import { openStores } from '../../src/store/open.js';
import type { Stores, StoreHealth } from '../../src/store/stores.js';
import { harness, threeHosts } from '../diagnostics/helpers.js';
import { guideFile } from '../helpers.js';
import { waitFor } from '../fakes/wait.js';
import { freePort, requireRedisOrSkip, startRedis } from './redis-fixture.js';

function loaded(id: string): Guide {
  const { guide, problems } = parseGuide(guideFile(id), `${id}.md`);
  if (!guide) throw new Error(JSON.stringify(problems));
  return guide;
}
const guides = [loaded('link-lost'), loaded('pipe-gone')];
const engine = new MatchEngine(guides);
const ev = (over: Partial<InboundEvent>): InboundEvent => ({
  platform: 'test',
  user: 'U1',
  channel: 'C1',
  thread: 'T1',
  text: 'link lost happened',
  trigger: 'mention',
  ...over,
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function redisStoresAt(url: string, prefix: string): Promise<Stores> {
  const s = await openStores(storeConfigSchema.parse({ kind: 'redis', url, prefix }), '/nonexistent');
  cleanup.push(() => s.close());
  return s;
}

async function readyz(ops: OpsServer): Promise<string> {
  return (await fetch(`http://127.0.0.1:${ops.port}/readyz`)).text();
}

const gate = requireRedisOrSkip();

describe.skipIf(gate.skip)('when Redis goes down and comes back', () => {
  it('answers still go out, approvals and feedback refuse, /readyz and the log say so, nothing acknowledged is lost', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.dispose());
    const stores = await redisStoresAt(redis.url, 'outage');
    const approvals = harness(
      threeHosts,
      {
        rules: [
          {
            effect: 'allow',
            users: ['U1', 'U2'],
            diagnostics: ['*'],
            hosts: ['*'],
            requireApproval: true,
            mayApprove: true,
          },
        ],
      },
      { approvals: stores.approvals },
    );
    const bot = new Bot(engine, guides, stores, botConfigSchema.parse({}), approvals.service);
    const metrics = new BotMetrics();
    const logLines: { level: number; msg: string }[] = [];
    watchStore(
      stores,
      metrics,
      pino(
        {},
        { write: (line: string) => logLines.push(JSON.parse(line) as { level: number; msg: string }) },
      ),
    );
    const health: StoreHealth[] = [];
    stores.observe({ reachability: (h) => health.push(h), fellBack: () => undefined });
    const ops = await startOpsServer(metrics, { port: 0, host: '127.0.0.1', store: () => stores.health() });
    cleanup.push(() => ops.close());
    ops.setReady(true);

    // Acknowledged before the crash: 50 verdicts and a pending approval's conversation.
    for (let i = 0; i < 50; i++)
      await stores.feedback.add({
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        platform: 'test',
        user: 'U1',
        pasteHash: `h${i}`,
        guideId: 'link-lost',
        verdict: 'helpful',
      });
    const request = await approvals.service.request({
      user: 'U1',
      platform: 'test',
      catalogId: 'uptime',
      host: 'web-1',
      origin: { platform: 'test', channel: 'C1', thread: 'T9' },
    });
    if (request.status !== 'needs-approval') throw new Error(request.status);
    const pending = await stores.approvals.get(request.requestId);
    expect(pending?.origin).toEqual({ platform: 'test', channel: 'C1', thread: 'T9' });
    expect(await readyz(ops)).toBe('ready\n');

    await redis.stop('SIGKILL');
    await waitFor('the store to report the outage', () => health.some((h) => !h.reachable));

    // Down: the paste is answered, a redelivery of the same event is not, "more" continues the thread.
    const paste = 'link lost happened\npipe gone happened';
    expect(await bot.receive(ev({ text: paste, eventId: 'E1' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
    expect(await bot.receive(ev({ text: paste, eventId: 'E1' }))).toEqual([]);
    expect(await bot.receive(ev({ text: 'more', eventId: 'E2' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'pipe-gone' } },
    ]);
    // What needs shared state refuses in one clear line.
    expect(await bot.receive(ev({ text: 'helpful', eventId: 'E3' }))).toEqual([
      { kind: 'error', text: 'state store unreachable, try again' },
    ]);
    expect(
      await bot.act({
        kind: 'approve',
        requestId: request.requestId,
        platform: 'test',
        user: 'U2',
        channel: 'C1',
        thread: 'T9',
      }),
    ).toEqual({ replies: [], privately: ['state store unreachable, try again'] });
    expect(await readyz(ops)).toMatch(
      /^ready, degraded: state store unreachable \(redis at redis:\/\/127\.0\.0\.1:\d+\/0: .*\); approvals and feedback refused\n$/,
    );
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/faultline_store_reachable 0/);
    expect(text).toMatch(/faultline_store_fallback_total\{operation="setIfAbsent"\} 3/);
    const warnings = logLines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toHaveLength(2); // one for the outage, one for the first fallback: not one per event
    expect(warnings[1]).toMatch(/dedupe and sessions kept in this process/);

    await redis.start();
    await waitFor('the store to reconnect', () => health.at(-1)?.reachable === true, 10_000);
    expect(logLines.at(-1)?.msg).toBe('state store reachable again');
    expect(await readyz(ops)).toBe('ready\n');
    expect(await metrics.registry.metrics()).toMatch(/faultline_store_reachable 1/);

    // Back: everything acknowledged before the crash is there; the event seen during the outage stays
    // answered once; the session kept locally still takes feedback.
    expect(await stores.feedback.list()).toHaveLength(50);
    expect(await stores.approvals.get(request.requestId)).toEqual(pending);
    expect(await bot.receive(ev({ eventId: 'E1' }))).toEqual([]);
    expect(await bot.receive(ev({ text: 'helpful', eventId: 'E4' }))).toMatchObject([{ kind: 'text' }]);
    expect(await stores.feedback.list()).toHaveLength(51);
  });

  it('a request made before Redis restarts is approved after it, once', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.dispose());
    const policy = {
      rules: [
        {
          effect: 'allow' as const,
          users: ['alice', 'bob'],
          diagnostics: ['*'],
          hosts: ['*'],
          requireApproval: true,
          mayApprove: true,
        },
      ],
    };
    const a = await redisStoresAt(redis.url, 'restart');
    const h = harness(threeHosts, policy, { approvals: a.approvals });
    const req = await h.service.request({
      user: 'alice',
      platform: 'slack',
      catalogId: 'uptime',
      host: 'web-1',
    });
    if (req.status !== 'needs-approval') throw new Error(req.status);
    await redis.stop('SIGKILL');
    await expect(h.service.approve(req.requestId, { user: 'bob', platform: 'slack' })).rejects.toThrow(
      'state store unreachable, try again',
    );
    await redis.start();
    await waitFor('the store to reconnect', () => a.health().reachable, 10_000);
    expect(await h.service.approve(req.requestId, { user: 'bob', platform: 'slack' })).toMatchObject({
      status: 'ran',
    });
    expect(await h.service.approve(req.requestId, { user: 'bob', platform: 'slack' })).toMatchObject({
      status: 'invalid',
    });
    expect(h.audit.records.filter((e) => e.event === 'approval' && e.decision === 'approved')).toHaveLength(
      1,
    );
  });
});

describe.skipIf(gate.skip)('two replicas on one Redis', () => {
  it('two approvers on two replicas at the same moment: one run, one "already approved"', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.dispose());
    const policy = {
      rules: [
        {
          effect: 'allow' as const,
          users: ['alice', 'bob', 'carol'],
          diagnostics: ['*'],
          hosts: ['*'],
          requireApproval: true,
          mayApprove: true,
        },
      ],
    };
    const one = harness(threeHosts, policy, { approvals: (await redisStoresAt(redis.url, 'two')).approvals });
    const two = harness(threeHosts, policy, { approvals: (await redisStoresAt(redis.url, 'two')).approvals });
    for (let round = 0; round < 20; round++) {
      const req = await one.service.request({
        user: 'alice',
        platform: 'slack',
        catalogId: 'uptime',
        host: 'web-1',
      });
      if (req.status !== 'needs-approval') throw new Error(req.status);
      // The other replica sees the request it did not make.
      expect((await two.service.pending()).map((p) => p.id)).toContain(req.requestId);
      const outcomes = await Promise.all([
        one.service.approve(req.requestId, { user: 'bob', platform: 'slack' }),
        two.service.approve(req.requestId, { user: 'carol', platform: 'slack' }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['invalid', 'ran']);
      expect(outcomes.find((o) => o.status === 'invalid')).toMatchObject({
        reason: expect.stringContaining('already approved'),
      });
    }
    const approvedLines = [...one.audit.records, ...two.audit.records].filter(
      (e) => e.event === 'approval' && e.decision === 'approved',
    );
    const runs = [...one.executors.values(), ...two.executors.values()].reduce(
      (n, x) => n + x.runs.length,
      0,
    );
    expect(approvedLines).toHaveLength(20);
    expect(runs).toBe(20);
  });
});

describe.skipIf(requireRedisOrSkip(true).skip)('a Sentinel failover', () => {
  it('follows the new primary; reports what acknowledged writes, if any, were lost', async () => {
    // Sync a new replica at once rather than after the default 5 s wait for more replicas.
    const primary = await startRedis({ config: ['repl-diskless-sync-delay 0'] });
    cleanup.push(() => primary.dispose());
    const replica = await startRedis({
      config: [`replicaof 127.0.0.1 ${primary.port}`],
    });
    cleanup.push(() => replica.dispose());
    // A replica that has not finished its first sync has nothing to fail over to; a real one has.
    const probe = createClient({ url: replica.url });
    await probe.connect();
    for (let i = 0; !/master_link_status:up/.test(await probe.info('replication')); i++) {
      if (i > 400) throw new Error('the replica did not sync');
      await new Promise((r) => setTimeout(r, 50));
    }
    await probe.close();
    const sentinelPort = await freePort();
    const sentinel = await startRedis({
      sentinel: true,
      port: sentinelPort,
      config: [
        `sentinel monitor fl 127.0.0.1 ${primary.port} 1`,
        'sentinel down-after-milliseconds fl 500',
        'sentinel failover-timeout fl 5000',
      ],
    });
    cleanup.push(() => sentinel.dispose());
    const stores = await openStores(
      storeConfigSchema.parse({
        kind: 'redis',
        url: 'redis://127.0.0.1/0',
        prefix: 'failover',
        sentinel: { name: 'fl', nodes: [{ host: '127.0.0.1', port: sentinelPort }] },
      }),
      '/nonexistent',
    );
    cleanup.push(() => stores.close());

    const acknowledged: number[] = [];
    let refused = 0;
    let i = 0;
    const write = async (): Promise<boolean> => {
      const n = i++;
      try {
        await stores.feedback.add({
          at: `2026-01-01T00:00:00.${String(n).padStart(6, '0')}Z`,
          platform: 'test',
          user: 'U',
          pasteHash: String(n),
          guideId: 'g',
          verdict: 'helpful',
        });
        acknowledged.push(n);
        return true;
      } catch (e) {
        if (!(e instanceof Error) || e.message !== 'state store unreachable, try again') throw e;
        refused++;
        return false;
      }
    };
    let stopWriting = false;
    // Writes keep going while the primary dies, as a busy bot's would.
    const writer = (async () => {
      const started = Date.now();
      while (Date.now() - started < 60_000) {
        await write();
        if (stopWriting) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await waitFor('100 writes', () => acknowledged.length >= 100, 10_000);
    const killedAt = Date.now();
    await primary.stop('SIGKILL');
    const before = acknowledged.length;
    await waitFor('100 writes after the failover', () => acknowledged.length >= before + 100, 45_000);
    stopWriting = true;
    await writer;
    const unavailableMs = Date.now() - killedAt;

    const kept = new Set((await stores.feedback.list()).map((f) => Number(f.pasteHash)));
    const lost = acknowledged.filter((n) => !kept.has(n));
    process.stdout.write(
      `sentinel failover: ${acknowledged.length} writes acknowledged, ${refused} refused with "try again" ` +
        `during the failover, ${lost.length} acknowledged writes lost${lost.length ? ` (${lost.join(', ')})` : ''}; ` +
        `writes resumed within ${unavailableMs} ms of the kill\n`,
    );
    // Replication is asynchronous: what the old primary acknowledged in its last moment may be lost, and
    // the docs say so. Nothing acknowledged by the new primary may be.
    const afterFailover = acknowledged.slice(before);
    expect(afterFailover.filter((n) => !kept.has(n))).toEqual([]);
    expect(stores.health().reachable).toBe(true);
  }, 90_000);
});
