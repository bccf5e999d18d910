import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guideFile, tempDir, writeGuides } from '../helpers.js';
import { faultline, ROOT } from './run.js';

describe('faultline CLI, spawned as a user runs it', () => {
  it('explains an argument', () => {
    const r = faultline(['explain', 'write: broken pipe']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Broken pipe/);
    expect(r.stdout).toContain('Commands to try');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('explains standard input, and says when nothing fits', () => {
    const r = faultline(['explain'], { input: 'the weather is nice today' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No guide fits');
  });

  it('prints one JSON object with match --json', () => {
    const r = faultline(['match', '--json'], { input: '```\nBrokenPipeError: [Errno 32] Broken pipe\n```' });
    const out = JSON.parse(r.stdout) as {
      matches: {
        id: string;
        title: string;
        score: number;
        evidence: { line: number; text: string; signature?: string };
      }[];
    };
    expect(out.matches[0]).toMatchObject({
      id: 'broken-pipe',
      evidence: { line: 2, text: 'BrokenPipeError: [Errno 32] Broken pipe' },
    });
    expect(out.matches[0]?.score).toBeGreaterThan(0.5);
    expect(JSON.parse(faultline(['match', '--json', 'standup in 5']).stdout).matches).toEqual([]);
  });

  it('answers batch input line by line with --jsonl, in order, and names bad lines', () => {
    const input = [
      JSON.stringify({ text: 'EPIPE' }),
      'not json',
      JSON.stringify({ nope: 1 }),
      JSON.stringify({ text: 'lunch?' }),
    ].join('\n');
    const lines = faultline(['match', '--jsonl'], { input })
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect((lines[0]?.matches as { id: string }[])[0]?.id).toBe('broken-pipe');
    expect(lines[1]).toMatchObject({ line: 2, error: expect.stringContaining('not JSON') });
    expect(lines[2]).toMatchObject({ line: 3, error: 'no "text" string field' });
    expect(lines[3]).toMatchObject({ line: 4, matches: [] });
  });

  it('lists and shows guides', () => {
    expect(faultline(['list']).stdout).toMatch(/^broken-pipe\tBroken pipe/m);
    const show = faultline(['show', 'broken-pipe']);
    expect(show.stdout).toContain('How to fix it');
    expect(show.stdout).toContain('Why does my shell script die with exit code 141?');
    const missing = faultline(['show', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no guide with id "nope"');
  });

  it('lints a folder and reports file:line problems with exit code 1', () => {
    const dir = tempDir();
    writeGuides(dir, { 'bad.md': guideFile('bad', { signatures: '["/(x+)+y/"]' }) });
    const r = faultline(['lint', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, 'bad.md')}:5: signatures[0]`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('imports the seed page', () => {
    const out = tempDir();
    const r = faultline(['import', path.join(ROOT, 'test/fixtures/seeds/broken-pipe.txt'), '--out', out]);
    expect(r.code).toBe(0);
    expect(existsSync(path.join(out, 'broken-pipe.md'))).toBe(true);
    expect(faultline(['lint', out]).code).toBe(0);
    expect(
      faultline(['import', path.join(ROOT, 'test/fixtures/seeds/broken-pipe.txt'), '--out', out]).stderr,
    ).toContain('pass --force');
  });

  it('uses extra knowledge folders, later ones overriding by id', () => {
    const dir = tempDir();
    writeGuides(dir, { 'disk-gremlins.md': guideFile('disk-gremlins') });
    const r = faultline(['--knowledge', dir, 'match', '--json', 'disk gremlins happened']);
    expect(JSON.parse(r.stdout).matches[0].id).toBe('disk-gremlins');
  });

  it('names the file and line of a bad config, without a stack trace', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faultline.yaml'), 'match:\n  threshold: 2\n  colour: red\n');
    const r = faultline(['list'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path.join(dir, 'faultline.yaml')}:2: match.threshold`);
    expect(r.stderr).toContain(`${path.join(dir, 'faultline.yaml')}:3: match: unknown field "colour"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(faultline(['--config', 'nope.yaml', 'list'], { cwd: dir }).stderr).toContain(
      'config file does not exist',
    );
  });

  it('chats on standard input: paste, blank line, more, feedback', () => {
    const dir = tempDir();
    writeGuides(dir, { 'link-lost.md': guideFile('link-lost'), 'pipe-gone.md': guideFile('pipe-gone') });
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      'builtinKnowledge: false\nknowledge: [.]\nstore:\n  dir: state\n',
    );
    const r = faultline(['chat'], {
      cwd: dir,
      input: 'boot ok\nlink lost happened\nthen pipe gone happened\n\n\nmore\nhelpful\nmore\n',
    });
    expect(r.code).toBe(0);
    const first = r.stdout.indexOf('link-lost title');
    const second = r.stdout.indexOf('pipe-gone title');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(r.stdout).toContain('line 2: »link lost happened«');
    expect(r.stdout).toContain('Thanks, noted.');
    expect(r.stdout).toContain('No more guides fit that paste');
    const feedback = readFileSync(path.join(dir, 'state/values.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: unknown })
      .filter((r) => r.key.startsWith('feedback:'));
    expect(feedback).toHaveLength(1);
    expect(existsSync(path.join(dir, 'state/lock')), 'the lock is released at exit').toBe(false);
    expect(feedback[0]?.value).toMatchObject({
      verdict: 'helpful',
      platform: 'terminal',
      guideId: 'pipe-gone',
    });
  });

  it('refuses a cross-validation with fewer than two folds, naming the option', () => {
    const r = faultline(['eval', '--cv', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--cv: a whole number of folds, at least 2 (got "1")');
  });

  it('has --help on every command', () => {
    for (const cmd of ['explain', 'match', 'lint', 'import', 'list', 'show', 'chat', 'start', 'eval']) {
      const r = faultline([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: faultline ${cmd}`);
    }
  });
});
