import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { lintGuides } from '../../src/knowledge/lint.js';
import { guideFile, tempDir, writeGuides } from '../helpers.js';

function problemsFor(files: Record<string, string>) {
  const dir = tempDir();
  writeGuides(dir, files);
  const kb = loadKnowledge([dir]);
  return [...kb.problems, ...lintGuides(kb.guides)].map((p) => ({ ...p, file: path.basename(p.file) }));
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
