import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importPlainGuide } from '../../src/knowledge/import.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import { lintGuides } from '../../src/knowledge/lint.js';

const seeds = path.resolve(__dirname, '../fixtures/seeds');
const read = (name: string) => readFileSync(path.join(seeds, name), 'utf8');

function importAndLint(name: string, known: string[]) {
  const imported = importPlainGuide(read(name), new Set(known));
  const { guide, problems } = parseGuide(imported.markdown, `${imported.id}.md`);
  expect(problems).toEqual([]);
  if (!guide) throw new Error('no guide');
  expect(lintGuides([guide], { knownIds: new Set(known) })).toEqual([]);
  return { imported, guide };
}

describe('importing plain-text guide pages', () => {
  it('turns the seed page into a guide that passes lint', () => {
    const { imported, guide } = importAndLint('broken-pipe.txt', ['connection-reset-by-peer']);
    expect(guide.id).toBe('broken-pipe');
    expect(guide.title).toBe('Broken pipe');
    expect(guide.summary).toMatch(/^broken pipe appears when your process writes/);
    expect(guide.signatures).toEqual(['broken pipe']);
    expect(guide.related).toEqual(['connection-reset-by-peer']);
    expect(guide.commands).toContain('ss -tan state established');
    expect(guide.faq[0]?.question).toBe('Is broken pipe the same as connection reset by peer?');
    expect(guide.checklist).toHaveLength(3);
    expect(imported.warnings).toEqual([]);
  });

  it('leaves out related errors that have no guide, and says so', () => {
    const { imported, guide } = importAndLint('broken-pipe.txt', []);
    expect(guide.related).toEqual([]);
    expect(imported.warnings[0]).toMatch(/connection reset by peer/);
  });

  it('imports a second page of the same layout', () => {
    const { guide } = importAndLint('too-many-redirects.txt', ['broken-pipe']);
    expect(guide.id).toBe('too-many-redirects');
    expect(guide.related).toEqual(['broken-pipe']);
    expect(guide.commands).toEqual(['curl -sSIL --max-redirs 10 https://example.com/', 'grep -R "return 301" /etc/nginx']);
    expect(guide.faq).toHaveLength(2);
  });

  it('says what is wrong with a page it cannot read', () => {
    expect(() => importPlainGuide('What it means\nnothing before it', new Set())).toThrow(/no introduction/);
  });
});
