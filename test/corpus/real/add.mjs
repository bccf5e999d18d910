// Appends new real pastes to dev.jsonl or test.jsonl by the split rule the corpus was built with
// (src/eval/threads.ts `splitOf`: by the source thread's hash, so a thread stays in one split).
// Usage: node test/corpus/real/add.mjs FILE   (FILE: one JSON paste per line; run `npm run build` first)
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const SHAPES = new Set(['line', 'log', 'trace', 'chat']);
const KEYS = ['text', 'expected', 'source', 'shape', 'query', 'lang', 'viaSignature'];

const key = (text) => text.trim().toLowerCase();

function fail(message) {
  process.stderr.write(`add.mjs: ${message}\n`);
  process.exit(1);
}

/** A module of the build (`npm run build`): the guides and the split rule have one owner, in src/. */
async function built(module) {
  const file = path.join(root, 'dist/src', module);
  if (!existsSync(file)) fail(`${path.relative(root, file)} is missing: run \`npm run build\` first`);
  return import(pathToFileURL(file).href);
}

function validate(entry, where, ids) {
  if (typeof entry.text !== 'string' || !entry.text.trim()) return `${where}: "text" must be a non-empty string`;
  if (entry.expected !== null && !ids.has(entry.expected))
    return `${where}: "expected" must be a built-in guide id or null, got ${JSON.stringify(entry.expected)}`;
  if (typeof entry.source !== 'string' || !/^(?:[a-z][a-z0-9+.-]*:\/\/\S+|[\w.-]+\/[\w.-]+#\d+)$/i.test(entry.source))
    return `${where}: "source" must be a URL or owner/repo#N, got ${JSON.stringify(entry.source)}`;
  if (!SHAPES.has(entry.shape)) return `${where}: "shape" must be one of ${[...SHAPES].join(', ')}`;
  if (typeof entry.query !== 'string' || !entry.query.trim()) return `${where}: "query" must be a non-empty string`;
  if (typeof entry.lang !== 'string') return `${where}: "lang" must be a language code`;
  const extra = Object.keys(entry).filter((k) => !KEYS.includes(k));
  if (extra.length) return `${where}: unknown field(s) ${extra.join(', ')}`;
  return undefined;
}

async function main() {
  const file = process.argv[2];
  if (!file) fail('usage: node test/corpus/real/add.mjs FILE');
  if (!existsSync(file)) fail(`${file}: no such file`);
  const { loadKnowledge, builtinKnowledgeDir } = await built('knowledge/load.js');
  const { splitOf } = await built('eval/threads.js');
  const guides = loadKnowledge([builtinKnowledgeDir()]).guides;
  const ids = new Set(guides.map((g) => g.id));
  const own = new Set(guides.flatMap((g) => [...g.examples, ...g.signatures]).map(key));
  const seen = new Set();
  for (const split of ['dev', 'test'])
    for (const line of readFileSync(path.join(here, `${split}.jsonl`), 'utf8').split('\n'))
      if (line.trim()) seen.add(key(JSON.parse(line).text));

  const added = { dev: 0, test: 0 };
  const skipped = [];
  const out = { dev: [], test: [] };
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${file}:${i + 1}`;
      let entry;
      try {
        entry = JSON.parse(line);
      } catch (e) {
        fail(`${where}: not JSON (${e.message})`);
      }
      const problem = validate(entry, where, ids);
      if (problem) fail(problem);
      const k = key(entry.text);
      if (seen.has(k) || own.has(k)) {
        skipped.push(`${where}: ${seen.has(k) ? 'already in the corpus' : "equal to a guide's example or signature"}`);
        return;
      }
      seen.add(k);
      const ordered = {};
      for (const name of KEYS) if (entry[name] !== undefined && !(name === 'viaSignature' && !entry[name])) ordered[name] = entry[name];
      const split = splitOf(entry.source);
      out[split].push(JSON.stringify(ordered));
      added[split] += 1;
    });
  for (const split of ['dev', 'test'])
    if (out[split].length) appendFileSync(path.join(here, `${split}.jsonl`), out[split].map((l) => `${l}\n`).join(''));
  for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
  process.stdout.write(`added ${added.dev} to dev, ${added.test} to test\n`);
}

await main();
