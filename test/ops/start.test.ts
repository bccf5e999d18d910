import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { BIN, ROOT } from '../cli/run.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

/** Reads the process's stderr (pino JSON lines) until a line with `msg` appears. */
function waitForLog(child: ReturnType<typeof spawn>, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) {
        try {
          const j = JSON.parse(line) as Record<string, unknown>;
          if (j.msg === msg) {
            child.stderr?.off('data', onData);
            resolve(j);
          }
        } catch {
          // not a complete JSON line yet
        }
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before logging "${msg}": ${buf}`)));
  });
}

describe('faultline start with the operations port', () => {
  it('serves /healthz, /readyz and /metrics counting what the terminal bot did, then exits at end of input', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faultline.yaml'), 'ops:\n  port: 0\nstore:\n  kind: memory\n');
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const starting = waitForLog(child, 'faultline starting');
    const { port } = (await waitForLog(child, 'operations port listening')) as { port: number };
    expect(await starting).toMatchObject({ version: VERSION, node: process.version });
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe(`ok faultline ${VERSION} node ${process.version}\n`);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // Two empty lines end a paste (one is part of it).
    child.stdin.write('write: broken pipe\n\n\nthe weather is lovely today\n\n\n');
    await new Promise<void>((resolve) => {
      const check = () => (out.includes('No guide fits') ? resolve() : setTimeout(check, 20));
      check();
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/faultline_matches_total\{guide="broken-pipe"\} 1/);
    expect(metrics).toMatch(/faultline_no_match_total 1/);
    expect(metrics).toContain(`faultline_build_info{version="${VERSION}",node="${process.version}"} 1`);
    expect(metrics).toMatch(/faultline_events_received_total\{platform="terminal",trigger="terminal"\} 2/);
    expect(metrics).toMatch(/faultline_match_duration_seconds_count 2/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);

    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
