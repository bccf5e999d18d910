import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnosticsConfigSchema, type SshHostConfig } from '../../src/diagnostics/config.js';
import { HostKeyError } from '../../src/diagnostics/executor.js';
import { SshExecutor } from '../../src/diagnostics/ssh.js';
import { sshKeyPair, startFaultServer, unquoteWords, type FaultServer } from './fault-server.js';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let server: FaultServer;
let keyPath: string;
const executors: SshExecutor[] = [];

beforeAll(async () => {
  server = await startFaultServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-fault-'));
  keyPath = path.join(dir, 'id');
  const k = sshKeyPair();
  writeFileSync(keyPath, k.private, { mode: 0o600 });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(executors.splice(0).map((e) => e.close()));
});

function executor(over: Partial<SshHostConfig> = {}, pool: Record<string, number> = {}): SshExecutor {
  const cfg = diagnosticsConfigSchema.parse({
    hosts: [
      {
        name: 'fault',
        address: server.address,
        port: server.port,
        user: 'u',
        keyPath,
        hostKeys: [server.fingerprint],
        ...over,
      },
    ],
    pool: { killAfterSeconds: 1, ...pool },
  });
  const host = cfg.hosts[0] as SshHostConfig;
  const ex = new SshExecutor(host, cfg.pool, '/');
  executors.push(ex);
  return ex;
}

const spec = (program: string, timeoutSeconds = 1, maxOutputBytes = 64 * 1024) => ({
  argv: [program],
  timeoutSeconds,
  maxOutputBytes,
});

describe('ssh executor against a faulty server', () => {
  it('runs a normal command', async () => {
    const r = await executor().run(spec('true'));
    expect(r.exitCode).toBe(0);
    expect(r.output.toString()).toBe('ok\n');
    expect(r.fingerprint).toBe(server.fingerprint);
    expect(unquoteWords(r.command)).toEqual(['timeout', '-k', '1s', '1s', 'true']);
  });

  it('signals a hanging command before closing its channel, and reports the timeout', async () => {
    const before = server.channels.length;
    const r = await executor().run(spec('hang'));
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const rec = server.channels[before];
    expect(rec?.program).toBe('hang');
    expect(rec?.signalsBeforeClose[0]).toBe('TERM');
    await expect.poll(() => rec?.closed).toBe(true);
  });

  it('stops reading a flood at the cap, without buffering it all', async () => {
    const before = server.channels.length;
    const r = await executor().run(spec('flood', 30, 100_000));
    expect(r.truncated).toBe(true);
    expect(r.output.length).toBe(100_000);
    expect(r.timedOut).toBe(false);
    const rec = server.channels[before];
    expect(rec?.signalsBeforeClose).toContain('TERM');
    await expect.poll(() => rec?.closed).toBe(true);
  });

  it('reports a dropped connection as an error, and reconnects for the next command', async () => {
    const ex = executor();
    await expect(ex.run(spec('drop', 30))).rejects.toThrow(/connection lost|not connected|closed/i);
    const r = await ex.run(spec('true'));
    expect(r.exitCode).toBe(0);
  });

  it('refuses a host key that is not pinned, naming the key it was offered', async () => {
    const other = 'SHA256:' + 'A'.repeat(43);
    const err = await executor({ hostKeys: [other] })
      .run(spec('true'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).offered).toBe(server.fingerprint);
    expect((err as Error).message).toMatch(/host key mismatch for fault/);
  });

  it('refuses a host with no pinned key and shows what to verify', async () => {
    const err = await executor({ hostKeys: [] })
      .run(spec('true'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as Error).message).toContain(server.fingerprint);
    expect((err as Error).message).toMatch(/no pinned host key/);
  });

  it('accepts any of several pinned keys (rotation)', async () => {
    const r = await executor({ hostKeys: ['SHA256:' + 'B'.repeat(43), server.fingerprint] }).run(
      spec('true'),
    );
    expect(r.exitCode).toBe(0);
  });

  it('survives a keepalive timeout after connecting (the error event has a listener)', async () => {
    // If no listener were attached, the 'error' event would crash this test process.
    const s2 = await startFaultServer();
    try {
      const cfg = diagnosticsConfigSchema.parse({
        hosts: [
          {
            name: 'stall',
            address: s2.address,
            port: s2.port,
            user: 'u',
            keyPath,
            hostKeys: [s2.fingerprint],
          },
        ],
        pool: { keepaliveIntervalMs: 100, keepaliveCountMax: 1, killAfterSeconds: 1 },
      });
      const ex = new SshExecutor(cfg.hosts[0] as SshHostConfig, cfg.pool, '/');
      executors.push(ex);
      const result = await ex.run(spec('stall', 2)).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      // Either the keepalive failure or our deadline ends it; what matters is an answer, not a crash.
      if (result.ok) expect(result.r.timedOut || result.r.exitCode === null).toBe(true);
      else expect(String(result.e)).toMatch(/connection lost|keepalive|closed/i);
    } finally {
      await s2.close();
    }
  });

  it('gives up connecting to a server that accepts TCP but never speaks SSH', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const ex = executor({ port }, { connectTimeoutMs: 300 });
      await expect(ex.run(spec('true'))).rejects.toThrow(/cannot connect to fault .*(timed out|Timed out)/);
    } finally {
      silent.close();
    }
  });

  it('keeps one connection per host across commands', async () => {
    const ex = executor();
    const before = server.connections();
    await ex.run(spec('true'));
    await Promise.all([ex.run(spec('true')), ex.run(spec('true')), ex.run(spec('true'))]);
    expect(server.connections() - before).toBe(1);
  });

  it('bounds channels per connection and still completes every command', async () => {
    const ex = executor({}, { maxChannelsPerHost: 2 });
    const before = server.channels.length;
    const results = await Promise.all(Array.from({ length: 7 }, () => ex.run(spec('true'))));
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    expect(server.channels.length - before).toBe(7);
  });
});
