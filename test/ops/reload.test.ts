import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guideFile, tempDir } from '../helpers.js';
import { BIN } from '../cli/run.js';

/** Every pino JSON line of the process's stderr so far, and a wait for one that fits. */
function logsOf(child: ReturnType<typeof spawn>) {
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stderr?.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const l of parts)
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        lines.push({ msg: l });
      }
  });
  const waitFor = async (pred: (l: Record<string, unknown>) => boolean, from = 0) => {
    for (let i = 0; i < 3000; i++) {
      const found = lines.slice(from).find(pred);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`exited: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out; logs: ${JSON.stringify(lines)}`);
  };
  return { lines, waitFor };
}

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe('faultline start reloads guide folders', () => {
  it('swaps in a changed folder that lints clean, keeps the old set on a broken guide (file:line logged), reloads on SIGHUP', async () => {
    const dir = tempDir();
    const team = path.join(dir, 'team');
    mkdirSync(team);
    writeFileSync(path.join(team, 'zorblax-overload.md'), guideFile('zorblax-overload'));
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      'ops:\n  port: 0\nstore:\n  kind: memory\nknowledge: [team]\n',
    );
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', FAULTLINE_CACHE: '0' },
    });
    const logs = logsOf(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ask = async (text: string, expected: string) => {
      const from = out.length;
      child.stdin.write(`${text}\n\n`);
      for (let i = 0; i < 1500 && !out.slice(from).includes(expected); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(out.slice(from)).toContain(expected);
    };
    try {
      const { port } = (await logs.waitFor((l) => l.msg === 'operations port listening')) as { port: number };
      const metrics = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const before = metric(await metrics(), 'faultline_guides_loaded');
      expect(before).toBeGreaterThan(1);
      await ask('quasar flux inverted happened', 'No guide fits');

      // A new guide in the watched folder: linted, swapped in, answering.
      let mark = logs.lines.length;
      writeFileSync(path.join(team, 'quasar-flux-inverted.md'), guideFile('quasar-flux-inverted'));
      const ok = await logs.waitFor((l) => l.msg === 'guides reloaded', mark);
      expect(ok.guides).toBe(before + 1);
      let m = await metrics();
      expect(metric(m, 'faultline_guides_loaded')).toBe(before + 1);
      expect(metric(m, 'faultline_guide_reload_last_success')).toBe(1);
      await ask('quasar flux inverted happened', 'quasar-flux-inverted title');

      // A broken guide: every problem logged with file and line; the previous set keeps serving.
      mark = logs.lines.length;
      const broken = path.join(team, 'broken-guide.md');
      writeFileSync(broken, guideFile('broken-guide', { related: '[no-such-guide]' }));
      await logs.waitFor((l) => String(l.msg).startsWith('guide reload refused'), mark);
      const problems = logs.lines.slice(mark).filter((l) => l.msg === 'guide problem');
      expect(problems.map((p) => p.problem)).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: related: no guide`),
        ),
      );
      m = await metrics();
      expect(metric(m, 'faultline_guide_reload_last_success')).toBe(0);
      expect(metric(m, 'faultline_guide_reload_last_problems')).toBeGreaterThan(0);
      expect(metric(m, 'faultline_guides_loaded')).toBe(before + 1);
      expect(m).toMatch(/faultline_guide_reloads_total\{outcome="refused"\} [1-9]/);
      await ask('quasar flux inverted happened', 'quasar-flux-inverted title');

      // Removed while nobody watches the log: SIGHUP reloads on demand.
      child.kill('SIGHUP');
      await logs.waitFor(
        (l) => l.msg === 'guide reload refused; the previous guides keep serving' && l.reason === 'SIGHUP',
      );
      rmSync(broken);
      mark = logs.lines.length;
      await logs.waitFor((l) => l.msg === 'guides reloaded', mark);
      mark = logs.lines.length;
      child.kill('SIGHUP');
      const hup = await logs.waitFor((l) => l.msg === 'guides reloaded' && l.reason === 'SIGHUP', mark);
      expect(hup.guides).toBe(before + 1);
      expect(metric(await metrics(), 'faultline_guide_reload_last_success')).toBe(1);
    } finally {
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) =>
        child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
      );
      expect(code).toBe(0);
    }
  }, 120_000);
});
