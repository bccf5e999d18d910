import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Kept apart from load.ts so that a start-up served from the knowledge cache never loads the guide parser.

/** The package root (where package.json is), from either src/ under vitest or dist/src/ when built. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'knowledge'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the faultline package root');
    dir = up;
  }
}

export function builtinKnowledgeDir(): string {
  return path.join(packageRoot(), 'knowledge');
}
