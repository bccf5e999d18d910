import { describe, expect, it } from 'vitest';
import { renderSlack } from '../../adapters/slack/blocks.js';
import { renderDiscord } from '../../adapters/discord/render.js';
import { builtinKnowledgeDir } from '../../src/knowledge/paths.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { guideView, type Reply } from '../../src/reply/model.js';
import { WORDS } from '../../src/reply/words.js';

const ZWSP = '\u200b';
const knowledge = loadKnowledge([builtinKnowledgeDir()]);
const all = new Map(knowledge.guides.map((g) => [g.id, g]));

function reply(id: string, evidence = 'boom'): Extract<Reply, { kind: 'guide' }> {
  const g = all.get(id);
  if (!g) throw new Error(`no guide ${id}`);
  return {
    kind: 'guide',
    guide: guideView(g, all),
    score: 0.9,
    evidence: { line: 1, text: evidence, signature: undefined },
    rank: 0,
    alternatives: [],
    truncatedInput: false,
    actions: [],
  };
}

/** The Slack code sections that follow the Commands title, fences removed and entities decoded. */
function slackCommands(blocks: unknown[]): string {
  const texts = (blocks as { type: string; text?: { text: string } }[]).map((b) => b.text?.text ?? '');
  const at = texts.findIndex((t) => t === `*${WORDS.commands}*`);
  const out: string[] = [];
  for (const t of texts.slice(at + 1)) {
    if (!t.startsWith('```')) break;
    out.push(t.slice(3, -3));
  }
  return out.join('').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const withUrls = knowledge.guides.filter((g) => g.commands.some((c) => /https?:\/\//.test(c)));

describe("a guide's own commands stay copyable", () => {
  it('the built-in guides do have commands with URLs (else this test would check nothing)', () => {
    expect(withUrls.length).toBeGreaterThanOrEqual(10);
  });

  it('Slack: no zero-width space in any rendered command of any built-in guide', () => {
    for (const g of knowledge.guides) {
      if (!g.commands.length) continue;
      const msg = renderSlack(reply(g.id), { thread: 'C1/1.2' });
      const shown = slackCommands(msg.blocks);
      expect(shown, g.id).not.toContain(ZWSP);
      // Every URL arrives whole, ready to copy.
      for (const url of g.commands.join('\n').match(/https?:\/\/\S+/g) ?? [])
        if (!msg.files.length) expect(shown, g.id).toContain(url);
    }
  });

  it('Discord: no zero-width space in any rendered command of any built-in guide', () => {
    for (const g of withUrls) {
      const msg = renderDiscord(reply(g.id), 'thread');
      const field = msg.embeds[0]?.fields?.find((f) => f.name === WORDS.commands);
      expect(field?.value, g.id).toBeDefined();
      expect(field?.value, g.id).not.toContain(ZWSP);
    }
  });

  it('a pasted @channel, mention or link in the evidence and in diagnostic output is still neutralised', () => {
    const paste = '<!channel> @here see https://evil.example/x';
    const id = withUrls[0]!.id;
    const slack = JSON.stringify(renderSlack(reply(id, paste), { thread: 'C1/1.2' }).blocks);
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain(`@${ZWSP}here`);
    expect(slack).toContain(`https:${ZWSP}//evil.example`);
    const discord = JSON.stringify(renderDiscord(reply(id, paste), 'thread').embeds);
    expect(discord).toContain(`@${ZWSP}here`);
    expect(discord).toContain(`https:${ZWSP}//evil.example`);

    const output = {
      kind: 'diagnostic-result' as const,
      catalogId: 'http-check',
      host: 'web-1',
      params: {},
      requester: 'U1',
      exitCode: 0,
      shown: 'GET https://evil.example/ @channel',
      truncatedAtSource: false,
    };
    const slackOut = JSON.stringify(renderSlack(output, { thread: 'C1/1.2' }).blocks);
    expect(slackOut).toContain(`https:${ZWSP}//evil.example`);
    expect(slackOut).toContain(`@${ZWSP}channel`);
    const discordOut = JSON.stringify(renderDiscord(output, 'thread'));
    expect(discordOut).toContain(`https:${ZWSP}//evil.example`);
  });
});
