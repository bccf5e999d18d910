import path from 'node:path';

// Kept apart from load.ts (which needs zod and yaml) so that a start-up served from the cache can find the file.

export const DEFAULT_CONFIG_FILE = 'faultline.yaml';

/** The config file to read: the one named, else `faultline.yaml` in the working directory. */
export function configFilePath(explicit: string | undefined, cwd: string): string {
  return path.resolve(cwd, explicit ?? DEFAULT_CONFIG_FILE);
}
