import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Drives the commands as an operator would: a small program (the real CLI main is wired elsewhere) built
 * from dist/ by the global setup, run in a child process so exit codes and stderr are real.
 */
const root = path.resolve(__dirname, '../..');
const dist = (p: string) => path.join(root, 'dist', p);

function cli(config: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-cli-'));
  writeFileSync(path.join(dir, 'faultline.yaml'), config);
  const script = path.join(dir, 'cli.mjs');
  writeFileSync(
    script,
    `import { Command } from ${JSON.stringify(path.join(root, 'node_modules/commander/esm.mjs'))};
import { loadConfig } from ${JSON.stringify(dist('src/config/load.js'))};
import { registerDiagnosticsCommands } from ${JSON.stringify(dist('adapters/terminal/commands/diagnostics.js'))};
const program = new Command().name('faultline');
registerDiagnosticsCommands(program, () => loadConfig(${JSON.stringify(path.join(dir, 'faultline.yaml'))}));
await program.parseAsync(process.argv.slice(2), { from: 'user' });
`,
  );
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: dir, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const config = `
diagnostics:
  hosts:
    - { name: here, local: true, labels: [local] }
    - { name: far, address: 127.0.0.1, port: 1, user: nobody, keyPath: none, labels: [remote] }
  audit: { path: audit.jsonl }
terminal: { user: op, roles: [oncall] }
policy:
  rules:
    - { effect: allow, roles: [oncall], diagnostics: ["*"], hosts: [here] }
`;

describe('terminal commands', () => {
  it('are built', () => {
    expect(existsSync(dist('adapters/terminal/commands/diagnostics.js'))).toBe(true);
  });

  it('runs a diagnostic through the policy', () => {
    const r = cli(config, ['run', 'uptime', '--host', 'here']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^== here: ok \(exit 0, \d+ ms\)\n.*load average/s);
  });

  it('is denied where the policy says so (exit 3)', () => {
    const r = cli(config, ['run', 'uptime', '--label', 'remote']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^faultline: denied: no policy rule allows op to run uptime on far\n$/);
  });

  it.each([
    [['run', 'uptime'], /exactly one of `on HOST\[,HOST...\]`, --host HOST\[,HOST...\] or --label LABEL/],
    [['run', 'uptime', 'at', 'here'], /write `run ID on HOST\[,HOST...\]`/],
    [['run', 'uptime', '--host', 'here,ghost'], /unknown host "ghost"/],
    [['run', 'lsof-pid', '--host', 'here', '--param', 'pid=-1'], /parameter pid must be a whole number/],
    [['run', 'lsof-pid', '--host', 'here', '--param', 'pid=1', '--param', 'x=1'], /unknown parameter "x"/],
    [['run', 'uptime', '--host', 'here', '--param', 'novalue'], /expected key=value/],
    [['run', 'nope', '--host', 'here'], /unknown diagnostic "nope"/],
    [['run', 'uptime', '--host', 'ghost'], /unknown host "ghost"/],
    [['run'], /missing required argument/],
  ])('bad input %j: one line, exit 2', (args, message) => {
    const r = cli(config, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a config problem with file and line, exit 2', () => {
    const r = cli(
      'diagnostics:\n  hosts:\n    - { name: x, address: a, user: u, keyPath: k, hostKeys: [nope] }\n',
      ['hosts'],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/faultline\.yaml:3: diagnostics\.hosts\.0/);
  });

  it('lists hosts and the catalog', () => {
    const hosts = cli(config, ['hosts']);
    expect(hosts.code).toBe(0);
    expect(hosts.stdout).toMatch(/^here\s+local\s+\[local\]/m);
    expect(hosts.stdout).toMatch(/^far\s+nobody@127\.0\.0\.1:1\s+\[remote\]\s+NO PINNED KEY/m);
    const cat = cli(config, ['diagnostics']);
    expect(cat.code).toBe(0);
    expect(cat.stdout).toMatch(
      /^journalctl-unit\s+Recent journal of a systemd unit\s+journalctl --unit=\{\{unit\}\} --since=\{\{since\}\} --no-pager\s+\(unit:unit since:duration\)/m,
    );
  });

  it('checks hosts and fails when one cannot be verified', () => {
    const r = cli(config, ['hosts', 'check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ok {4}here {2}local$/m);
    expect(r.stdout).toMatch(/^FAIL {2}far /m);
  });
});
