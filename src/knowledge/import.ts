import { stringify } from 'yaml';
import { SECTIONS, type SectionName } from './schema.js';
import { ProblemsError, type Problem } from '../util/problems.js';

import { INTRO_VERBS } from './import-layout.js';

export { IMPORT_LAYOUT } from './import-layout.js';


export interface ImportedGuide {
  id: string;
  markdown: string;
  /** Things the importer could not carry over, for the user to check. */
  warnings: string[];
}

/**
 * Converts a guide page in the seed's plain-text layout (`IMPORT_LAYOUT`) into our Markdown guide format.
 * `knownIds` are the guides that `related` may point to. A page it cannot convert is a `ProblemsError`
 * naming `file` and the line of what is missing.
 */
export function importPlainGuide(text: string, knownIds: ReadonlySet<string>, file = 'page'): ImportedGuide {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const warnings: string[] = [];
  const sections = new Map<SectionName, string[]>();
  const headingLine = new Map<SectionName, number>();
  const intro: string[] = [];
  let current: string[] = intro;
  lines.forEach((raw, i) => {
    const name = SECTIONS.find((s) => s.toLowerCase() === raw.trim().toLowerCase());
    if (name) {
      current = [];
      sections.set(name, current);
      headingLine.set(name, i + 1);
    } else current.push(raw);
  });
  const refuse = (problems: Problem[]): never => {
    throw new ProblemsError(problems);
  };
  if (!text.trim()) refuse([{ file, line: 1, message: 'the page is empty' }]);
  const introText = intro.join(' ').replace(/\s+/g, ' ').trim();
  const [firstHeading] = [...headingLine.entries()].sort((a, b) => a[1] - b[1]);
  if (!introText)
    refuse([
      {
        file,
        line: firstHeading?.[1] ?? 1,
        message: `no introduction before "${firstHeading?.[0] ?? ''}": the page must open with "<error> appears when ..."`,
      },
    ]);
  const hasText = [...sections.values()].some((body) => body.some((l) => l.trim()));
  if (!hasText)
    refuse(
      headingLine.size
        ? [...headingLine.entries()].map(([s, line]) => ({ file, line, message: `no text under "${s}"` }))
        : [{ file, line: lines.length, message: `no section: none of the headings ${SECTIONS.map((s) => `"${s}"`).join(', ')}` }],
    );
  const introLine = lines.findIndex((l) => l.trim()) + 1;
  let name: string;
  try {
    name = errorName(introText);
  } catch (e) {
    return refuse([{ file, line: introLine, message: (e as Error).message }]);
  }
  const id = slug(name);
  const title = name.charAt(0).toUpperCase() + name.slice(1);
  for (const s of SECTIONS) if (!sections.has(s)) warnings.push(`the page has no "${s}" section; it was left as "(not written yet)"`);

  const body = (s: SectionName) => (sections.get(s) ?? []).join('\n').trim();
  const commands = body('Commands to try')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const related = new Set<string>();
  for (const m of body('Related errors').matchAll(/"([^"]+)"/g)) {
    const rid = slug(m[1] ?? '');
    if (rid === id) continue;
    if (knownIds.has(rid)) related.add(rid);
    else warnings.push(`related error "${m[1]}" has no guide with id "${rid}"; it was left out of related`);
  }
  const front = {
    id,
    title,
    summary: introText,
    signatures: [name],
    aliases: [] as string[],
    tags: ['imported'],
    related: [...related],
    examples: [name, `Error: ${name}`, `${new Date(0).toISOString()} worker[1234]: ${name}`],
  };
  const md: string[] = ['---', stringify(front).trimEnd(), '---', ''];
  for (const s of SECTIONS) {
    md.push(`## ${s}`);
    let content = body(s);
    if (s === 'Commands to try') content = commands.length ? ['```', ...commands, '```'].join('\n') : '';
    if (s === 'FAQ') content = faq(content);
    if (s === 'Common causes' || s === 'Short checklist') content = content.split('\n').filter((l) => l.trim()).map((l) => (/^\s*[-*]/.test(l) ? l : `- ${l.trim()}`)).join('\n');
    if (s === 'Related errors') content = content.replace(/^Read guide$/gm, '').trim();
    md.push(content || '(not written yet)', '');
  }
  return { id, markdown: md.join('\n'), warnings };
}

/** "broken pipe appears when ..." -> "broken pipe" */
function errorName(intro: string): string {
  const m = new RegExp(`^(.+?)\\s+(?:${INTRO_VERBS.join('|')})\\b`, 'i').exec(intro);
  const name = (m?.[1] ?? intro.split(/[.:]/)[0] ?? intro).replace(/^["'`]|["'`]$/g, '').trim();
  if (!name || name.length > 80) throw new Error('cannot tell the error name from the first sentence ("<error> appears when ...")');
  return name;
}

function faq(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    out.push(t.endsWith('?') ? `### ${t}` : t);
  }
  return out.join('\n');
}

export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
