import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guideFile, tempDir, writeGuides } from '../helpers.js';
import { faultline, ROOT } from './run.js';

/** A folder with `team/` holding `files`, and a config naming `configured` as its team folder. */
function project(files: Record<string, string>, configured: Record<string, string> = {}): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'team'));
  writeGuides(path.join(dir, 'team'), files);
  if (Object.keys(configured).length) {
    mkdirSync(path.join(dir, 'ops'));
    writeGuides(path.join(dir, 'ops'), configured);
    writeFileSync(path.join(dir, 'faultline.yaml'), 'knowledge:\n  - ./ops\n');
  }
  return dir;
}

// Each test spawns the CLI a few times, and each lint reads the built-in guides: slow on a loaded machine.
const BUILTIN_PIPE = path.join(ROOT, 'knowledge', 'broken-pipe.md');

describe('faultline lint FILE.md and DIR, against the guides they run beside', () => {
  it('lints one guide file: clean is exit 0, a problem is file:line and exit 1', () => {
    const dir = project({ 'disk-gremlins.md': guideFile('disk-gremlins') });
    const ok = faultline(['lint', '--fast', 'team/disk-gremlins.md'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('1 guide, 0 problems\n');
    expect(ok.code).toBe(0);
    writeGuides(path.join(dir, 'team'), {
      'bad.md': guideFile('bad', { signatures: '["/(x+)+y/"]' }),
      'misnamed.md': guideFile('other-name'),
    });
    const bad = faultline(['lint', '--fast', 'team/bad.md'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${path.join(dir, 'team', 'bad.md')}:5: signatures[0]`);
    const misnamed = faultline(['lint', '--fast', 'team/misnamed.md'], { cwd: dir });
    expect(misnamed.stderr).toContain(`misnamed.md:2: id "other-name" does not match the file name`);
    expect(misnamed.code).toBe(1);
  }, 120_000);

  it('refuses a file that is not a guide with exit 2', () => {
    const dir = project({});
    writeFileSync(path.join(dir, 'notes.txt'), 'hello\n');
    const r = faultline(['lint', 'notes.txt'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a guide file ends in .md');
  }, 120_000);

  it('reports an example of the linted guide that a built-in guide wins, with both ids and scores', () => {
    const dir = project({
      'pipe-gremlins.md': guideFile('pipe-gremlins', {
        examples:
          '["pipe gremlins happened", "error: pipe gremlins happened", "BrokenPipeError: [Errno 32] Broken pipe"]',
      }),
    });
    for (const target of ['team', 'team/pipe-gremlins.md']) {
      const r = faultline(['lint', '--fast', target], { cwd: dir });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `pipe-gremlins\\.md:6: examples\\[2\\] is matched first by "broken-pipe" \\(score 0\\.\\d+, ${BUILTIN_PIPE}\\), not by this guide \\(score 0\\.\\d+\\)`,
        ),
      );
    }
  }, 120_000);

  it('reports a built-in example that the linted guide now takes away, at that example', () => {
    const dir = project({
      'tcp-write-failed.md': guideFile('tcp-write-failed', {
        signatures: '["/write tcp \\\\S+: write: broken pipe/"]',
      }),
    });
    const r = faultline(['lint', '--fast', 'team'], { cwd: dir });
    expect(r.code, r.stderr).toBe(1);
    const team = path.join(dir, 'team', 'tcp-write-failed.md');
    expect(r.stderr).toMatch(
      new RegExp(
        `${BUILTIN_PIPE}:\\d+: examples\\[0\\] of "broken-pipe" is now matched first by "tcp-write-failed" \\(score 0\\.\\d+, ${team}\\), not by its own guide \\(score 0\\.\\d+\\)`,
      ),
    );
  }, 120_000);

  it('checks a folder against the configured team folders: a clashing id names both files', () => {
    const dir = project(
      { 'disk-gremlins.md': guideFile('disk-gremlins') },
      { 'disk-gremlins.md': guideFile('disk-gremlins'), 'queue-stalled.md': guideFile('queue-stalled') },
    );
    const r = faultline(['lint', '--fast', 'team'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${path.join(dir, 'team', 'disk-gremlins.md')}:2: id "disk-gremlins" is also the id of ${path.join(dir, 'ops', 'disk-gremlins.md')}`,
    );
    // Linting the configured folder itself does not compare it with itself.
    const own = faultline(['lint', '--fast', 'ops'], { cwd: dir });
    expect(own.stderr).toBe('');
    expect(own.code).toBe(0);
  }, 120_000);

  it('replacing a built-in guide by id is a note, not a problem', () => {
    const dir = project({
      'broken-pipe.md': guideFile('broken-pipe', { signatures: '["broken pipe"]' }),
    });
    const r = faultline(['lint', '--fast', 'team'], { cwd: dir });
    expect(r.stderr).toContain(
      `note: ${path.join(dir, 'team', 'broken-pipe.md')}:2: id "broken-pipe" replaces the built-in guide ${BUILTIN_PIPE}`,
    );
    expect(r.code).toBe(0);
  }, 120_000);
});

describe('faultline import: where it writes, and pages it refuses', () => {
  const SEED = path.join(ROOT, 'test/fixtures/seeds/broken-pipe.txt');

  it('writes into the first configured team folder by default', () => {
    const dir = project({}, { 'queue-stalled.md': guideFile('queue-stalled') });
    const r = faultline(['import', SEED], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SEED} -> ${path.join(dir, 'ops', 'broken-pipe.md')}\n`);
    expect(existsSync(path.join(dir, 'ops', 'broken-pipe.md'))).toBe(true);
    expect(existsSync(path.join(ROOT, 'knowledge', 'broken-pipe.md'))).toBe(true);
  }, 120_000);

  it('refuses without a team folder or --out, and never picks the built-in folder by itself', () => {
    const dir = tempDir();
    const r = faultline(['import', SEED], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'faultline: import needs a destination: pass --out DIR, or add a team folder to `knowledge:` in faultline.yaml (or --knowledge DIR)\n',
    );
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      `builtinKnowledge: false\nknowledge:\n  - ${path.join(ROOT, 'knowledge')}\n`,
    );
    const builtin = faultline(['import', SEED], { cwd: dir });
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toContain(`pass --out ${path.join(ROOT, 'knowledge')} to write there on purpose`);
  }, 120_000);

  it('refuses a page with no content with file:line and exit 2, writing nothing', () => {
    const dir = project({});
    writeFileSync(path.join(dir, 'empty.txt'), '\n   \n');
    writeFileSync(path.join(dir, 'headings.txt'), 'What it means\nCommon causes\n');
    const empty = faultline(['import', 'empty.txt', '--out', 'team'], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('empty.txt:1: the page is empty\n');
    const headings = faultline(['import', 'headings.txt', '--out', 'team'], { cwd: dir });
    expect(headings.code).toBe(2);
    expect(headings.stderr).toContain('headings.txt:1: no introduction before "What it means"');
    expect(readdirSync(path.join(dir, 'team'))).toEqual([]);
  }, 120_000);

  it('documents its input layout in --help', () => {
    const r = faultline(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Input layout');
    expect(r.stdout).toContain('Commands to try      one command a line');
  }, 120_000);
});
