import { MemoryAuditLog } from '../src/audit/log.js';
import { diagnosticsConfigSchema, type SshHostConfig } from '../src/diagnostics/config.js';
import { DiagnosticsService } from '../src/diagnostics/service.js';
import { SshExecutor } from '../src/diagnostics/ssh.js';
import { policyConfigSchema } from '../src/policy/schema.js';
import { startSshd, sshdUnavailableReason } from '../test/diagnostics/sshd-fixture.js';

/*
 * SSH figures against a real OpenSSH server on loopback (needs root and openssh-server, like the tests):
 * connect+run latency with a fresh connection, run latency on a pooled one, and one diagnostic fanned out
 * to 20 hosts at once against the same 20 one by one. Loopback hides network latency, so the fan-out
 * ratio here is a floor: over a real network each connection's round trips make it larger.
 */

const HOSTS = 20;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

export async function runSshBench(): Promise<void> {
  console.log('== ssh (real sshd on loopback)');
  const reason = sshdUnavailableReason();
  if (reason) {
    console.log(`skipped: ${reason}`);
    return;
  }
  const f = await startSshd({ hosts: HOSTS });
  try {
    const config = diagnosticsConfigSchema.parse({
      hosts: f.hosts.map((h) => ({
        name: h.name,
        address: h.address,
        port: h.port,
        user: f.user,
        keyPath: f.keyPath,
        hostKeys: [f.hostKeyFingerprint],
        labels: ['all'],
      })),
      fanoutConcurrency: HOSTS,
    });
    const host = config.hosts[0] as SshHostConfig;
    const spec = { argv: ['uptime'], timeoutSeconds: 10, maxOutputBytes: 4096 };

    const fresh: number[] = [];
    for (let i = 0; i < 15; i++) {
      const ex = new SshExecutor(host, config.pool, '/');
      const t = performance.now();
      await ex.run(spec);
      fresh.push(performance.now() - t);
      await ex.close();
    }
    fresh.sort((a, b) => a - b);
    const pooledEx = new SshExecutor(host, config.pool, '/');
    await pooledEx.run(spec);
    const pooled: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await pooledEx.run(spec);
      pooled.push(performance.now() - t);
    }
    await pooledEx.close();
    pooled.sort((a, b) => a - b);
    console.log(
      `connect+run (fresh connection)  p50 ${ms(pct(fresh, 50))}  p90 ${ms(pct(fresh, 90))}  (n=${fresh.length})`,
    );
    console.log(
      `run on pooled connection        p50 ${ms(pct(pooled, 50))}  p90 ${ms(pct(pooled, 90))}  (n=${pooled.length})`,
    );
    console.log(
      `pooling saves                   x${(pct(fresh, 50) / pct(pooled, 50)).toFixed(1)} per command`,
    );

    const policy = policyConfigSchema.parse({
      rules: [{ effect: 'allow', users: ['bench'], diagnostics: ['*'], labels: ['all'] }],
    });
    const fanout = async (concurrency: number): Promise<number> => {
      const svc = new DiagnosticsService({
        diagnostics: { ...config, fanoutConcurrency: concurrency },
        policy,
        baseDir: '/',
        audit: new MemoryAuditLog(),
      });
      const t = performance.now();
      const out = await svc.request({ user: 'bench', platform: 'bench', catalogId: 'uptime', label: 'all' });
      const took = performance.now() - t;
      await svc.close();
      if (out.status !== 'ran' || out.results.some((r) => r.status !== 'ok'))
        throw new Error(`fan-out failed: ${JSON.stringify(out).slice(0, 500)}`);
      return took;
    };
    const parallel: number[] = [];
    const serial: number[] = [];
    for (let i = 0; i < 3; i++) {
      serial.push(await fanout(1));
      parallel.push(await fanout(HOSTS));
    }
    serial.sort((a, b) => a - b);
    parallel.sort((a, b) => a - b);
    const s = pct(serial, 50);
    const p = pct(parallel, 50);
    console.log(`${HOSTS} hosts one by one (fresh connections)  median ${ms(s)}`);
    console.log(`${HOSTS} hosts fanned out (concurrency ${HOSTS})    median ${ms(p)}`);
    console.log(`fan-out speed-up                             x${(s / p).toFixed(1)}`);
  } finally {
    await f.stop();
  }
}
