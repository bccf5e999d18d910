import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guideFile, tempDir, writeGuides } from '../helpers.js';
import { BIN, faultline } from './run.js';

function teamWith(files: Record<string, string>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'team'));
  writeGuides(path.join(dir, 'team'), files);
  return dir;
}

describe('bad input and mistakes on the command line', () => {
  it('a missing guide folder is an error naming it, on the command line and in the config', () => {
    const r = faultline(['--knowledge', '/nonexistent', 'explain', 'write: broken pipe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent:1: knowledge folder does not exist');
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faultline.yaml'), 'knowledge: [./nope]\n');
    const c = faultline(['explain', 'write: broken pipe'], { cwd: dir });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`${path.join(dir, 'nope')}:1: knowledge folder does not exist`);
  });

  it('a broken team guide stops start-up with file and line; --skip-broken starts without it and names it', () => {
    const dir = teamWith({
      'good-one.md': guideFile('good-one'),
      'bad-one.md': guideFile('bad-one', { summary: '[unclosed' }),
    });
    const r = faultline(['--knowledge', 'team', 'start'], { cwd: dir });
    expect(r.code).toBe(2);
    const bad = path.join(dir, 'team', 'bad-one.md');
    expect(r.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: YAML`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const skip = faultline(['--skip-broken', '--knowledge', 'team', 'chat'], {
      cwd: dir,
      input: 'good one happened\n',
    });
    expect(skip.code).toBe(0);
    expect(skip.stderr).toContain(`faultline: skipped: ${bad}:`);
    expect(skip.stdout).toContain('[good-one]');
  });

  it('a YAML syntax error names the line it is on', () => {
    const dir = teamWith({ 'bad-line.md': guideFile('bad-line', { summary: '"unclosed' }) });
    const r = faultline(['lint', '--fast', 'team'], { cwd: dir });
    const file = path.join(dir, 'team', 'bad-line.md');
    const lines = readFileSync(file, 'utf8').split('\n');
    const reported = Number(new RegExp(`${file}:(\\d+): YAML`).exec(r.stderr)?.[1]);
    expect(reported, r.stderr).toBeGreaterThan(2);
    expect(reported).toBeLessThanOrEqual(lines.length);
  });

  it('a risky regex in a team guide names its file and line at start-up', () => {
    const dir = teamWith({ 'risky.md': guideFile('risky', { signatures: '["/(a|aa)+b/"]' }) });
    const r = faultline(['--knowledge', 'team', 'explain', 'write: broken pipe'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${path.join(dir, 'team', 'risky.md')}:5: signatures[0]: regex /(a|aa)+b/ could backtrack`,
    );
  });

  it('piped into head, show, diagnostics and explain exit quietly', () => {
    for (const cmd of [`show broken-pipe`, `diagnostics`, `explain --full 'write: broken pipe'`]) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${cmd} | head -c 10 >/dev/null`], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.stderr, cmd).not.toMatch(/EPIPE|Error|\n\s+at /);
    }
  });

  it('empty input to explain says "nothing to explain", exit 2', () => {
    const r = faultline(['explain'], { input: '  \n\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to explain');
    expect(r.stdout).not.toContain('No guide fits');
  });

  it("the diagnostics table is aligned and shows each entry's description", () => {
    const lines = faultline(['diagnostics']).stdout.trim().split('\n');
    const df = lines.find((l) => l.startsWith('df-inodes '));
    expect(df).toContain('Inodes by file system');
    const col = (l: string) => l.search(/ {2}\S/);
    expect(new Set(lines.map(col)).size, 'every description starts in the same column').toBe(1);
  });

  it('SSH key errors name the key file, and an encrypted key points at passphraseEnv; the audit records the OS user', () => {
    const dir = tempDir();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', path.join(dir, 'enc')]);
    const host = (name: string, key: string) =>
      [
        `    - name: ${name}`,
        '      address: 127.0.0.1',
        '      port: 1',
        '      user: faultline',
        `      keyPath: ${key}`,
        '      hostKeys: ["SHA256:0pSWq5bY2O3T1QmZ6l9bqS3k8cWm3cGv8m0I1m5t7dE"]',
      ].join('\n');
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      [
        'terminal:',
        '  user: alice',
        'diagnostics:',
        '  hosts:',
        host('web-1', 'enc'),
        host('web-2', 'nope'),
        '  audit:',
        '    path: audit.jsonl',
        'policy:',
        '  rules:',
        '    - effect: allow',
        '      users: [alice]',
        "      diagnostics: ['*']",
        "      hosts: ['*']",
      ].join('\n'),
    );
    const enc = faultline(['run', 'uptime', '--host', 'web-1'], { cwd: dir });
    expect(enc.stdout).toContain(`the key ${path.join(dir, 'enc')} is encrypted; set passphraseEnv`);
    const missing = faultline(['run', 'uptime', '--host', 'web-2'], { cwd: dir });
    expect(missing.stdout).toContain(`the key file ${path.join(dir, 'nope')} (keyPath) does not exist`);
    const audit = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { osUser?: string; user: string });
    expect(audit[0]).toMatchObject({
      user: 'alice',
      osUser: execFileSync('id', ['-un'], { encoding: 'utf8' }).trim(),
    });
  });
});
