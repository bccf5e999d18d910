import { readFileSync } from 'node:fs';

/** The core's secrets, each read from the environment where it is used. */
export const CORE_SECRETS: readonly string[] = ['FAULTLINE_REDIS_URL', 'FAULTLINE_ALERTS_TOKEN'];

/**
 * Secrets as files, the way Docker and Kubernetes mount them: for each known secret `NAME`, `NAME_FILE`
 * names a file whose content (without its trailing newline) becomes `NAME` in `env`. Returns one line per
 * problem (a file that cannot be read, or both `NAME` and `NAME_FILE` set); `env` is changed only when
 * there are none.
 */
export function readSecretFiles(env: NodeJS.ProcessEnv, names: readonly string[]): string[] {
  const problems: string[] = [];
  const found: [string, string][] = [];
  for (const name of names) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set; set one`);
      continue;
    }
    try {
      found.push([name, readFileSync(file, 'utf8').replace(/\r?\n$/, '')]);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'a directory, not a file'
              : String((e as Error).message);
      problems.push(`${name}_FILE: cannot read ${file}: ${why}`);
    }
  }
  if (!problems.length) for (const [name, value] of found) env[name] = value;
  return problems;
}
