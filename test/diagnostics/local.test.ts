import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/diagnostics/local.js';
import { summarizeTlsCerts } from '../../src/diagnostics/output.js';

const here = new LocalExecutor({ name: 'here', local: true, labels: [] }, 1);

function alive(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}

describe('local executor', () => {
  it('runs argv without a shell', async () => {
    const r = await here.run({
      argv: ['printf', '%s|', 'a b', '$(id)', ''],
      timeoutSeconds: 5,
      maxOutputBytes: 1024,
    });
    expect(r.output.toString()).toBe('a b|$(id)||');
    expect(r.command).toBe(`'timeout' '-k' '1s' '5s' 'printf' '%s|' 'a b' '$(id)' ''`);
    expect(r.fingerprint).toBe('local');
  });

  it('stops a command at its timeout, with anything it started', async () => {
    const r = await here.run({
      argv: ['sh', '-c', 'sleep 331 & sleep 332'],
      timeoutSeconds: 1,
      maxOutputBytes: 1024,
    });
    expect(r.timedOut).toBe(true);
    await expect.poll(() => alive('^sleep 33[12]$'), { timeout: 10_000, interval: 50 }).toBe(false);
  });

  it('reports a command that ignores SIGTERM as timed out, and its own exit 137 as not', async () => {
    const r = await here.run({
      argv: ['sh', '-c', "trap '' TERM; sleep 333"],
      timeoutSeconds: 1,
      maxOutputBytes: 1024,
    });
    expect(r.timedOut).toBe(true);
    const own = await here.run({ argv: ['sh', '-c', 'exit 137'], timeoutSeconds: 5, maxOutputBytes: 1024 });
    expect(own).toMatchObject({ exitCode: 137, timedOut: false });
  });

  it('caps a flood while it streams and stops it', async () => {
    const r = await here.run({ argv: ['yes', 'local flood'], timeoutSeconds: 20, maxOutputBytes: 10_000 });
    expect(r.truncated).toBe(true);
    expect(r.timedOut).toBe(false);
    expect(r.output.length).toBe(10_000);
  });

  it('reports a missing program as exit 127', async () => {
    const r = await here.run({
      argv: ['faultline-no-such-program'],
      timeoutSeconds: 5,
      maxOutputBytes: 1024,
    });
    expect(r.exitCode).toBe(127);
    expect(r.output.toString()).toMatch(/No such file/);
  });
});

describe('tls-check summary', () => {
  it('reads subject, issuer and days left from s_client output', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-tls-'));
    const cert = path.join(dir, 'c.pem');
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
        '/CN=probe.test',
        '-days',
        '10',
        '-keyout',
        path.join(dir, 'k.pem'),
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const pem = readFileSync(cert, 'utf8');
    const out = `CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = probe.test\n${pem}---\nNew, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384\n    Verify return code: 18 (self-signed certificate)\n`;
    const s = summarizeTlsCerts(out);
    expect(s).toMatch(/^#0 subject: CN=probe\.test$/m);
    expect(s).toMatch(/expires in (9|10) days/);
    expect(s).toMatch(/Verify return code: 18/);
    const later = summarizeTlsCerts(out, new Date(Date.now() + 20 * 86_400_000));
    expect(later).toMatch(/EXPIRED (9|10) days ago/);
  });
});
