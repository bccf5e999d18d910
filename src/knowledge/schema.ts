import { z } from 'zod';
import { ERRNO_NAMES, isErrnoName } from './errno-wordings.js';

export const GUIDE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The mark `faultline new` leaves where a person still has to write: a guide holding it is refused with
 * file and line, so a scaffold is never served, nor linted clean, before its prose is written.
 */
export const PLACEHOLDER = 'TODO(faultline new)';

/** Body sections, in the order of the seed page. */
export const SECTIONS = [
  'What it means',
  'Common causes',
  'How to diagnose it',
  'Commands to try',
  'How to fix it',
  'FAQ',
  'Short checklist',
  'Related errors',
] as const;
export type SectionName = (typeof SECTIONS)[number];

const guideId = z.string().regex(GUIDE_ID, 'must be lowercase words joined by "-"');
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A literal (case-insensitive) or `/regex/flags`. Regex safety is checked by lint, not here. */
export const signatureSchema = z.string().trim().min(2, 'a signature needs at least 2 characters');

/**
 * One line of a knowledge folder's `examples.jsonl`: a real paste reduced to its error lines' words
 * (`exampleWords` in src/match/examples.ts), the guide it belongs to (null: no guide fits) and where it came
 * from. Generated for the built-in folder by `npm run gen:examples` from the real dev corpus.
 */
export const exampleLineSchema = z
  .object({
    guide: guideId.nullable(),
    source: nonEmpty,
    words: nonEmpty,
  })
  .strict();
export type ExampleLine = z.infer<typeof exampleLineSchema>;

export const diagnosticRefSchema = z.union([
  guideId,
  z
    .object({
      id: guideId,
      params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    })
    .strict(),
]);

const statusCode = z.number().int().min(100, 'an HTTP status is 100-599').max(599, 'an HTTP status is 100-599');

/**
 * The HTTP status a guide owns: the parser adds the status wordings of src/knowledge/status-wordings.ts
 * for it, to `signatures`, or to `summaries` for a status that is only ever a wrapper of its reason.
 */
export const statusSchema = z.union(
  [statusCode, z.object({ code: statusCode, as: z.enum(['signatures', 'summaries']).default('signatures') }).strict()],
  { error: 'expected an HTTP status (429), or { code: 500, as: signatures | summaries }' },
);

/** The errno, signal and resolver messages a guide owns: the parser adds their translations (errno-wordings.ts). */
const errnoName = z.string().refine(isErrnoName, { message: `not a message of the errno catalog (one of: ${ERRNO_NAMES.join(', ')})` });

export const frontMatterSchema = z
  .object({
    id: guideId,
    title: nonEmpty,
    summary: nonEmpty,
    signatures: z.array(signatureSchema).default([]),
    hints: z.array(signatureSchema).default([]),
    summaries: z.array(signatureSchema).default([]),
    unless: z.array(signatureSchema).default([]),
    aliases: z.array(nonEmpty).default([]),
    tags: z.array(nonEmpty).default([]),
    related: z.array(guideId).default([]),
    diagnostics: z.array(diagnosticRefSchema).default([]),
    status: statusSchema.optional(),
    errno: z.array(errnoName).default([]),
    examples: z.array(nonEmpty).min(3, 'a guide needs at least 3 examples'),
  })
  .strict()
  .refine((g) => g.signatures.length + g.summaries.length > 0 || g.status !== undefined, {
    message: 'a guide needs at least one signature (or summary)',
    path: ['signatures'],
  });

export type FrontMatter = z.infer<typeof frontMatterSchema>;
export type DiagnosticRef = z.infer<typeof diagnosticRefSchema>;

export interface FaqEntry {
  question: string;
  answer: string;
}

/** A loaded guide: front matter plus the parsed body. */
export interface Guide extends FrontMatter {
  /** Other languages' texts of the messages named in `errno`: exact evidence, none of the guide's words. */
  translations: string[];
  sections: Record<SectionName, string>;
  faq: FaqEntry[];
  /** Commands from the "Commands to try" block, one a line. */
  commands: string[];
  /** Bulleted items of these sections, for compact replies. */
  causes: string[];
  checklist: string[];
  /** Where it was read from; `hash`: the first 12 hex digits of the file's SHA-256 (which version answered). */
  source: { file: string; line: number; hash: string };
  /** Line of each front-matter signature/hint/example, so the engine and lint can point at it. */
  lines: {
    signatures: number[];
    hints: number[];
    summaries: number[];
    translations: number[];
    unless: number[];
    examples: number[]; related: number[]; diagnostics: number[] };
}

/** The front-matter lists that hold patterns the engine runs, each with its lines and its key. */
export function patternLists(g: Guide): [list: readonly string[], lines: readonly number[], key: string][] {
  return [
    [g.signatures, g.lines.signatures, 'signatures'],
    [g.hints, g.lines.hints, 'hints'],
    [g.summaries, g.lines.summaries, 'summaries'],
    [g.translations, g.lines.translations, 'translations'],
    [g.unless, g.lines.unless, 'unless'],
  ];
}
