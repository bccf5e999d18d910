import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { lintGuides } from '../../src/knowledge/lint.js';
import { MatchEngine } from '../../src/match/engine.js';
import { STATUS_SIGNATURES, statusWordings } from '../../src/knowledge/status-wordings.js';
import { ERRNO_CATALOG } from '../../src/knowledge/errno-catalog.js';
import { errnoWordings } from '../../src/knowledge/errno-wordings.js';
import { guideFile, tempDir, writeGuides } from '../helpers.js';

function problemsFor(files: Record<string, string>) {
  const dir = tempDir();
  writeGuides(dir, files);
  const kb = loadKnowledge([dir]);
  return [...kb.problems, ...lintGuides(kb.guides)].map((p) => ({ ...p, file: path.basename(p.file) }));
}

/** One guide with one signature and these front-matter fields, alone in a folder, loaded. */
function loadOne(id: string, signature: string, front: Record<string, string>) {
  const dir = tempDir();
  writeGuides(dir, { [`${id}.md`]: guideFile(id, { signatures: JSON.stringify([signature]), ...front }) });
  return loadKnowledge([dir]);
}

describe('loading a folder of guides', () => {
  it('accepts a valid guide and parses its body', () => {
    const dir = tempDir();
    writeGuides(dir, { 'disk-gone.md': guideFile('disk-gone') });
    const kb = loadKnowledge([dir]);
    expect(kb.problems).toEqual([]);
    const g = kb.guides[0];
    expect(g?.id).toBe('disk-gone');
    expect(g?.faq).toEqual([{ question: 'Why?', answer: 'Because.' }]);
    expect(g?.commands).toEqual(['uptime']);
    expect(g?.causes).toEqual(['something']);
  });

  it('reports every problem at once, each with file and line', () => {
    const problems = problemsFor({
      'unknown-field.md': guideFile('unknown-field', { colour: 'red' }),
      'missing-title.md': guideFile('missing-title', { title: '' }),
      'bad-regex.md': guideFile('bad-regex', { signatures: '["bad regex happened", "/(a+)+$/"]' }),
      'bad-related.md': guideFile('bad-related', { related: '[nowhere]' }),
      'wrong-name.md': guideFile('other-id'),
      'no-front-matter.md': '# just markdown\n',
      'bad-yaml.md': guideFile('bad-yaml', { tags: '[unclosed' }),
      'no-section.md': guideFile('no-section', {}, '## What it means\ntext\n'),
      'bad-example.md': guideFile('bad-example', { examples: '["bad example happened", "bad example happened", "totally unrelated text"]' }),
      'bad-unless.md': guideFile('bad-unless', { unless: '["fine here", "/(x+)+y/"]' }),
    });
    const by = (file: string) => problems.filter((p) => p.file === file);
    expect(by('unknown-field.md')[0]).toMatchObject({ line: 7, message: expect.stringContaining('unknown field "colour"') });
    expect(by('missing-title.md')[0]?.message).toMatch(/title/);
    expect(by('bad-regex.md')[0]).toMatchObject({ line: 5, message: expect.stringContaining('backtrack catastrophically') });
    expect(by('bad-related.md')[0]).toMatchObject({ line: 7, message: 'related: no guide with id "nowhere"' });
    expect(by('wrong-name.md')[0]?.message).toMatch(/does not match the file name/);
    expect(by('no-front-matter.md')[0]).toMatchObject({ line: 1, message: expect.stringContaining('front matter') });
    expect(by('bad-yaml.md')[0]?.message).toMatch(/^YAML/);
    expect(by('no-section.md').map((p) => p.message)).toContain('missing section "## Common causes"');
    expect(by('bad-example.md')[0]).toMatchObject({ line: 6, message: expect.stringContaining('examples[2]') });
    expect(by('bad-unless.md')[0]).toMatchObject({ line: 7, message: expect.stringContaining('unless[1]: regex /(x+)+y/ could backtrack') });
  });

  it('rejects duplicate ids within a folder and lets a later folder override by id', () => {
    const builtin = tempDir();
    const team = tempDir();
    writeGuides(builtin, { 'disk-gone.md': guideFile('disk-gone'), 'other.md': guideFile('other') });
    writeGuides(team, { 'disk-gone.md': guideFile('disk-gone', { title: '"Team version"' }) });
    const kb = loadKnowledge([builtin, team]);
    expect(kb.problems).toEqual([]);
    expect(kb.overridden).toEqual(['disk-gone']);
    expect(kb.guides.find((g) => g.id === 'disk-gone')?.title).toBe('Team version');
    expect(kb.guides).toHaveLength(2);
  });

  describe('a status in front matter', () => {
    const teapot = (front: Record<string, string>) => loadOne('http-418', "I'm a teapot", front);

    it('adds the catalog wordings with the number put in, pointing at the status line', () => {
      const kb = teapot({ status: '418' });
      expect(kb.problems).toEqual([]);
      const g = kb.guides[0];
      expect(g?.signatures).toEqual(["I'm a teapot", ...statusWordings(418).signatures]);
      expect(g?.signatures).toContain('HTTP Error 418');
      expect(g?.aliases).toEqual(['http 418', '418 error']);
      // front matter lines: 1 ---, 2 id, 3 title, 4 summary, 5 signatures, 6 examples, 7 status
      expect(g?.lines.signatures).toEqual([5, ...STATUS_SIGNATURES.map(() => 7)]);
      const engine = new MatchEngine(kb.guides);
      expect(engine.match('urllib.error.HTTPError: HTTP Error 418: I refuse').matches[0]?.id).toBe('http-418');
      expect(engine.match('Der Remoteserver hat einen Fehler zurückgegeben: (418) Unbekannt.').matches[0]?.id).toBe('http-418');
      expect(engine.match('GET https://example.com/pot 419 (whatever)').matches).toEqual([]);
    });

    it('adds them to summaries when asked, so that a cause elsewhere in the paste ranks first', () => {
      const g = teapot({ status: '{ code: 418, as: summaries }' }).guides[0];
      expect(g?.summaries).toEqual(statusWordings(418).signatures);
      expect(g?.signatures).toEqual(["I'm a teapot"]);
    });

    it('refuses a wording the guide also writes itself, and a number that is not a status, with their lines', () => {
      const twice = teapot({ status: '418', aliases: '["teapot", "http 418"]' }).problems;
      expect(twice).toEqual([
        expect.objectContaining({ line: 8, message: expect.stringContaining('aliases[1]: "status: 418" already adds this wording') }),
      ]);
      const bad = teapot({ status: '4180' }).problems;
      expect(bad).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining('an HTTP status is 100-599') })]);
      const shape = teapot({ status: 'teapot' }).problems;
      expect(shape).toEqual([
        expect.objectContaining({ line: 7, message: 'status: expected an HTTP status (429), or { code: 500, as: signatures | summaries }' }),
      ]);
    });
  });

  describe('errno messages in front matter', () => {
    const gone = (front: Record<string, string>) => loadOne('no-file', 'No such file or directory', front);

    it("adds glibc's translations as exact evidence, pointing at the errno line", () => {
      const kb = gone({ errno: '[ENOENT, EACCES]' });
      expect(kb.problems).toEqual([]);
      const g = kb.guides[0];
      expect(g?.translations).toEqual(errnoWordings(['ENOENT', 'EACCES']));
      expect(g?.translations).toContain(ERRNO_CATALOG.ENOENT.translations.de);
      expect(g?.signatures).toEqual(['No such file or directory']);
      // front matter lines: 1 ---, 2 id, 3 title, 4 summary, 5 signatures, 6 examples, 7 errno
      expect(new Set(g?.lines.translations)).toEqual(new Set([7]));
      const engine = new MatchEngine(kb.guides);
      for (const paste of [
        'cat: /etc/app.conf: Datei oder Verzeichnis nicht gefunden',
        'open /srv/data: 没有那个文件或目录',
        "cp: nelze vyhodnotit '/tmp/x': Adresář nebo soubor neexistuje",
        'bash: /opt/run.sh: Permiso denegado',
      ])
        expect(engine.match(paste).matches[0]?.id, paste).toBe('no-file');
    });

    it('refuses a translation the guide also writes, and a name the catalog does not have, with their lines', () => {
      const twice = gone({ errno: '[ENOENT]', aliases: `["${ERRNO_CATALOG.ENOENT.translations.fr}"]` }).problems;
      expect(twice).toEqual([
        expect.objectContaining({ line: 8, message: expect.stringContaining('aliases[0]: "errno: ENOENT" already adds this wording') }),
      ]);
      const unknown = gone({ errno: '[ENOENT, ENOTAVAIL]' }).problems;
      expect(unknown).toEqual([
        expect.objectContaining({ line: 7, message: expect.stringContaining('not a message of the errno catalog') }),
      ]);
    });
  });

  it('names a missing folder', () => {
    const kb = loadKnowledge(['/nonexistent/faultline']);
    expect(kb.problems[0]?.message).toBe('knowledge folder does not exist');
  });

  it('reads the built-in guides without problems', () => {
    const dir = path.resolve(__dirname, '../../knowledge');
    const kb = loadKnowledge([dir]);
    expect(kb.problems).toEqual([]);
    expect(lintGuides(kb.guides)).toEqual([]);
    expect(readFileSync(path.join(dir, 'broken-pipe.md'), 'utf8')).toContain('## Short checklist');
  });
});
