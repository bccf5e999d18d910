/**
 * Opening the app for a one-shot command (`match`, `explain`): from the caches when they hold this config
 * and these guides, so that neither zod, yaml nor the guide parser is loaded; else `createApp`, which
 * validates everything, reports problems, and fills the caches for the next start.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AppContext, AppOptions } from './app.js';
import { configFilePath, envSettingsText } from './config/file.js';
import type { Config, ConfigSections } from './config/schema.js';
import type { LoadedConfig } from './config/load.js';
import {
  cacheDir,
  codeStamp,
  readKnowledgeCache,
  writeAtomically,
  type CacheOptions,
} from './knowledge/cache.js';
import { builtinKnowledgeDir } from './knowledge/paths.js';
import { MatchEngine } from './match/engine.js';

/** The guide folders a config and the command line ask for, in loading order. */
export function knowledgeDirsFor(
  config: Config,
  baseDir: string,
  extra: readonly string[],
  cwd: string,
): string[] {
  return [
    ...(config.builtinKnowledge ? [builtinKnowledgeDir()] : []),
    ...config.knowledge.map((d) => path.resolve(baseDir, d)),
    ...extra.map((d) => path.resolve(cwd, d)),
  ];
}

interface ConfigCacheFile {
  code: string;
  file: string;
  /** Hash of the config file's content; null when there was no file and the defaults were used. */
  content: string | null;
  loaded: LoadedConfig;
}

function configCacheFile(dir: string, file: string, explicit: boolean): string {
  const key = createHash('sha256').update(`${file}\0${explicit}`).digest('hex').slice(0, 20);
  return path.join(dir, `config-${key}.json`);
}

/** The file's content and the `FAULTLINE_*` variables, hashed: either changing means validating again. */
function fileContent(file: string, env: NodeJS.ProcessEnv = {}): string | null {
  const vars = envSettingsText(env);
  if (!existsSync(file)) return vars ? createHash('sha256').update(vars).digest('hex') : null;
  return createHash('sha256').update(readFileSync(file)).update('\0').update(vars).digest('hex');
}

/** Records a config that validated, keyed by its file and checked against its content when read back. */
export function saveConfigCache(opts: AppOptions, loaded: LoadedConfig, cache: CacheOptions = {}): void {
  const dir = cacheDir(cache.env);
  if (!dir) return;
  const file = configFilePath(opts.configFile, opts.cwd ?? process.cwd());
  const data: ConfigCacheFile = { code: codeStamp(), file, content: fileContent(file, opts.env), loaded };
  try {
    writeAtomically(configCacheFile(dir, file, opts.configFile !== undefined), JSON.stringify(data));
  } catch {
    // The knowledge cache warns about an unwritable cache folder; saying it twice helps no one.
  }
}

function readConfigCache(dir: string, opts: AppOptions): LoadedConfig | undefined {
  const file = configFilePath(opts.configFile, opts.cwd ?? process.cwd());
  const cacheFile = configCacheFile(dir, file, opts.configFile !== undefined);
  if (!existsSync(cacheFile)) return undefined;
  try {
    const c = JSON.parse(readFileSync(cacheFile, 'utf8')) as Partial<ConfigCacheFile>;
    if (c.code !== codeStamp() || c.file !== file || c.content !== fileContent(file, opts.env) || !c.loaded)
      return undefined;
    return c.loaded;
  } catch {
    // A corrupt entry is simply not used: createApp validates the config again and rewrites it.
    return undefined;
  }
}

/** The app from the caches alone, or undefined when anything is missing, stale or has problems. */
export function cachedApp(opts: AppOptions = {}, cache: CacheOptions = {}): AppContext | undefined {
  const dir = cacheDir(cache.env);
  if (!dir) return undefined;
  const loaded = readConfigCache(dir, opts);
  if (!loaded) return undefined;
  const knowledgeDirs = knowledgeDirsFor(
    loaded.config,
    loaded.baseDir,
    opts.knowledgeDirs ?? [],
    opts.cwd ?? process.cwd(),
  );
  const compiled = readKnowledgeCache(knowledgeDirs, cache);
  // No guides is an error that createApp reports with the problems found.
  if (!compiled || compiled.knowledge.guides.length === 0 || compiled.knowledge.problems.length)
    return undefined;
  const engine = new MatchEngine(
    compiled.knowledge.guides,
    loaded.config.match,
    compiled.index,
    () => compiled.knowledge.examples,
    compiled.exampleModel,
  );
  return { ...loaded, knowledge: compiled.knowledge, engine, knowledgeDirs };
}

/**
 * `configSections` loads the front ends' config schemas only when the config has to be validated, so a
 * one-shot command served from the caches loads no zod.
 */
export async function openApp(
  opts: AppOptions = {},
  configSections?: () => Promise<ConfigSections>,
): Promise<AppContext> {
  const cached = cachedApp(opts);
  if (cached) return cached;
  const [{ createApp }, sections] = await Promise.all([import('./app.js'), configSections?.()]);
  return createApp({ ...opts, ...(sections ? { configSections: sections } : {}) });
}
