import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultline, ROOT } from './run.js';

const env = { FAULTLINE_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'fl-source-cache-')) };
const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

interface Result {
  matches: { id: string; source: { file: string; builtin: boolean; hash: string } }[];
}

describe('which file answered, and which version of it', () => {
  it('match --json and explain name the built-in file or the team file that overrides it, with its hash', () => {
    const builtinText = readFileSync(path.join(ROOT, 'knowledge', 'broken-pipe.md'), 'utf8');
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-source-'));
    const plain = JSON.parse(faultline(['match', 'write: broken pipe'], { cwd: dir, env }).stdout) as Result;
    expect(plain.matches[0]).toMatchObject({
      id: 'broken-pipe',
      source: { file: path.join('knowledge', 'broken-pipe.md'), builtin: true, hash: short(builtinText) },
    });
    const explained = faultline(['explain', 'write: broken pipe'], { cwd: dir, env }).stdout;
    expect(explained).toContain(`Answered by knowledge/broken-pipe.md (built-in, ${short(builtinText)})`);

    // A team folder's copy of the guide answers instead, and says so.
    mkdirSync(path.join(dir, 'team'));
    const teamText = builtinText.replace(/^title: .*$/m, 'title: "Broken pipe, as our team tells it"');
    const teamFile = path.join(dir, 'team', 'broken-pipe.md');
    writeFileSync(teamFile, teamText);
    const team = JSON.parse(
      faultline(['--knowledge', 'team', 'match', 'write: broken pipe'], { cwd: dir, env }).stdout,
    ) as Result;
    expect(team.matches[0]?.source).toEqual({ file: teamFile, builtin: false, hash: short(teamText) });
    const teamExplained = faultline(['--knowledge', 'team', 'explain', 'write: broken pipe'], {
      cwd: dir,
      env,
    });
    expect(teamExplained.stdout).toContain(`Answered by ${teamFile} (team folder, ${short(teamText)})`);
  }, 120_000);
});
