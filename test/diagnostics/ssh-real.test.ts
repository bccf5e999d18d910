import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import {
  diagnosticsConfigSchema,
  type DiagnosticsConfigInput,
  type SshHostConfig,
} from '../../src/diagnostics/config.js';
import { assertSafeArgument } from '../../src/diagnostics/quote.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { SshExecutor } from '../../src/diagnostics/ssh.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { ALWAYS_REJECTED, HOSTILE } from './helpers.js';
import { requireSshdOrSkip, startSshd, type SshdFixture } from './sshd-fixture.js';

const { skip, reason } = requireSshdOrSkip();

const who = { user: 'U1', platform: 'test', channel: 'C1' };
const everyone = policyConfigSchema.parse({
  rules: [{ effect: 'allow', users: ['*'], diagnostics: ['*'], hosts: ['*'] }],
});

function pgrep(pattern: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe.skipIf(skip)('diagnostics over a real OpenSSH server', () => {
  let f: SshdFixture;
  let service: DiagnosticsService;
  let audit: MemoryAuditLog;
  let config: DiagnosticsConfigInput;

  beforeAll(async () => {
    if (reason) throw new Error(`SSH tests cannot run: ${reason}`);
    f = await startSshd({ hosts: 3 });
    const [h1, h2, h3] = f.hosts;
    if (!h1 || !h2 || !h3) throw new Error('fixture has too few hosts');
    const ssh = (h: typeof h1, labels: string[], over: Record<string, unknown> = {}) => ({
      name: h.name,
      address: h.address,
      port: h.port,
      user: f.user,
      keyPath: f.keyPath,
      hostKeys: [f.hostKeyFingerprint],
      labels,
      ...over,
    });
    config = {
      hosts: [
        ssh(h1, ['web']),
        ssh(h2, ['web']),
        ssh(h3, ['db'], { keyPath: f.encryptedKeyPath, passphraseEnv: 'FAULTLINE_TEST_PASSPHRASE' }),
        // Nothing listens on .60: a host that cannot be reached, for partial fan-out results.
        {
          name: 'down',
          address: '127.0.0.60',
          port: h1.port,
          user: f.user,
          keyPath: f.keyPath,
          hostKeys: [f.hostKeyFingerprint],
          labels: ['web'],
        },
        ssh(h1, ['wrongkey'], { name: 'impostor', hostKeys: [f.otherFingerprint] }),
      ],
      catalog: [
        {
          id: 'echo-arg',
          description: 'prints its argument',
          argv: ['printf', '<%s>\\n', '{{value}}'],
          params: { value: { type: 'pattern', pattern: '.*', maxLength: 1024 } },
        },
        { id: 'sleep-long', description: 'sleeps', argv: ['sleep', '313'], timeoutSeconds: 1 },
        {
          id: 'sleep-stubborn',
          description: 'sleeps through SIGTERM',
          argv: ['sh', '-c', "trap '' TERM; sleep 314"],
          timeoutSeconds: 1,
        },
        {
          id: 'flood',
          description: 'endless output',
          argv: ['yes', 'faultline flood'],
          maxOutputBytes: 65_536,
        },
        {
          id: 'secrets',
          description: 'prints secrets',
          argv: ['printf', 'API_TOKEN=hunter2\\n\\033[31mred\\033[0m\\n'],
        },
      ],
      pool: { killAfterSeconds: 1 },
    };
    audit = new MemoryAuditLog();
    service = new DiagnosticsService({
      diagnostics: diagnosticsConfigSchema.parse(config),
      policy: everyone,
      baseDir: '/',
      audit,
      env: { FAULTLINE_TEST_PASSPHRASE: f.passphrase },
    });
  });

  afterAll(async () => {
    await service?.close();
    await f?.stop();
  });

  it('runs a built-in diagnostic and audits it with the verified host key', async () => {
    const out = await service.request({ ...who, catalogId: 'uptime', host: 'sshd-1' });
    expect(out.status).toBe('ran');
    if (out.status !== 'ran') return;
    const r = out.results[0];
    expect(r).toMatchObject({ host: 'sshd-1', status: 'ok', exitCode: 0, timedOut: false, truncated: false });
    expect(r?.text).toMatch(/load average/);
    const result = audit.records.find((x) => x.event === 'result' && x.requestId === out.requestId);
    expect(result).toMatchObject({
      fingerprint: f.hostKeyFingerprint,
      command: `'timeout' '-k' '1s' '20s' 'uptime'`,
      exitCode: 0,
    });
  });

  it.each(HOSTILE)(
    'hostile value %s is refused or arrives as exactly one literal argument',
    async (name, value) => {
      const out = await service.request({ ...who, catalogId: 'echo-arg', host: 'sshd-1', params: { value } });
      if (ALWAYS_REJECTED.has(name) || value.length > 1024) {
        expect(out.status).toBe('invalid');
        return;
      }
      expect(out.status).toBe('ran');
      if (out.status !== 'ran') return;
      expect(out.results[0]?.exitCode).toBe(0);
      expect(out.results[0]?.full).toBe(`<${value}>\n`);
    },
  );

  it('passes arbitrary printable strings through the remote shell unchanged', async () => {
    const cfg = diagnosticsConfigSchema.parse(config);
    const ex = new SshExecutor(cfg.hosts[0] as SshHostConfig, cfg.pool, '/');
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => {
            try {
              assertSafeArgument(s);
              return true;
            } catch {
              return false;
            }
          }),
          async (s) => {
            const r = await ex.run({ argv: ['printf', '%s', s], timeoutSeconds: 10, maxOutputBytes: 4096 });
            expect(r.output.toString('utf8')).toBe(s);
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      await ex.close();
    }
  });

  it('tls-check reads the certificate of a TLS server through the remote openssl', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '30',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        path.join(dir, 'c.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = tls.createServer(
      { key: readFileSync(path.join(dir, 'k.pem')), cert: readFileSync(path.join(dir, 'c.pem')) },
      (s) => s.end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.address() as AddressInfo).port;
      const out = await service.request({
        ...who,
        catalogId: 'tls-check',
        host: 'sshd-1',
        params: { host: 'localhost', port },
      });
      if (out.status !== 'ran') throw new Error(out.status);
      const r = out.results[0];
      // s_client only returns once its stdin is closed, so finishing at all shows the channel sent EOF.
      expect(r?.timedOut).toBe(false);
      expect(r?.full).toMatch(/^#0 subject: CN=localhost$/m);
      expect(r?.full).toMatch(/expires in (29|30) days/);
    } finally {
      server.close();
    }
  });

  it('http-probe reports the status of a URL', async () => {
    const server = http.createServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (server.address() as AddressInfo).port;
      const out = await service.request({
        ...who,
        catalogId: 'http-probe',
        host: 'sshd-2',
        params: { url: `http://127.0.0.1:${port}/health?x=1` },
      });
      expect(out).toMatchObject({
        status: 'ran',
        results: [{ status: 'ok', full: expect.stringMatching(/^status=204 remote=127\.0\.0\.1:\d+ /) }],
      });
    } finally {
      server.close();
    }
  });

  it('fans out by label with partial results when a host is down', async () => {
    const out = await service.request({ ...who, catalogId: 'free-mem', label: 'web' });
    expect(out.status).toBe('ran');
    if (out.status !== 'ran') return;
    const byHost = Object.fromEntries(out.results.map((r) => [r.host, r]));
    expect(byHost['sshd-1']?.status).toBe('ok');
    expect(byHost['sshd-2']?.status).toBe('ok');
    expect(byHost.down?.status).toBe('error');
    expect(byHost.down?.error).toMatch(/cannot connect to down/);
    expect(byHost['sshd-1']?.text).toMatch(/Mem:/);
  });

  it('uses a passphrase-protected key with the passphrase from the environment', async () => {
    const out = await service.request({ ...who, catalogId: 'uptime', host: 'sshd-3' });
    expect(out).toMatchObject({ status: 'ran', results: [{ status: 'ok' }] });
  });

  it('names the missing passphrase variable', async () => {
    const s = new DiagnosticsService({
      diagnostics: diagnosticsConfigSchema.parse(config),
      policy: everyone,
      baseDir: '/',
      audit: new MemoryAuditLog(),
      env: {},
    });
    try {
      const out = await s.request({ ...who, catalogId: 'uptime', host: 'sshd-3' });
      expect(out).toMatchObject({
        status: 'ran',
        results: [{ status: 'error', error: expect.stringMatching(/FAULTLINE_TEST_PASSPHRASE/) }],
      });
    } finally {
      await s.close();
    }
  });

  it('refuses a real server whose key is not the pinned one', async () => {
    const out = await service.request({ ...who, catalogId: 'uptime', host: 'impostor' });
    expect(out).toMatchObject({ status: 'ran', results: [{ status: 'error' }] });
    if (out.status !== 'ran') return;
    expect(out.results[0]?.error).toContain(`offered ${f.hostKeyFingerprint}`);
    expect(out.results[0]?.error).toMatch(/host key mismatch/);
  });

  it('checks every host key', async () => {
    const checks = await service.checkHosts();
    const byHost = Object.fromEntries(checks.map((c) => [c.host, c]));
    expect(byHost['sshd-1']).toMatchObject({ ok: true, fingerprint: f.hostKeyFingerprint });
    expect(byHost.impostor?.ok).toBe(false);
    expect(byHost.down?.ok).toBe(false);
  });

  it('stops a command at its timeout and leaves no process behind', async () => {
    const out = await service.request({ ...who, catalogId: 'sleep-long', host: 'sshd-2' });
    expect(out).toMatchObject({ status: 'ran', results: [{ status: 'failed', timedOut: true }] });
    await expect.poll(() => pgrep('^sleep 313$'), { timeout: 15_000, interval: 100 }).toEqual([]);
  });

  it('reports a command killed at the deadline after ignoring SIGTERM (exit 137) as timed out', async () => {
    const out = await service.request({ ...who, catalogId: 'sleep-stubborn', host: 'sshd-2' });
    expect(out).toMatchObject({ status: 'ran', results: [{ exitCode: 137, timedOut: true }] });
  });

  it('returns at once when aborted, and the server-side timeout still ends the command', async () => {
    // We signal before closing the channel (the fault-server test proves the order), but OpenSSH 9.2
    // refuses signal requests for exec sessions ("session_signal_req: no pid for session"), so on such
    // servers the `timeout -k` wrapper is what actually ends the command. This test holds on both.
    const cfg = diagnosticsConfigSchema.parse(config);
    const ex = new SshExecutor(cfg.hosts[1] as SshHostConfig, cfg.pool, '/');
    try {
      const ac = new AbortController();
      // Long enough that the abort comes first even when a loaded machine is slow to see the process start
      // (at 2 s the server-side timeout sometimes ended it before the abort, under a full CI run).
      const run = ex.run({
        argv: ['sleep', '317'],
        timeoutSeconds: 8,
        maxOutputBytes: 1024,
        signal: ac.signal,
      });
      await expect.poll(() => pgrep('^sleep 317$').length, { timeout: 15_000, interval: 50 }).toBe(1);
      ac.abort();
      const r = await run;
      expect(r.aborted).toBe(true);
      await expect.poll(() => pgrep('^sleep 317$'), { timeout: 25_000, interval: 100 }).toEqual([]);
    } finally {
      await ex.close();
    }
  }, 60_000);

  it('caps a flood of output while it streams and stops the command', async () => {
    const out = await service.request({ ...who, catalogId: 'flood', host: 'sshd-1' });
    expect(out.status).toBe('ran');
    if (out.status !== 'ran') return;
    const r = out.results[0];
    expect(r?.truncated).toBe(true);
    expect(r?.timedOut).toBe(false);
    expect(r?.full.length).toBeLessThanOrEqual(65_536);
    expect(r?.trimmed).toBe(true);
    await expect.poll(() => pgrep('^yes faultline flood$'), { timeout: 15_000, interval: 100 }).toEqual([]);
  });

  it('strips escapes and redacts secrets in what it shows', async () => {
    const out = await service.request({ ...who, catalogId: 'secrets', host: 'sshd-1' });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(out.results[0]?.full).toBe('API_TOKEN=[REDACTED]\nred\n');
  });

  it('reuses one connection per host and closes it when idle', async () => {
    const cfg = diagnosticsConfigSchema.parse({ ...config, pool: { killAfterSeconds: 1, idleCloseMs: 200 } });
    const ex = new SshExecutor(cfg.hosts[0] as SshHostConfig, cfg.pool, '/');
    const accepted = () => (f.log().match(/Accepted publickey/g) ?? []).length;
    const closedCount = () => (f.log().match(/Received disconnect|Disconnected from user/g) ?? []).length;
    const before = accepted();
    const closedBefore = closedCount();
    for (let i = 0; i < 3; i++) await ex.run({ argv: ['true'], timeoutSeconds: 5, maxOutputBytes: 1024 });
    await Promise.all(
      [1, 2, 3].map(() => ex.run({ argv: ['true'], timeoutSeconds: 5, maxOutputBytes: 1024 })),
    );
    expect(accepted() - before).toBe(1);
    await expect.poll(closedCount, { timeout: 15_000, interval: 50 }).toBeGreaterThan(closedBefore);
    await ex.close();
  });
});
