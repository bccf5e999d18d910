import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_LAYOUT, importPlainGuide } from '../../src/knowledge/import.js';
import { SECTIONS } from '../../src/knowledge/schema.js';
import { formatProblem, ProblemsError } from '../../src/util/problems.js';
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

  /** The problems a refused page gets, as `file:line: message`. */
  function refused(text: string): string[] {
    try {
      importPlainGuide(text, new Set(), 'page.txt');
    } catch (e) {
      if (e instanceof ProblemsError) return e.problems.map(formatProblem);
      throw e;
    }
    throw new Error('the page was imported');
  }

  it('refuses a page with no content, naming the line of what is missing', () => {
    expect(refused('')).toEqual(['page.txt:1: the page is empty']);
    expect(refused('  \n\t\n\n')).toEqual(['page.txt:1: the page is empty']);
    expect(refused('\nWhat it means\nnothing before it')).toEqual([
      'page.txt:2: no introduction before "What it means": the page must open with "<error> appears when ..."',
    ]);
    expect(refused('disk gremlins appear\n\nWhat it means\n\nCommon causes\n  \n')).toEqual([
      'page.txt:3: no text under "What it means"',
      'page.txt:5: no text under "Common causes"',
    ]);
    expect(refused('disk gremlins appears when the disk is haunted.\nmore words\n')).toEqual([
      expect.stringMatching(/^page\.txt:3: no section: none of the headings "What it means", /),
    ]);
    expect(refused(`${'x'.repeat(90)}\nWhat it means\nsomething`)).toEqual([
      expect.stringMatching(/^page\.txt:1: cannot tell the error name/),
    ]);
  });

  it('the layout that --help prints names every section, and docs/guide-format.md quotes it', () => {
    for (const s of SECTIONS) expect(IMPORT_LAYOUT).toContain(`    ${s}`);
    const docs = readFileSync(path.resolve(__dirname, '../../docs/guide-format.md'), 'utf8');
    expect(docs).toContain(IMPORT_LAYOUT);
  });
});
