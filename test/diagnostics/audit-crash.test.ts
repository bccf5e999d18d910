import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAuditLog } from '../../src/audit/log.js';

/*
 * The audit log must survive the bot dying mid-run. These tests run the real service, compiled to dist/ by
 * the global setup, in a child process and kill it with SIGKILL (no chance to flush anything).
 */
const root = path.resolve(__dirname, '../..');
const serviceJs = path.join(root, 'dist/src/diagnostics/service.js');

function childScript(auditFile: string, catalogId: string, killSelfAfterResult: boolean): string {
  return `
import { DiagnosticsService } from ${JSON.stringify(serviceJs)};
const service = new DiagnosticsService({
  baseDir: '/',
  diagnostics: {
    hosts: [{ name: 'here', local: true, labels: [] }],
    catalog: [{ id: 'sleep-long', description: 'sleeps', argv: ['sleep', '341'], params: {}, timeoutSeconds: 10, maxOutputBytes: 1024, keep: 'head', needsApproval: false }],
    audit: { path: ${JSON.stringify(auditFile)} },
    pool: { connectTimeoutMs: 1000, idleCloseMs: 1000, keepaliveIntervalMs: 0, keepaliveCountMax: 1, maxChannelsPerHost: 1, killAfterSeconds: 1 },
    fanoutConcurrency: 1,
    chatOutputChars: 1000,
  },
  policy: { roles: {}, approvalTtlMinutes: 5, rules: [{ effect: 'allow', users: ['*'], diagnostics: ['*'], hosts: ['*'], requireApproval: false }] },
});
const out = await service.request({ user: 'u1', platform: 'test', catalogId: ${JSON.stringify(catalogId)}, host: 'here' });
process.stdout.write('SHOWN ' + out.status + '\\n');
if (${killSelfAfterResult}) process.kill(process.pid, 'SIGKILL');
`;
}

function alive(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}

function lines(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('audit log', () => {
  it(
    'holds request and decision of a run whose process was killed mid-command',
    { timeout: 60_000 },
    async () => {
      expect(existsSync(serviceJs)).toBe(true);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-audit-'));
      const audit = path.join(dir, 'audit.jsonl');
      const script = path.join(dir, 'child.mjs');
      writeFileSync(script, childScript(audit, 'sleep-long', false));
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
      try {
        await expect
          .poll(() => lines(audit).map((l) => l.event), { timeout: 20_000, interval: 20 })
          .toEqual(['request', 'decision']);
        // The whole group: the child and the `sleep` it started.
        process.kill(-(child.pid ?? 0), 'SIGKILL');
        expect(await exited).toBe('SIGKILL');
      } catch (e) {
        throw new Error(`${String(e)}\nchild stderr: ${stderr}`);
      }
      const got = lines(audit);
      expect(got.map((l) => l.event)).toEqual(['request', 'decision']);
      expect(got[1]).toMatchObject({
        decision: 'allow',
        catalogId: 'sleep-long',
        user: 'u1',
        hosts: ['here'],
      });
      expect(readFileSync(audit, 'utf8').endsWith('\n')).toBe(true);
      // Nothing was left to stop the command but its `timeout -k` wrapper, which still ends it.
      await expect.poll(() => alive('^sleep 341$'), { timeout: 25_000, interval: 200 }).toBe(false);
    },
  );

  it('has the result line on disk before the result is shown', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-audit-'));
    const audit = path.join(dir, 'audit.jsonl');
    const script = path.join(dir, 'child.mjs');
    writeFileSync(script, childScript(audit, 'uptime', true));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_c, s) => resolve(s)),
    );
    expect(signal).toBe('SIGKILL');
    expect(stdout).toBe('SHOWN ran\n');
    const got = lines(audit);
    expect(got.map((l) => l.event)).toEqual(['request', 'decision', 'result']);
    expect(got[2]).toMatchObject({
      host: 'here',
      fingerprint: 'local',
      command: `'timeout' '-k' '1s' '20s' 'uptime'`,
      exitCode: 0,
      timedOut: false,
    });
    expect(got[2]?.outputSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('serialises concurrent appends into whole lines', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-audit-'));
    const log = new FileAuditLog(path.join(dir, 'a.jsonl'));
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        log.append({
          event: 'approval',
          requestId: `r${i}`,
          user: 'u',
          platform: 'p',
          approver: 'x'.repeat(i * 50),
          decision: 'approved',
        }),
      ),
    );
    await log.close();
    const got = lines(path.join(dir, 'a.jsonl'));
    expect(got.map((l) => l.requestId)).toEqual(Array.from({ length: 200 }, (_, i) => `r${i}`));
  });
});
