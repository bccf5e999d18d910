import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/reply/model.js';
import { renderMarkdown } from '../../src/reply/markdown.js';
import { renderTerminal } from '../../src/reply/terminal.js';
import { toDocument } from '../../src/reply/document.js';

const reply: Reply = {
  kind: 'guide',
  guide: {
    id: 'pipe-gone',
    title: 'Pipe gone',
    summary: 'The reader left; see **connection-reset-by-peer**.',
    meaning: 'm',
    causes: ['a **bold** cause'],
    checklist: ['check'],
    commands: [{ text: 'ss -tan', os: 'Linux' }],
    diagnose: 'd',
    fix: 'f',
    faq: [],
    related: [{ id: 'connection-reset-by-peer', title: 'Reset' }],
    source: { file: 'knowledge/x.md', builtin: true, hash: '0123456789ab' },
  },
  score: 0.91,
  evidence: { line: 3, text: 'write: broken pipe', signature: 'broken pipe' },
  rank: 0,
  alternatives: [{ id: 'x', title: 'X', score: 0.6 }],
  truncatedInput: true,
  actions: [],
};

describe('renderers', () => {
  it('terminal: plain text without colour, Markdown emphasis shown as text, the cut paste said', () => {
    const out = renderTerminal(reply, { color: false });
    expect(out).not.toContain('\u001b[');
    expect(out).not.toContain('**');
    expect(out).toContain('see connection-reset-by-peer.');
    expect(out).toContain('line 3: write: broken pipe');
    expect(out).toContain('$ ss -tan');
    expect(out).toContain('The paste was too large: read');
  });

  it('terminal: colours when asked', () => {
    expect(renderTerminal(reply, { color: true })).toContain('\u001b[1m');
  });

  it('markdown: score, evidence line, checklist and commands', () => {
    const out = renderMarkdown(reply);
    expect(out).toContain('_91% match; line 3:_ `write: broken pipe`');
    expect(out).toContain('- [ ] check');
    expect(out).toContain('```\nss -tan\n```');
  });

  it('"which guide fits?": numbered choices in text, one action per choice and one for none', () => {
    const choose: Reply = {
      kind: 'choose-guide',
      wrong: 'pipe-gone',
      choices: [
        { id: 'connection-reset-by-peer', title: 'Reset' },
        { id: 'x', title: 'X' },
      ],
    };
    const out = renderTerminal(choose, { color: false });
    expect(out).toContain('Which guide fits this paste?');
    expect(out).toContain('  1. Reset (connection-reset-by-peer)\n  2. X (x)');
    expect(out).toContain('a guide id, or none');
    expect(renderMarkdown(choose)).toContain('2. X (`x`)');
    expect(toDocument(choose).actions).toEqual([
      { kind: 'correct', guideId: 'connection-reset-by-peer', label: 'Reset' },
      { kind: 'correct', guideId: 'x', label: 'X' },
      { kind: 'search', label: 'Search every guide' },
      { kind: 'correct', label: 'None of these' },
    ]);
  });
});
