import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { ProblemsError } from '../../src/util/problems.js';
import { guideFile, tempDir, writeGuides } from '../helpers.js';

function configProblems(bytes: string | Buffer): string {
  const dir = tempDir();
  const file = path.join(dir, 'faultline.yaml');
  writeFileSync(file, bytes);
  try {
    loadConfig(file, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ProblemsError);
    return (e as Error).message;
  }
  throw new Error('config was accepted');
}

const ALIAS_BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
  .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');

describe('hostile config and guide files', () => {
  it('refuses a config whose top level is a list', () => {
    expect(configProblems('- match\n- bot\n')).toMatch(/faultline\.yaml:1: .*expected object/);
  });

  it('refuses a config that is not UTF-8, naming the file and line', () => {
    expect(configProblems(Buffer.from('match:\n  threshold: 0.5\n# caf\xe9\n', 'latin1'))).toMatch(
      /faultline\.yaml:3: not UTF-8 text/,
    );
  });

  it('names the file of a YAML alias bomb', () => {
    expect(configProblems(ALIAS_BOMB)).toMatch(/faultline\.yaml:1: YAML: .*alias/i);
  });

  it('names a folder or a symlink loop called *.md instead of a bare EISDIR', () => {
    const dir = tempDir();
    writeGuides(dir, { 'fine.md': guideFile('fine') });
    mkdirSync(path.join(dir, 'folder.md'));
    symlinkSync(path.join(dir, 'loop.md'), path.join(dir, 'loop.md'));
    const kb = loadKnowledge([dir]);
    expect(kb.guides.map((g) => g.id)).toEqual(['fine']);
    expect(kb.problems).toEqual([
      { file: path.join(dir, 'folder.md'), line: 1, message: expect.stringContaining('not a regular file') },
      { file: path.join(dir, 'loop.md'), line: 1, message: expect.stringContaining('symbolic link loop') },
    ]);
  });

  it('fails a guide that is not UTF-8, with its file and line', () => {
    const dir = tempDir();
    const text = guideFile('latin').replace('- something', '- caf\xe9');
    writeFileSync(path.join(dir, 'latin.md'), Buffer.from(text, 'latin1'));
    const kb = loadKnowledge([dir]);
    expect(kb.guides).toEqual([]);
    expect(kb.problems).toEqual([
      { file: path.join(dir, 'latin.md'), line: expect.any(Number), message: 'not UTF-8 text' },
    ]);
    expect(kb.problems[0]?.line).toBeGreaterThan(5);
  });
});
