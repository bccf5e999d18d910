import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { faultline, ROOT } from './run.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced block right after an HTML comment marker, and the marker's argument. */
function marked(name: string): { arg: string; body: string }[] {
  const re = new RegExp(`<!-- ${name}:?\\s*(.*?) -->\\n+\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``, 'g');
  return [...README.matchAll(re)].map((m) => ({ arg: m[1] ?? '', body: m[2] ?? '' }));
}

describe('the README, checked by running it', () => {
  it('the reply shown is what faultline explain prints today', () => {
    const [reply] = marked('readme-reply');
    expect(reply).toBeDefined();
    const r = faultline(['explain', reply?.arg ?? '']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd()).toBe(reply?.body);
  });

  it('the one-host config from the step-by-step loads and registers web-1', () => {
    const [config] = marked('readme-config');
    const dir = tempDir();
    mkdirSync(path.join(dir, 'keys'));
    writeFileSync(path.join(dir, 'keys/web-1'), 'not needed to list hosts\n');
    writeFileSync(path.join(dir, 'faultline.yaml'), config?.body ?? '');
    const hosts = faultline(['hosts'], { cwd: dir });
    expect(hosts.stderr).toBe('');
    expect(hosts.stdout).toContain('web-1');
    expect(hosts.stdout).toContain('faultline@10.0.4.11:22');
  });

  it('tells people to install from a clone or a packed tarball, never to run a bare npx faultline elsewhere', () => {
    expect(README).toContain('npm install -g .');
    expect(README).toContain('npm pack');
    for (const line of README.split('\n').filter((l) => /^\s*npx faultline/.test(l)))
      throw new Error(`a command line starting with npx faultline: ${line}`);
    for (const cmd of README.matchAll(/^faultline (explain|list|show|diagnostics) ?(.*?)\s*(?:#.*)?$/gm)) {
      if (cmd[1] === 'explain' && cmd[2]?.startsWith('"')) {
        const r = faultline(['explain', JSON.parse(cmd[2]) as string]);
        expect(r.code, cmd[0]).toBe(0);
      }
    }
  });
});
