import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buttonValue, echo, LIMITS, parseValue, renderSlack } from '../../adapters/slack/blocks.js';
import { splitText } from '../../src/reply/split.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import type { Reply } from '../../src/reply/model.js';

const ctx = { thread: 'C1/1.2' };

function guide(
  over: Partial<Extract<Reply, { kind: 'guide' }>['guide']> = {},
): Extract<Reply, { kind: 'guide' }> {
  return {
    kind: 'guide',
    guide: {
      id: 'g',
      title: 'A guide',
      summary: 'Summary.',
      meaning: 'Meaning.',
      causes: ['c1'],
      checklist: ['k1'],
      commands: [{ text: 'ss -tan', os: 'Linux' }],
      diagnose: 'Diagnose.',
      fix: 'Fix.',
      faq: [],
      related: [],
      source: { file: 'knowledge/g.md', builtin: true, hash: '0123456789ab' },
      ...over,
    },
    score: 0.9,
    evidence: { line: 1, text: 'boom', signature: undefined },
    rank: 0,
    alternatives: [],
    truncatedInput: false,
    actions: [
      { kind: 'next-match', label: 'Not this one' },
      { kind: 'feedback', verdict: 'helpful', guideId: 'g', label: 'Helpful' },
      { kind: 'feedback', verdict: 'wrong', guideId: 'g', label: 'Wrong guide' },
    ],
  };
}

function sectionTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; text?: { text: string } }[])
    .filter((b) => b.type === 'section')
    .map((b) => b.text?.text ?? '');
}

describe('Block Kit rendering within Slack limits', () => {
  it('a guide too big for one message keeps 50 blocks and 3,000-character texts, says so, and attaches the whole reply', () => {
    const checklist = Array.from({ length: 500 }, (_, i) => `step ${i}: ${'x'.repeat(90)}`);
    const msg = renderSlack(guide({ checklist }), ctx);
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    for (const t of sectionTexts(msg.blocks)) expect(t.length).toBeLessThanOrEqual(LIMITS.textObject);
    expect(JSON.stringify(msg.blocks).length).toBeLessThan(LIMITS.totalChars + 4000);
    expect(JSON.stringify(msg.blocks)).toContain('attached file');
    expect(msg.files).toHaveLength(1);
    expect(msg.files[0]?.content).toContain('step 499:');
    // The buttons survive the cut.
    expect(msg.blocks.at(-1)?.type).toBe('actions');
  });

  it('a reply that fits has no file and no note', () => {
    const msg = renderSlack(guide(), ctx);
    expect(msg.files).toEqual([]);
    expect(JSON.stringify(msg.blocks)).not.toContain('attached file');
  });

  it('a very long single line is split into several sections without losing characters', () => {
    const long = 'y'.repeat(10_000);
    const msg = renderSlack({ kind: 'text', text: long }, ctx);
    const texts = sectionTexts(msg.blocks);
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe(long);
  });

  it('a title longer than a header allows becomes a section', () => {
    const msg = renderSlack(guide({ title: 'T'.repeat(200) }), ctx);
    expect(msg.blocks.some((b) => b.type === 'header')).toBe(false);
    expect(JSON.stringify(msg.blocks)).toContain('T'.repeat(200));
  });

  it('a long diagnostic result shows its part and attaches the full output', () => {
    const full = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const reply: BotReply = {
      kind: 'diagnostic-result',
      catalogId: 'ss-summary',
      host: 'web-1',
      params: {},
      exitCode: 0,
      shown: 'line 0\nline 1\n[first 2 of 500 lines]',
      full,
      truncatedAtSource: false,
      requester: 'U1',
    };
    const msg = renderSlack(reply, ctx);
    expect(msg.files.map((f) => f.filename)).toEqual(['ss-summary-web-1.txt']);
    expect(msg.files[0]?.content).toBe(full);
  });

  it('thirty offers are split over actions blocks of at most 25 buttons with distinct action ids', () => {
    const offers = Array.from({ length: 30 }, (_, i) => ({
      catalogId: `diag-${i}`,
      description: 'd',
      hosts: ['h'],
      params: [],
      needsApproval: false,
    }));
    const msg = renderSlack({ kind: 'diagnostic-offers', guideId: 'g', offers }, ctx);
    const actions = msg.blocks.filter((b) => b.type === 'actions') as { elements: { action_id: string }[] }[];
    expect(actions.map((a) => a.elements.length)).toEqual([25, 5]);
    const ids = actions.flatMap((a) => a.elements.map((e) => e.action_id));
    expect(new Set(ids).size).toBe(30);
  });

  it('button payloads spell their keys out, and buttons posted with the old one-letter keys still work', () => {
    const v = { thread: 'C1/1.2', guide: 'g', catalog: 'ss-summary', request: 'r1' };
    expect(parseValue(buttonValue(v))).toEqual(v);
    expect(parseValue('{"t":"C1/1.2","g":"g","c":"ss-summary","r":"r1","x":"y"}')).toEqual(v);
    expect(parseValue('not json')).toEqual({});
  });

  it('echoed text cannot ping, link or break out of formatting', () => {
    const out = echo('<!channel> <!here|here> <@U123> <#C1> @everyone @here https://x.example & <b>');
    expect(out).not.toMatch(/<[!@#]/);
    expect(out).not.toMatch(/@(everyone|here)\b/);
    expect(out).not.toContain('https://');
    expect(out).toContain('&amp;');
    expect(out).not.toContain('<b>');
  });

  it('splitText: every piece fits and no character is lost', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
        const pieces = splitText(s, max);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
        expect(pieces.join('').replace(/\n/g, '')).toBe(s.replace(/\n/g, ''));
      }),
    );
  });
});
