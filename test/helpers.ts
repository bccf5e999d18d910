import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { builtinKnowledgeDir, loadKnowledge } from '../src/knowledge/load.js';
import { MatchEngine } from '../src/match/engine.js';
import type { IndexableGuide } from '../src/match/match-index.js';

/** The built-in guides, an engine over them (no example pastes), and the id of its first answer to a paste. */
export function builtinEngine() {
  const guides = loadKnowledge([builtinKnowledgeDir()]).guides;
  const engine = new MatchEngine(guides);
  return { guides, engine, top: (text: string) => engine.match(text).matches[0]?.id ?? null };
}

export function guide(id: string, signatures: string[], extra: Partial<IndexableGuide> = {}): IndexableGuide {
  return {
    id,
    title: id.replace(/-/g, ' '),
    summary: `${id} summary`,
    signatures,
    hints: [],
    aliases: [],
    tags: [],
    ...extra,
  };
}

export function tempDir(prefix = 'faultline-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A complete, valid guide file, with overrides for the front matter and body. */
export function guideFile(id: string, front: Record<string, string> = {}, body?: string): string {
  const fm: Record<string, string> = {
    id,
    title: `"${id} title"`,
    summary: `"What ${id} means in one paragraph."`,
    signatures: `["${id.replace(/-/g, ' ')} happened"]`,
    examples: `["${id.replace(/-/g, ' ')} happened", "error: ${id.replace(/-/g, ' ')} happened", "12:00:01 ${id.replace(/-/g, ' ')} happened here"]`,
    ...front,
  };
  const sections =
    body ??
    [
      'What it means',
      'Common causes',
      'How to diagnose it',
      'Commands to try',
      'How to fix it',
      'FAQ',
      'Short checklist',
      'Related errors',
    ]
      .map(
        (s) =>
          `## ${s}\n${s === 'FAQ' ? '### Why?\nBecause.' : s === 'Commands to try' ? '```\nuptime\n```' : '- something'}\n`,
      )
      .join('\n');
  return `---\n${Object.entries(fm)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n\n${sections}`;
}

export function writeGuides(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}
