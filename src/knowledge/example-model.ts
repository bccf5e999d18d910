/**
 * The example model of a knowledge base: the one its folders ship, or one trained now. Apart from the
 * loader so that a start from the knowledge cache, which needs the model but no guide parsing, loads
 * neither zod nor the guide parser (docs/architecture.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXAMPLE_MODEL_FILE, LogisticExampleModel } from '../match/examples.js';
import type { KnowledgeBase } from './load.js';

/**
 * The example model a folder ships (`examples-model.json`, written by `npm run gen:examples`) when it was
 * trained on exactly these examples and guides; undefined otherwise (a team's own examples or guides change
 * the inputs, and the caller trains one). A file that is not a model is a warning naming it, never an answer.
 */
export function shippedExampleModel(
  dirs: readonly string[],
  knowledge: Pick<KnowledgeBase, 'examples' | 'guides'>,
  warn: (message: string) => void,
): LogisticExampleModel | undefined {
  let inputs: string | undefined;
  for (const dir of dirs) {
    const file = path.join(dir, EXAMPLE_MODEL_FILE);
    if (!existsSync(file)) continue;
    try {
      const model = LogisticExampleModel.fromSnapshot(JSON.parse(readFileSync(file, 'utf8')) as unknown);
      inputs ??= LogisticExampleModel.inputsOf(knowledge.examples, knowledge.guides);
      if (model.snapshot().inputs === inputs) return model;
    } catch (e) {
      warn(`${file}: ${(e as Error).message}; training the example model instead`);
    }
  }
  return undefined;
}

/** The example model for a knowledge base: the one its folders ship for exactly it, else trained now. */
export function exampleModelFor(
  dirs: readonly string[],
  knowledge: Pick<KnowledgeBase, 'examples' | 'guides'>,
  warn: (message: string) => void,
): LogisticExampleModel {
  return (
    shippedExampleModel(dirs, knowledge, warn) ?? LogisticExampleModel.train(knowledge.examples, knowledge.guides)
  );
}
