import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseGuide } from './parse.js';
import { compileSignature } from '../match/signature.js';
import { exampleLineSchema, patternLists, type Guide } from './schema.js';
import { EXAMPLES_FILE, type PasteExample } from '../match/examples.js';
import { parseJsonLines, readTextFile, type Problem } from '../util/problems.js';

export { builtinKnowledgeDir, packageRoot } from './paths.js';

export interface KnowledgeBase {
  guides: Guide[];
  problems: Problem[];
  /** Guides that a later folder replaced, by id: a team's own guide overriding a built-in one. */
  overridden: string[];
  /** Labelled real pastes from every folder's `examples.jsonl`, for the guides loaded. */
  examples: PasteExample[];
}

/**
 * Loads guide folders in order; a later folder's guide replaces an earlier one with the same id. Every
 * problem in every file is collected; a file with problems contributes no guide.
 */
export function loadKnowledge(dirs: readonly string[]): KnowledgeBase {
  const byId = new Map<string, Guide>();
  const problems: Problem[] = [];
  const overridden: string[] = [];
  const examples: { example: PasteExample; file: string; line: number }[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push({ file: dir, line: 1, message: 'knowledge folder does not exist' });
      continue;
    }
    const seenHere = new Map<string, string>();
    // A folder's README.md describes the folder; it is not a guide.
    const names = readdirSync(dir).filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md');
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const { guide, problems: fileProblems } = loadGuideFile(file);
      problems.push(...fileProblems);
      if (!guide) continue;
      const dup = seenHere.get(guide.id);
      if (dup) {
        problems.push({ file, line: 2, message: `duplicate id "${guide.id}" (also in ${dup})` });
        continue;
      }
      seenHere.set(guide.id, file);
      if (byId.has(guide.id)) overridden.push(guide.id);
      byId.set(guide.id, guide);
    }
    const file = path.join(dir, EXAMPLES_FILE);
    if (existsSync(file)) examples.push(...readExamples(file, problems));
  }
  // Checked once every folder is in: a team's example may name a built-in guide.
  const kept: PasteExample[] = [];
  for (const { example, file, line } of examples) {
    if (example.guide !== null && !byId.has(example.guide))
      problems.push({ file, line, message: `guide: no guide with id "${example.guide}" is loaded` });
    else kept.push(example);
  }
  return {
    guides: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
    problems,
    overridden,
    examples: kept,
  };
}

/** A folder's `examples.jsonl`, one JSON object a line; each bad line is a problem with its line. */
function readExamples(
  file: string,
  problems: Problem[],
): { example: PasteExample; file: string; line: number }[] {
  const read = readTextFile(file);
  if ('problem' in read) {
    problems.push(read.problem);
    return [];
  }
  return parseJsonLines(read.text, file, exampleLineSchema, problems).map(({ value, line }) => ({
    example: { guide: value.guide, words: value.words.split(' ') },
    file,
    line,
  }));
}

/**
 * One guide file, with every check a folder's file gets at load: readable UTF-8, valid front matter and
 * sections, the id its file name says, signatures the engine can run. No guide when anything is wrong.
 */
export function loadGuideFile(file: string): { guide?: Guide; problems: Problem[] } {
  const read = readTextFile(file);
  if ('problem' in read) return { problems: [read.problem] };
  const { guide, problems } = parseGuide(read.text, file);
  if (!guide) return { problems };
  const expected = path.basename(file).slice(0, -3);
  if (guide.id !== expected)
    return {
      problems: [
        ...problems,
        { file, line: 2, message: `id "${guide.id}" does not match the file name (expected "${expected}")` },
      ],
    };
  // A signature the engine cannot run safely is refused here, with its line, whether or not the
  // folder was ever linted.
  const bad = signatureProblems(guide);
  if (bad.length) return { problems: [...problems, ...bad] };
  return { guide, problems };
}

/** Signatures, hints, summaries and `unless` patterns that do not compile, or would not be safe to run, with their lines. */
export function signatureProblems(guide: Guide): Problem[] {
  const problems: Problem[] = [];
  for (const [list, lines, what] of patternLists(guide))
    list.forEach((s, i) => {
      try {
        compileSignature(s);
      } catch (e) {
        problems.push({ file: guide.source.file, line: lines[i] ?? 2, message: `${what}[${i}]: ${(e as Error).message}` });
      }
    });
  return problems;
}
