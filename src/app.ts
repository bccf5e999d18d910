import { loadConfig, type LoadedConfig } from './config/load.js';
import type { ConfigSections } from './config/schema.js';
import { loadKnowledgeCached } from './knowledge/cache.js';
import { loadKnowledge, type KnowledgeBase } from './knowledge/load.js';
import { MatchEngine } from './match/engine.js';
import { knowledgeDirsFor, saveConfigCache } from './open.js';
import { ProblemsError } from './util/problems.js';

export interface AppOptions {
  configFile?: string;
  /** Folders given on the command line; they come after the config's folders. */
  knowledgeDirs?: string[];
  cwd?: string;
  /** The front ends' config sections (the composition root's registry); none: the core's sections only. */
  configSections?: ConfigSections;
  /** Where `FAULTLINE_<SECTION>_<KEY>` settings are read (`src/config/env.ts`); none unless given. */
  env?: NodeJS.ProcessEnv;
  /**
   * Start without the guide files (or folders) that have problems; they are in `knowledge.problems` for
   * the caller to name. Without it, any problem refuses to start: a broken team guide must not go quiet.
   */
  skipBroken?: boolean;
}

/** Everything a front end needs, built once from the config file and the command line. */
export interface AppContext extends LoadedConfig {
  knowledge: KnowledgeBase;
  engine: MatchEngine;
  knowledgeDirs: string[];
}

export function createApp(opts: AppOptions = {}): AppContext {
  const cwd = opts.cwd ?? process.cwd();
  const loaded = loadConfig(opts.configFile, cwd, opts.configSections, opts.env);
  const { config, baseDir } = loaded;
  const knowledgeDirs = knowledgeDirsFor(config, baseDir, opts.knowledgeDirs ?? [], cwd);
  const { knowledge, index, exampleModel } = loadKnowledgeCached(knowledgeDirs, loadKnowledge);
  if (knowledge.guides.length === 0) {
    throw new ProblemsError(
      knowledge.problems.length
        ? knowledge.problems
        : [{ file: knowledgeDirs.join(', ') || '(none)', line: 1, message: 'no guides loaded' }],
    );
  }
  if (knowledge.problems.length && !opts.skipBroken) throw new ProblemsError(knowledge.problems);
  const engine = new MatchEngine(
    knowledge.guides,
    config.match,
    index,
    () => knowledge.examples,
    exampleModel,
  );
  saveConfigCache(opts, loaded);
  return { ...loaded, knowledge, engine, knowledgeDirs };
}
