import { existsSync } from 'node:fs';
import path from 'node:path';
import { configFilePath } from './file.js';
import { configSchemaWith, type Config, type ConfigSections } from './schema.js';
import { parseYamlWithLines, ProblemsError, readTextFile, zodProblems } from '../util/problems.js';

export { DEFAULT_CONFIG_FILE } from './file.js';

export interface LoadedConfig {
  config: Config;
  /** The file it came from, or undefined when defaults were used. */
  file: string | undefined;
  /** Relative paths in the config are resolved from here. */
  baseDir: string;
}

/**
 * Reads the config file: the one named, else `faultline.yaml` in the working directory if present, else
 * the defaults. Problems are reported with file and line, all at once.
 */
export function loadConfig(
  explicit?: string,
  cwd = process.cwd(),
  sections: ConfigSections = {},
): LoadedConfig {
  const file = configFilePath(explicit, cwd);
  if (!existsSync(file)) {
    if (explicit) throw new ProblemsError([{ file, line: 1, message: 'config file does not exist' }]);
    return { config: configSchemaWith(sections).parse({}), file: undefined, baseDir: cwd };
  }
  const read = readTextFile(file);
  if ('problem' in read) throw new ProblemsError([read.problem]);
  return { config: parseConfigText(read.text, file, sections), file, baseDir: path.dirname(file) };
}

export function parseConfigText(text: string, file: string, sections: ConfigSections = {}): Config {
  const parsed = parseYamlWithLines(text, file);
  if (parsed.problems.length) throw new ProblemsError(parsed.problems);
  const result = configSchemaWith(sections).safeParse(parsed.value ?? {});
  if (!result.success) throw new ProblemsError(zodProblems(result.error, file, parsed.lineOf));
  return result.data;
}
