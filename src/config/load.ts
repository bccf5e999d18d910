import { existsSync } from 'node:fs';
import path from 'node:path';
import { overlayEnv, variableFor } from './env.js';
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
  env: NodeJS.ProcessEnv = {},
): LoadedConfig {
  const file = configFilePath(explicit, cwd);
  if (!existsSync(file)) {
    if (explicit) throw new ProblemsError([{ file, line: 1, message: 'config file does not exist' }]);
    return { config: validate({}, file, () => 1, sections, env), file: undefined, baseDir: cwd };
  }
  const read = readTextFile(file);
  if ('problem' in read) throw new ProblemsError([read.problem]);
  return { config: parseConfigText(read.text, file, sections, env), file, baseDir: path.dirname(file) };
}

/** `env`: the `FAULTLINE_*` settings on top of the file's (see `env.ts`); none unless given. */
export function parseConfigText(
  text: string,
  file: string,
  sections: ConfigSections = {},
  env: NodeJS.ProcessEnv = {},
): Config {
  const parsed = parseYamlWithLines(text, file);
  if (parsed.problems.length) throw new ProblemsError(parsed.problems);
  return validate(parsed.value ?? {}, file, parsed.lineOf, sections, env);
}

function validate(
  value: unknown,
  file: string,
  lineOf: (path: readonly PropertyKey[]) => number,
  sections: ConfigSections,
  env: NodeJS.ProcessEnv,
): Config {
  const schema = configSchemaWith(sections);
  const { value: merged, from } = overlayEnv(value, env, schema);
  const result = schema.safeParse(merged);
  if (result.success) return result.data;
  // A value a variable set is reported under the variable's name, not a line of the file.
  const problems = zodProblems(result.error, file, lineOf).map((p, i) => {
    const name = variableFor(from, result.error.issues[i]?.path ?? []);
    return name ? { file: name, line: 0, message: p.message } : p;
  });
  throw new ProblemsError(problems);
}
