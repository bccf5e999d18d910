import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline } from '../cli/run.js';
import { FileKeyValueStore } from '../../src/store/file.js';

const FIRST =
  'ERROR 2026-12-01T10:00:01Z payments-api: upstream widget frobnication stalled for job 4411 on db-3.prod.internal';
const AGAIN =
  'ERROR 2025-03-09T22:11:45Z payments-api: upstream widget frobnication stalled for job 97 on 10.20.30.40';

// One knowledge cache for every process of this file: the first builds it, the rest start fast.
const CACHE = mkdtempSync(path.join(tmpdir(), 'fl-learn-cache-'));

interface Matched {
  matches: { id: string; learned?: string }[];
}

describe('the terminal learns from a correction, across processes sharing the file store', () => {
  it('no guide fits; the user says wrong and picks one; a second process answers the variant with it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-learn-'));
    const cache = { FAULTLINE_CACHE_DIR: CACHE };
    writeFileSync(path.join(dir, 'faultline.yaml'), 'store:\n  dir: state\n');
    const before = JSON.parse(faultline(['match', AGAIN], { cwd: dir, env: cache }).stdout) as Matched;
    expect(before.matches.map((m) => m.id)).not.toContain('connection-refused');

    const chat = faultline(['chat'], { cwd: dir, env: cache, input: `${FIRST}\n\n\nwrong\nnone\n` });
    expect(chat.stdout).toContain('Which guide fits this paste?');
    expect(chat.stdout).toContain('stay quiet');
    const chat2 = faultline(['chat'], { cwd: dir, env: cache, input: `${FIRST}\n\n\nwrong\n` });
    expect(chat2.stdout).toContain('Which guide fits');
    const learn = faultline(['learn', '--guide', 'connection-refused', FIRST], { cwd: dir, env: cache });
    expect(learn.stderr).toBe('');
    const learn2 = faultline(['learn', '--guide', 'connection-refused'], {
      cwd: dir,
      env: cache,
      input: FIRST,
    });
    expect(learn2.code).toBe(0);

    const after = JSON.parse(faultline(['match', AGAIN], { cwd: dir, env: cache }).stdout) as Matched;
    expect(after.matches[0]).toMatchObject({ id: 'connection-refused', learned: 'same' });

    const listed = JSON.parse(faultline(['learned', '--json'], { cwd: dir, env: cache }).stdout) as {
      learned: { id: string; verdict: string; sample: string }[];
    };
    expect(listed.learned.map((e) => e.verdict)).toEqual(['none', 'right', 'right']);
    expect(JSON.stringify(listed)).not.toContain('db-3.prod.internal');

    const gaps = JSON.parse(
      faultline(['gaps', '--since', '7d', '--json'], { cwd: dir, env: cache }).stdout,
    ) as {
      gaps: { template: string; count: number; sample: string; lastSeen: string; nearest: unknown[] }[];
    };
    expect(gaps.gaps).toHaveLength(1);
    expect(Object.keys(gaps.gaps[0] ?? {})).toEqual(['template', 'count', 'sample', 'lastSeen', 'nearest']);

    for (const e of listed.learned.filter((x) => x.verdict === 'right'))
      expect(faultline(['learned', 'remove', e.id], { cwd: dir, env: cache }).code).toBe(0);
    const removed = JSON.parse(faultline(['match', AGAIN], { cwd: dir, env: cache }).stdout) as Matched;
    expect(removed.matches.map((m) => m.id)).not.toContain('connection-refused');
  }, 180_000);

  it('refuses a correction for an unknown guide, and a missing verdict, without recording anything', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-learn-'));
    const env = { FAULTLINE_CACHE_DIR: CACHE };
    const bad = faultline(['learn', '--guide', 'no-such-guide', FIRST], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown guide "no-such-guide"');
    expect(faultline(['learn', FIRST], { cwd: dir, env }).code).toBe(2);
    expect(faultline(['learned', 'remove', 'nope'], { cwd: dir, env }).code).toBe(2);
    expect(faultline(['learned'], { cwd: dir, env }).stdout).toContain('No learned examples');
  }, 120_000);

  it('exports corrections as examples into a team copy of the guide; lint asks for a signature, then accepts it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-learn-'));
    const env = { FAULTLINE_CACHE_DIR: CACHE };
    faultline(['learn', '--guide', 'connection-refused', FIRST], { cwd: dir, env });
    const out = faultline(['learned', 'export', '--into', 'team'], { cwd: dir, env });
    expect(out.stdout).toContain('connection-refused.md: 1 example(s) added');
    const again = faultline(['learned', 'export', '--into', 'team'], { cwd: dir, env });
    expect(again.stdout).toContain('Nothing to export');
    // Beside the built-in guides, the exported example is not yet this guide's by its own evidence: the
    // review step (docs/learning.md) is to give it a signature.
    const copy = path.join(dir, 'team', 'connection-refused.md');
    const review = faultline(['lint', '--fast', path.join(dir, 'team')], { cwd: dir, env });
    expect(review.code).toBe(1);
    expect(review.stderr).toMatch(
      new RegExp(
        `${copy.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: examples\\[\\d+\\] is matched first by "[a-z0-9-]+" \\(score [0-9.]+, .*\\), not by this guide`,
      ),
    );
    writeFileSync(
      copy,
      readFileSync(copy, 'utf8').replace(/^signatures:\n/m, 'signatures:\n  - widget frobnication stalled\n'),
    );
    const lint = faultline(['lint', '--fast', path.join(dir, 'team')], { cwd: dir, env });
    expect(lint.stderr).not.toContain('not by this guide');
    expect(lint.stdout).toContain('0 problems');
  }, 120_000);

  it('a store that cannot be opened: learn, learned and gaps exit 1 saying so; match answers from the guides with a warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-learn-'));
    const env = { FAULTLINE_CACHE_DIR: CACHE };
    writeFileSync(path.join(dir, 'faultline.yaml'), 'store:\n  dir: state\n');
    // What `faultline start` does to the folder: a live process holds its lock.
    const held = new FileKeyValueStore(path.join(dir, 'state'));
    try {
      for (const args of [['learn', '--guide', 'connection-refused', FIRST], ['learned'], ['gaps']]) {
        const r = faultline(args, { cwd: dir, env });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^faultline: the store is unavailable: /);
      }
      const m = faultline(['match', 'write: broken pipe'], { cwd: dir, env });
      expect(m.code).toBe(0);
      expect(m.stderr).toContain('learned examples not applied');
      expect((JSON.parse(m.stdout) as Matched).matches[0]?.id).toBe('broken-pipe');
    } finally {
      await held.close();
    }
  }, 120_000);
});
