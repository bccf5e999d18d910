import { createHash } from 'node:crypto';
import {
  frontMatterSchema,
  PLACEHOLDER,
  SECTIONS,
  type FaqEntry,
  type FrontMatter,
  type Guide,
  type SectionName,
} from './schema.js';
import { errnoWordings } from './errno-wordings.js';
import { statusWordings } from './status-wordings.js';
import { parseYamlWithLines, zodProblems, type Problem } from '../util/problems.js';

export interface ParseResult {
  guide?: Guide;
  problems: Problem[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Parses one guide file. Returns every problem found in it; cross-guide checks live in lint. */
export function parseGuide(text: string, file: string): ParseResult {
  const unwritten = placeholderProblems(text, file);
  if (!unwritten.length) return parseWritten(text, file);
  return { problems: [...unwritten, ...parseWritten(text, file).problems] };
}

/** A short content hash: enough to tell two versions of one guide apart in a reply. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Each line that still holds the scaffold's placeholder. */
function placeholderProblems(text: string, file: string): Problem[] {
  if (!text.includes(PLACEHOLDER)) return [];
  const out: Problem[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (l.includes(PLACEHOLDER))
      out.push({ file, line: i + 1, message: `${PLACEHOLDER} left here: write this part of the guide` });
  });
  return out;
}

function parseWritten(text: string, file: string): ParseResult {
  const fm = FRONT_MATTER.exec(text);
  if (!fm || fm[1] === undefined) {
    return { problems: [{ file, line: 1, message: 'missing YAML front matter (a first line "---", the fields, then "---")' }] };
  }
  const parsed = parseYamlWithLines(fm[1], file, 2);
  if (parsed.problems.length) return { problems: parsed.problems };
  const result = frontMatterSchema.safeParse(parsed.value ?? {});
  const problems: Problem[] = [];
  if (!result.success) problems.push(...zodProblems(result.error, file, parsed.lineOf));

  const bodyStartLine = fm[0].split('\n').length;
  const body = text.slice(fm[0].length);
  const { sections, sectionProblems } = splitSections(body, file, bodyStartLine);
  problems.push(...sectionProblems);
  if (!result.success || sectionProblems.length) return { problems };

  const written = result.data;
  const { front, added, catalogProblems } = addCatalogWordings(written, file, parsed.lineOf);
  if (catalogProblems.length) return { problems: catalogProblems };
  // The written entries' own lines, then those of the wordings the catalogs added.
  const lineList = (key: Exclude<keyof Guide['lines'], 'translations'>) => [
    ...written[key].map((_, i) => parsed.lineOf([key, i])),
    ...(key === 'signatures' || key === 'summaries' ? added[key] : []),
  ];
  const guide: Guide = {
    ...front,
    sections,
    faq: parseFaq(sections.FAQ),
    commands: parseCommands(sections['Commands to try']),
    causes: bullets(sections['Common causes']),
    checklist: bullets(sections['Short checklist']),
    source: { file, line: 1, hash: contentHash(text) },
    lines: {
      signatures: lineList('signatures'),
      hints: lineList('hints'),
      summaries: lineList('summaries'),
      translations: added.translations,
      unless: lineList('unless'),
      examples: lineList('examples'),
      related: lineList('related'),
      diagnostics: lineList('diagnostics'),
    },
  };
  return { guide, problems };
}

type LineOf = (path: readonly PropertyKey[]) => number;

const STATUS_CATALOG = 'src/knowledge/status-wordings.ts';
const ERRNO_CATALOG_FILE = 'src/knowledge/errno-catalog.ts';

type Added = { signatures: number[]; summaries: number[]; aliases: number[]; translations: number[] };

/**
 * The front matter with the wordings its `status` and `errno` fields name added from their catalogs
 * (status-wordings.ts, errno-wordings.ts), and the line each added wording points at: its field's. A wording
 * the guide also writes itself is a problem at its line: it would count twice, and the catalog owns it.
 */
function addCatalogWordings(front: FrontMatter, file: string, lineOf: LineOf) {
  const lists = {
    signatures: [...front.signatures],
    summaries: [...front.summaries],
    aliases: [...front.aliases],
    translations: [] as string[],
  };
  const added: Added = { signatures: [], summaries: [], aliases: [], translations: [] };
  // Each added wording, lowercased, with the field that added it and the catalog it came from.
  const from = new Map<string, { field: string; catalog: string }>();
  const add = (list: keyof Added, wordings: readonly string[], field: string, catalog: string, line: number) => {
    for (const w of wordings) {
      if (from.has(w.toLowerCase())) continue;
      from.set(w.toLowerCase(), { field, catalog });
      lists[list].push(w);
      added[list].push(line);
    }
  };
  if (front.status !== undefined) {
    const { code, as } = typeof front.status === 'number' ? { code: front.status, as: 'signatures' as const } : front.status;
    const wordings = statusWordings(code);
    const line = lineOf(['status']);
    add(as, wordings.signatures, `status: ${code}`, STATUS_CATALOG, line);
    add('aliases', wordings.aliases, `status: ${code}`, STATUS_CATALOG, line);
  }
  front.errno.forEach((name, i) =>
    add('translations', errnoWordings([name]), `errno: ${name}`, ERRNO_CATALOG_FILE, lineOf(['errno', i])),
  );
  const catalogProblems: Problem[] = [];
  for (const key of ['signatures', 'summaries', 'aliases'] as const)
    front[key].forEach((w, i) => {
      const by = from.get(w.toLowerCase());
      if (by)
        catalogProblems.push({
          file,
          line: lineOf([key, i]),
          message: `${key}[${i}]: "${by.field}" already adds this wording (${by.catalog}); remove the line`,
        });
    });
  return { front: { ...front, ...lists }, added, catalogProblems };
}

function splitSections(body: string, file: string, firstLine: number) {
  const found = new Map<string, { text: string[]; line: number }>();
  const sectionProblems: Problem[] = [];
  let current: { text: string[]; line: number } | undefined;
  let inFence = false;
  body.split(/\r?\n/).forEach((raw, i) => {
    const line = firstLine + i;
    if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
    const heading = !inFence ? /^##\s+(.+?)\s*$/.exec(raw) : null;
    if (heading?.[1]) {
      const name = heading[1];
      if (!(SECTIONS as readonly string[]).includes(name)) {
        sectionProblems.push({ file, line, message: `unknown section "## ${name}" (expected one of: ${SECTIONS.join(', ')})` });
      } else if (found.has(name)) {
        sectionProblems.push({ file, line, message: `section "## ${name}" appears twice` });
      }
      current = { text: [], line };
      found.set(name, current);
      return;
    }
    current?.text.push(raw);
  });
  const sections = {} as Record<SectionName, string>;
  for (const name of SECTIONS) {
    const s = found.get(name);
    if (!s) {
      sectionProblems.push({ file, line: firstLine, message: `missing section "## ${name}"` });
      continue;
    }
    const text = s.text.join('\n').trim();
    if (!text) sectionProblems.push({ file, line: s.line, message: `section "## ${name}" is empty` });
    sections[name] = text;
  }
  return { sections, sectionProblems };
}

function parseFaq(text: string): FaqEntry[] {
  const entries: FaqEntry[] = [];
  for (const block of text.split(/^###\s+/m).slice(1)) {
    const [question = '', ...rest] = block.split('\n');
    entries.push({ question: question.trim(), answer: rest.join('\n').trim() });
  }
  return entries;
}

function parseCommands(text: string): string[] {
  const fenced = /```[^\n]*\n([\s\S]*?)```/.exec(text);
  const source = fenced?.[1] ?? text;
  return source
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function bullets(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split('\n')) {
    const start = /^\s*[-*]\s+(.*)$/.exec(line);
    if (start) items.push((start[1] ?? '').trim());
    else if (items.length && /^\s+\S/.test(line)) items[items.length - 1] += ' ' + line.trim();
  }
  return items;
}
