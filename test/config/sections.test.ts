import { describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS } from '../../adapters/terminal/front-ends.js';
import { parseConfigText } from '../../src/config/load.js';
import { ProblemsError } from '../../src/util/problems.js';

function problems(yaml: string, sections = CONFIG_SECTIONS): string[] {
  try {
    parseConfigText(yaml, 'faultline.yaml', sections);
    return [];
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
    throw e;
  }
}

describe('config sections owned by front ends', () => {
  it('each registered front end brings its own section, validated by its own schema', () => {
    const cfg = parseConfigText(
      'slack:\n  mode: http\ndiscord:\n  threads: false\n',
      'f.yaml',
      CONFIG_SECTIONS,
    );
    expect(cfg.slack).toMatchObject({ mode: 'http', port: 3000 });
    expect(cfg.discord).toMatchObject({ threads: false });
  });

  it('a bad key inside a front end section is named with file and line', () => {
    const p = problems('match:\n  threshold: 0.5\nslack:\n  mode: socket\n  prot: 3000\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^faultline\.yaml:5: .*prot/);
  });

  it('a section no registered front end owns is refused, not skipped', () => {
    expect(problems('slack:\n  mode: socket\n', {})[0]).toMatch(
      /^faultline\.yaml:\d+: unknown field "slack"/,
    );
    expect(problems('teams:\n  x: 1\n')[0]).toMatch(/^faultline\.yaml:\d+: unknown field "teams"/);
  });
});
