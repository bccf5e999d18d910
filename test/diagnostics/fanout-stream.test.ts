import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { DiagnosticsService, type HostRunResult } from '../../src/diagnostics/service.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { BIN } from '../cli/run.js';
import { Bot } from '../../src/bot/bot.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { botConfigSchema } from '../../src/config/schema.js';
import { MatchEngine } from '../../src/match/engine.js';
import { memoryStores } from '../../src/store/stores.js';
import { requireSshdOrSkip, startSshd, type SshdFixture } from './sshd-fixture.js';

const { skip, reason } = requireSshdOrSkip();
/** How long the slow host's network holds its connection back: far more than a fast host's whole run. */
const DELAY_MS = 4000;

/**
 * A slow link to a real sshd: a loopback forwarder that holds each connection for `delayMs` before
 * passing bytes through. The host behind it is the same OpenSSH server, only further away.
 */
function slowLink(to: { address: string; port: number }, delayMs: number): Promise<net.Server> {
  const server = net.createServer((client) => {
    client.pause();
    const timer = setTimeout(() => {
      const upstream = net.connect({ host: to.address, port: to.port }, () => {
        client.pipe(upstream).pipe(client);
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delayMs);
    client.on('close', () => clearTimeout(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(skip)('a fan-out streams each host as it finishes (real sshd, one slow host)', () => {
  let f: SshdFixture;
  let link: net.Server;
  let dir: string;
  let hosts: unknown[];

  beforeAll(async () => {
    if (reason) throw new Error(`SSH tests cannot run: ${reason}`);
    f = await startSshd({ hosts: 2 });
    const [h1, h2] = f.hosts;
    if (!h1 || !h2) throw new Error('fixture has too few hosts');
    link = await slowLink(h1, DELAY_MS);
    const port = (link.address() as net.AddressInfo).port;
    const ssh = (name: string, address: string, p: number) => ({
      name,
      address,
      port: p,
      user: f.user,
      keyPath: f.keyPath,
      hostKeys: [f.hostKeyFingerprint],
      labels: ['web'],
    });
    // The slow host is first in the list, so waiting for it would hold back every other line.
    hosts = [
      ssh('slow', '127.0.0.1', port),
      ssh('fast-1', h1.address, h1.port),
      ssh('fast-2', h2.address, h2.port),
    ];
    dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-stream-'));
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      JSON.stringify({
        diagnostics: { hosts, audit: { path: 'audit.jsonl' } },
        terminal: { user: 'op', roles: ['oncall'] },
        policy: { rules: [{ effect: 'allow', roles: ['oncall'], diagnostics: ['uptime'], hosts: ['*'] }] },
      }),
    );
  }, 60_000);

  /** A service over the test's hosts that lets anyone run anything: the streaming is under test, not policy. */
  const allowAll = () =>
    new DiagnosticsService({
      diagnostics: diagnosticsConfigSchema.parse({ hosts }),
      policy: policyConfigSchema.parse({
        rules: [{ effect: 'allow', users: ['*'], diagnostics: ['*'], hosts: ['*'] }],
      }),
      baseDir: '/',
      audit: new MemoryAuditLog(),
    });

  afterAll(async () => {
    await new Promise<void>((resolve) => (link ? link.close(() => resolve()) : resolve()));
    await f?.stop();
  });

  it('the service calls back each host in the order they finish, and returns all of them in host order', async () => {
    const service = allowAll();
    const started = Date.now();
    const seen: Array<{ host: string; at: number; status: string }> = [];
    try {
      const out = await service.request(
        {
          user: 'U1',
          platform: 'test',
          channel: 'C',
          catalogId: 'uptime',
          hosts: ['slow', 'fast-1', 'fast-2'],
        },
        {
          onHost: (r: HostRunResult) =>
            void seen.push({ host: r.host, at: Date.now() - started, status: r.status }),
        },
      );
      expect(out.status).toBe('ran');
      if (out.status !== 'ran') return;
      expect(out.results.map((r) => r.host)).toEqual(['slow', 'fast-1', 'fast-2']);
      expect(out.results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
      expect(seen.map((s) => s.host).sort()).toEqual(['fast-1', 'fast-2', 'slow']);
      expect(seen.at(-1)?.host).toBe('slow');
      const slow = seen.find((s) => s.host === 'slow')?.at ?? 0;
      expect(slow).toBeGreaterThanOrEqual(DELAY_MS);
      for (const s of seen.filter((x) => x.host !== 'slow')) expect(s.at).toBeLessThan(slow - 1000);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('`faultline run uptime on slow,fast-1,fast-2` prints the fast hosts before the slow one arrives', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'uptime', 'on', 'slow,fast-1,fast-2'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const started = Date.now();
    const arrivals: Array<{ host: string; at: number }> = [];
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const m of d.toString().matchAll(/^== ([\w-]+): /gm))
        arrivals.push({ host: m[1] ?? '', at: Date.now() - started });
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const exited = Date.now() - started;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(arrivals.map((a) => a.host).slice(-1)).toEqual(['slow']);
    expect(arrivals.map((a) => a.host).sort()).toEqual(['fast-1', 'fast-2', 'slow']);
    // The fast hosts were on screen while the slow one was still connecting.
    for (const a of arrivals.filter((x) => x.host !== 'slow')) expect(a.at).toBeLessThan(exited - 1500);
    expect(stdout).toMatch(/== fast-1: ok \(exit 0, \d+ ms\)\n.*load average/);
  }, 60_000);

  it('a chat `run uptime on slow,fast-1,fast-2` posts each host early, as it finishes; without a sink, all at the end', async () => {
    const service = allowAll();
    const bot = new Bot(new MatchEngine([]), [], memoryStores(), botConfigSchema.parse({}), service);
    const ev = (eventId: string) => ({
      platform: 'test',
      user: 'U1',
      channel: 'C',
      thread: 'T',
      eventId,
      text: 'run uptime on slow,fast-1,fast-2',
      trigger: 'mention' as const,
    });
    try {
      const started = Date.now();
      const early: Array<{ reply: BotReply; at: number }> = [];
      const rest = await bot.receive(ev('e1'), {
        early: async (reply) => void early.push({ reply, at: Date.now() - started }),
      });
      const done = Date.now() - started;
      expect(rest).toEqual([]);
      const hostOf = (r: BotReply) => (r.kind === 'diagnostic-result' ? r.host : `(${r.kind})`);
      expect(early.map((e) => hostOf(e.reply)).sort()).toEqual(['fast-1', 'fast-2', 'slow']);
      expect(hostOf(early.at(-1)?.reply ?? { kind: 'text', text: '' })).toBe('slow');
      for (const e of early.filter((x) => hostOf(x.reply) !== 'slow')) expect(e.at).toBeLessThan(done - 1000);
      const all = await bot.receive(ev('e2'));
      expect(all.map(hostOf)).toEqual(['slow', 'fast-1', 'fast-2']);
    } finally {
      await service.close();
    }
  }, 60_000);
});
