import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, ROOT } from '../cli/run.js';
import { SECTIONS } from '../../src/knowledge/schema.js';
import { scaffoldGuide, suggestSignature, titleFrom } from '../../src/knowledge/scaffold.js';

const PASTE = [
  '$ ./bin/ingest --shard 7',
  '2026-12-02T08:15:00Z ERROR widgetd[4411]: flux capacitor overheated at 1.21 GW on node-7.prod.internal',
  'password=hunter2hunter2',
].join('\n');

// One knowledge cache for every process of this file: the first builds it, the rest start fast.
const env = { FAULTLINE_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'fl-new-cache-')) };

describe('faultline new', () => {
  it('suggests a signature without the parts that change between pastes, and a title without the timestamp', () => {
    const line = PASTE.split('\n')[1]!;
    expect(suggestSignature(line)).toBe('flux capacitor overheated at');
    expect(titleFrom(line)).toBe('widgetd[4411]: flux capacitor overheated at 1.21 GW on node-7.prod.internal');
    expect(() => scaffoldGuide('Not An Id')).toThrow(/lowercase words/);
  });

  it('writes all eight sections that lint refuses by line until written, then accepts', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-new-'));
    writeFileSync(path.join(dir, 'paste.txt'), PASTE);
    writeFileSync(path.join(dir, 'faultline.yaml'), 'knowledge: [team]\n');
    // A folder the config names must exist (a missing one stops every command, so a typo is not silent).
    mkdirSync(path.join(dir, 'team'));
    const made = faultline(['new', 'flux-overheated', '--from', 'paste.txt'], { cwd: dir, env });
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const file = path.join(dir, 'team', 'flux-overheated.md');
    const text = readFileSync(file, 'utf8');
    for (const s of SECTIONS) expect(text).toContain(`\n## ${s}\n`);
    expect(text).toContain('id: flux-overheated');
    expect(text).toContain('  - "flux capacitor overheated at"');
    expect(text).toContain('flux capacitor overheated at 1.21 GW');
    expect(text).not.toContain('hunter2');

    // A scaffold is never linted clean: every unwritten part is named with its line.
    const before = faultline(['lint', '--fast', 'team'], { cwd: dir, env });
    expect(before.code).toBe(1);
    const todoLines = text.split('\n').flatMap((l, i) => (l.includes('TODO(faultline new)') ? [i + 1] : []));
    expect(todoLines.length).toBeGreaterThan(8);
    for (const n of todoLines) expect(before.stderr).toContain(`${file}:${n}:`);

    // What a writer does: the prose, and two more real pastes of the error.
    let n = 0;
    const written = text.replace(/TODO\(faultline new\): ([^"\n]*)/g, (_m, what: string) =>
      what.startsWith('another real paste')
        ? `widgetd[${++n}]: flux capacitor overheated at ${n}.5 GW on node-${n}`
        : `Written prose about ${what.replace(/[*`]/g, '')}`,
    );
    writeFileSync(file, written);
    const after = faultline(['lint', '--fast', 'team'], { cwd: dir, env });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
  }, 180_000);

  it('never writes into the built-in knowledge folder, nor over an existing file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-new-'));
    const builtin = faultline(['new', 'some-guide', '--out', path.join(ROOT, 'knowledge')], { cwd: dir, env });
    expect(builtin.code).toBe(2);
    expect(builtin.stderr).toContain('built-in knowledge folder');
    expect(faultline(['new', 'some-guide'], { cwd: dir, env }).code).toBe(0);
    const again = faultline(['new', 'some-guide'], { cwd: dir, env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists');
    expect(faultline(['new', 'x', '--from', 'missing.txt'], { cwd: dir, env }).stderr).toContain('cannot read missing.txt');
  }, 180_000);
});
