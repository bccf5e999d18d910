/**
 * A new set of guides for a running bot: loaded from the same folders and linted as `faultline lint
 * --fast` would (the ReDoS analysis is too slow to run on a live process; the engine never needs it, see
 * docs/architecture.md). Only a set without a single problem is offered for the swap.
 */
import type { MatchConfig } from '../config/schema.js';
import { MatchEngine } from '../match/engine.js';
import type { Problem } from '../util/problems.js';
import { lintGuides } from './lint.js';
import { exampleModelFor } from './example-model.js';
import { loadKnowledge } from './load.js';
import type { LogisticExampleModel } from '../match/examples.js';
import type { Guide } from './schema.js';

export type KnowledgeBuild =
  | { ok: true; guides: readonly Guide[]; engine: MatchEngine }
  | { ok: false; problems: Problem[] };

export function buildKnowledge(
  dirs: readonly string[],
  match: MatchConfig,
  catalogIds: ReadonlySet<string>,
  /** Where a broken `examples-model.json` is reported (the model is trained instead). */
  warn: (message: string) => void,
): KnowledgeBuild {
  const kb = loadKnowledge(dirs);
  const problems = [...kb.problems, ...lintGuides(kb.guides, { catalogIds })];
  if (!kb.guides.length && !problems.length)
    problems.push({ file: dirs.join(', ') || '(none)', line: 1, message: 'no guides loaded' });
  if (problems.length) return { ok: false, problems };
  // The shipped model when the folders still match it (a reload that changed nothing of theirs), else trained
  // when a paste first asks, as at start-up without a cache.
  let model: LogisticExampleModel | undefined;
  const exampleModel = () => (model ??= exampleModelFor(dirs, kb, warn));
  return {
    ok: true,
    guides: kb.guides,
    engine: new MatchEngine(kb.guides, match, undefined, () => kb.examples, exampleModel),
  };
}
