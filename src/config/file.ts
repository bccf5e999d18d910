import path from 'node:path';

// Kept apart from load.ts (which needs zod and yaml) so that a start-up served from the cache can find the file.

export const DEFAULT_CONFIG_FILE = 'faultline.yaml';

/** The config file to read: the one named, else `faultline.yaml` in the working directory. */
export function configFilePath(explicit: string | undefined, cwd: string): string {
  return path.resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
}

/**
 * The variables that can change the config (every `FAULTLINE_*` one, see `env.ts`), as one text, so a
 * config cached without them is not used with them. The caller hashes it; values are never written.
 */
export function envSettingsText(env: NodeJS.ProcessEnv): string {
  return Object.keys(env)
    .filter((k) => k.startsWith('FAULTLINE_'))
    .sort()
    .map((k) => `${k}=${env[k] ?? ''}`)
    .join('\0');
}
