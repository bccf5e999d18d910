import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonText, pictureJson, PICTURES_COMMAND } from '../../scripts/render-reply-pictures.js';
import { ROOT } from './run.js';

describe('the README pictures of a Slack and a Discord reply', () => {
  it('were drawn from what the renderers produce today (no Chromium needed to check)', async () => {
    const now = await pictureJson();
    for (const platform of ['slack', 'discord'] as const) {
      const file = path.join('docs', 'img', `${platform}-reply.json`);
      const committed = readFileSync(path.join(ROOT, file), 'utf8');
      expect(
        jsonText(now[platform]) === committed,
        `${file} (and its picture) no longer match the ${platform} renderer's reply: run \`${PICTURES_COMMAND}\` and commit docs/img`,
      ).toBe(true);
    }
  });

  it('are shown in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/img/slack-reply.png)');
    expect(readme).toContain('](docs/img/discord-reply.png)');
  });
});
