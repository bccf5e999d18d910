import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS } from '../../adapters/terminal/front-ends.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers.js';
import { faultline, ROOT } from './run.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('faultline as a service: version, init, settings and secrets from the environment', () => {
  it('--version prints the version from package.json', () => {
    for (const flag of ['--version', '-V']) {
      const r = faultline([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(VERSION);
    }
  });

  it('init writes a commented sample that loads with zero problems, and never overwrites without --force', () => {
    const dir = tempDir();
    const r = faultline(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    const file = path.join(dir, 'faultline.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^# /m);
    expect(text).toContain('FAULTLINE_MATCH_THRESHOLD');
    // The schema with every front end's section, exactly as `faultline start` reads it.
    const { config } = loadConfig(file, dir, CONFIG_SECTIONS);
    expect(config.match.threshold).toBe(0.5);
    expect(config.slack).toMatchObject({ mode: 'socket' });

    writeFileSync(file, 'match:\n  threshold: 0.6\n');
    const again = faultline(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('faultline.yaml exists; add --force');
    expect(readFileSync(file, 'utf8')).toBe('match:\n  threshold: 0.6\n');

    expect(faultline(['init', '--force'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(faultline(['init', '--out', 'other.yaml'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(path.join(dir, 'other.yaml'), 'utf8')).toBe(text);
    expect(faultline(['init', '--out', '-'], { cwd: dir }).stdout).toBe(text);
  });

  it('a bad setting from the environment is one line naming the variable, exit 2', () => {
    const dir = tempDir();
    const r = faultline(['list'], { cwd: dir, env: { FAULTLINE_MATCH_THRESHOLD: '2' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'FAULTLINE_MATCH_THRESHOLD: match.threshold: Too big: expected number to be <=1',
    );
    const bad = faultline(['list'], { cwd: dir, env: { FAULTLINE_OPS_PORT: 'http' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^FAULTLINE_OPS_PORT: ops\.port: .*number/);
  });

  it('a setting from the environment reaches the command, even one served from the config cache', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faultline.yaml'), 'match:\n  threshold: 0.5\n');
    const paste = 'write: broken pipe';
    expect(faultline(['explain', paste], { cwd: dir }).stdout).toMatch(/^Broken pipe/);
    // No guide can reach a threshold of 1: the variable must win over the file and the cache.
    const strict = faultline(['explain', paste], { cwd: dir, env: { FAULTLINE_MATCH_THRESHOLD: '1' } });
    expect(strict.code).toBe(0);
    expect(strict.stdout).toContain('No guide fits');
  });

  it('secrets from files: a missing file is one line naming the variable and the file, exit 2', () => {
    const dir = tempDir();
    const r = faultline(['start'], {
      cwd: dir,
      env: { SLACK_BOT_TOKEN_FILE: path.join(dir, 'nope'), SLACK_APP_TOKEN: 'xapp-1' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `faultline: SLACK_BOT_TOKEN_FILE: cannot read ${path.join(dir, 'nope')}: no such file`,
    );
  });
});
