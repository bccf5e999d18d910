/**
 * `npm run gen:examples [-- --without FILE ...]`: writes knowledge/examples.jsonl, the built-in example
 * pastes, from the real dev corpus (test/corpus/real/dev.jsonl; the held-out test split never), and
 * knowledge/examples-model.json, the example model trained on them. `--without` leaves out the pastes of a
 * corpus file, to measure the engine on pastes its examples have not seen (docs/matching.md, "Fresh pastes").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readCorpus } from '../src/eval/evaluate.js';
import { builtinKnowledgeDir, loadKnowledge, packageRoot } from '../src/knowledge/load.js';
import {
  EXAMPLE_MODEL_FILE,
  EXAMPLES_FILE,
  LogisticExampleModel,
  renderExamples,
} from '../src/match/examples.js';
import { formatProblem, ProblemsError } from '../src/util/problems.js';

export const EXAMPLES_CORPUS = 'test/corpus/real/dev.jsonl';

function main(argv: string[]): void {
  const dir = builtinKnowledgeDir();
  const ids = new Set(loadKnowledge([dir]).guides.map((g) => g.id));
  const without = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const file = argv[i] === '--without' ? argv[++i] : undefined;
    if (!file) throw new Error(`usage: gen-examples [--without FILE]... (got ${argv[i]})`);
    // Read as a corpus file, so a bad line is named with its file and line.
    for (const l of readCorpus(file, ids)) without.add(l.text.trim());
  }
  const corpus = readCorpus(path.join(packageRoot(), EXAMPLES_CORPUS), ids);
  const kept = corpus.filter((l) => !without.has(l.text.trim()));
  const text = renderExamples(kept);
  writeFileSync(path.join(dir, EXAMPLES_FILE), text);
  process.stdout.write(
    `${path.join(path.basename(dir), EXAMPLES_FILE)}: ${text.split('\n').length - 1} examples from ${kept.length} pastes\n`,
  );
  // Trained here, once, so that no start-up trains it: read back as the loader reads it.
  const knowledge = loadKnowledge([dir]);
  const model = LogisticExampleModel.train(knowledge.examples, knowledge.guides);
  writeFileSync(path.join(dir, EXAMPLE_MODEL_FILE), JSON.stringify(model.snapshot()) + '\n');
  process.stdout.write(
    `${path.join(path.basename(dir), EXAMPLE_MODEL_FILE)}: trained on ${model.size} examples\n`,
  );
}

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ProblemsError) process.stderr.write(e.problems.map(formatProblem).join('\n') + '\n');
  else process.stderr.write(`gen-examples: ${(e as Error).message}\n`);
  process.exit(1);
}
