import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runChat } from '../../adapters/terminal/chat.js';
import { createApp } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { memoryStores } from '../../src/store/stores.js';
import { waitFor } from '../fakes/wait.js';
import { tempDir } from '../helpers.js';
import { faultline } from './run.js';

const DISK_FULL = 'OSError: [Errno 28] No space left on device: /var/lib/app/cache';

/** One host (this machine, no SSH), an audit file, and a policy for the people at this terminal. */
function configDir(rules: string): string {
  const dir = tempDir();
  writeFileSync(
    path.join(dir, 'faultline.yaml'),
    [
      'terminal:',
      '  user: alice',
      'diagnostics:',
      '  hosts:',
      '    - name: web-1',
      '      local: true',
      '  audit:',
      '    path: audit.jsonl',
      'policy:',
      '  rules:',
      rules,
    ].join('\n'),
  );
  return dir;
}

describe('diagnostics in the terminal bot', () => {
  it('offers the guide runs, runs `run ID on HOST` as a command, and audits it', () => {
    const dir = configDir(
      [
        '    - effect: allow',
        '      users: [alice]',
        "      diagnostics: ['*']",
        '      hosts: [web-1]',
      ].join('\n'),
    );
    const r = faultline(['chat'], { cwd: dir, input: `${DISK_FULL}\n\n\nrun df-inodes on web-1\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[no-space-left-on-device]');
    expect(r.stdout).toContain('Diagnostics you can run for this guide');
    expect(r.stdout).toContain('$ run df-inodes on web-1');
    // The run is a command, not a second paste: its answer is the result, not a guide.
    expect(r.stdout).toMatch(/df-inodes on web-1: exit 0/);
    expect(r.stdout).toContain('Inodes');
    const audit = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      audit.some((a) => JSON.stringify(a).includes('"alice"') && JSON.stringify(a).includes('df-inodes')),
    ).toBe(true);
  });

  it('a run that needs approval says how a second person approves; they approve from their own chat', async () => {
    const dir = configDir(
      [
        '    - effect: allow',
        '      users: [alice]',
        "      diagnostics: ['*']",
        '      hosts: [web-1]',
        '      requireApproval: true',
        '    - effect: allow',
        '      users: [bob]',
        "      diagnostics: ['*']",
        '      hosts: [web-1]',
        '      mayApprove: true',
      ].join('\n'),
    );
    const ctx = createApp({ configFile: path.join(dir, 'faultline.yaml') });
    const store = memoryStores();
    const service = DiagnosticsService.fromConfig(ctx.config, ctx.baseDir, store.approvals);
    const bot = new Bot(ctx.engine, ctx.knowledge.guides, store, ctx.config.bot, service);
    const session = (user: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let screen = '';
      output.on('data', (d: Buffer) => (screen += d.toString('utf8')));
      const done = runChat(bot, { input, output, color: false, user, idleMs: 100 });
      return { input, screen: () => screen, done };
    };
    const alice = session('alice');
    const bob = session('bob');
    try {
      alice.input.write('run df-inodes on web-1\n');
      const id = await waitFor('the approval request', () => /approve (\S+)`/.exec(alice.screen())?.[1]);
      expect(alice.screen()).toContain('Another authorised person approves with');
      alice.input.write(`approve ${id}\n`);
      await waitFor('the refusal', () => alice.screen().includes('cannot approve your own request'));
      bob.input.write(`approve ${id}\n`);
      await waitFor('the result', () => /df-inodes on web-1: exit 0/.test(bob.screen()));
      expect(bob.screen()).toContain('Approved by bob');
      const audit = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
      expect(audit).toContain('"bob"');
    } finally {
      alice.input.end();
      bob.input.end();
      await Promise.all([alice.done, bob.done]);
      await service.close();
    }
  });
});
