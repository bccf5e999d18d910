/**
 * `faultline new`: a guide file with the eight sections and the front matter filled where a paste allows
 * (id, title from its error line, a signature suggested from that line, the paste as the first example).
 * What only a person can write carries `PLACEHOLDER` (see there).
 */
import { looksLikeError } from '../match/errorish.js';
import { redactSecrets } from '../redact/index.js';
import { GUIDE_ID, PLACEHOLDER, SECTIONS, type SectionName } from './schema.js';

export { PLACEHOLDER };

/** The first line that reads like an error, else the first line with text. */
export function errorLine(paste: string): string | undefined {
  const lines = paste
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.find((l) => looksLikeError(l)) ?? lines[0];
}

// Parts of a line that differ between two pastes of one error: a signature must not contain them.
const VOLATILE =
  /\b\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?|\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b|\b0x[0-9a-f]+\b|\b[0-9a-f]{8,}\b|(?:[\w.-]*\/)+[\w.-]+|\b[\w-]+(?:\.[\w-]+){2,}\b|"[^"]*"|'[^']*'|\S*\d\S*/gi;

/**
 * A literal signature for an error line: its longest stretch without volatile parts (numbers, ids,
 * addresses, paths, host names, quoted values), trimmed of punctuation; undefined when nothing of at
 * least two words remains.
 */
export function suggestSignature(line: string): string | undefined {
  const stretches = line
    .split(VOLATILE)
    .map((s) => s.replace(/^[\s:;,.=()[\]{}<>|-]+|[\s:;,=([{<>|-]+$/g, '').replace(/\s+/g, ' '))
    .filter((s) => s.split(' ').length >= 2 && s.length >= 8);
  return stretches.sort((a, b) => b.length - a.length)[0];
}

/** A title from the error line: without a leading timestamp or log level, at most 100 characters. */
export function titleFrom(line: string): string {
  const t = line
    .replace(/^\[?\d{4}-\d{2}-\d{2}[T ][\d:.,]+(?:Z|[+-]\d{2}:?\d{2})?\]?\s*/i, '')
    .replace(/^\[?(?:ERROR|ERR|FATAL|CRITICAL|WARN(?:ING)?|E\d{4})\]?:?\s+/i, '')
    .trim();
  return t.length > 100 ? `${t.slice(0, 99)}…` : t;
}

const SECTION_PROMPTS: Record<SectionName, string> = {
  'What it means': 'what the error says happened, in plain words, and where it comes from.',
  'Common causes': '- the most common cause first, one a line.',
  'How to diagnose it': '- how to tell the causes apart, one step a line.',
  'Commands to try': '```\nTODO(faultline new): commands that show the cause, one a line\n```',
  'How to fix it': '- the fix for each cause.',
  FAQ: '### A question people ask about this error?\nTODO(faultline new): its answer.',
  'Short checklist': '- what to check, in order.',
  'Related errors': 'guides for errors seen before or after this one, by id in **bold**.',
};

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML. */
const q = (s: string) => JSON.stringify(s);

/**
 * The text of a new guide `id`, from an optional paste (redacted of secrets before it is written into a
 * file that will be committed). Throws on an id that is not lowercase words joined by "-".
 */
export function scaffoldGuide(id: string, paste?: string): string {
  if (!GUIDE_ID.test(id)) throw new Error(`guide id "${id}" must be lowercase words joined by "-"`);
  const clean = paste === undefined ? undefined : redactSecrets(paste).trim();
  const line = clean ? errorLine(clean) : undefined;
  const signature = line ? suggestSignature(line) : undefined;
  const todo = (what: string) => `${PLACEHOLDER}: ${what}`;
  const front = [
    '---',
    `id: ${id}`,
    `title: ${q(line ? titleFrom(line) : todo('the error as people see it, then what it means'))}`,
    `summary: ${q(todo('two or three sentences: what happened and the first thing to check'))}`,
    'signatures:',
    `  - ${q(signature ?? todo('text every paste of this error contains (literal, or /regex/flags)'))}`,
    'aliases: []',
    'tags: []',
    'related: []',
    'examples:',
    ...(clean ? [`  - ${q(clean)}`] : []),
    ...Array.from({ length: clean ? 2 : 3 }, () => `  - ${q(todo('another real paste of this error'))}`),
    '---',
  ];
  const body = SECTIONS.flatMap((name) => {
    const prompt = SECTION_PROMPTS[name];
    return ['', `## ${name}`, prompt.includes(PLACEHOLDER) ? prompt : prompt.replace(/^(- |)/, `$1${PLACEHOLDER}: `)];
  });
  return [...front, ...body, ''].join('\n');
}
