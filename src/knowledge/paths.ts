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

/** Which file answered: shown in replies and `match --json`, so "which version answered" has an answer. */
export interface GuideSource {
  /** `knowledge/<id>.md` for a built-in guide; the team folder's file path otherwise. */
  file: string;
  builtin: boolean;
  hash: string;
}

export function guideSource(source: { file: string; hash: string }): GuideSource {
  const builtinDir = builtinKnowledgeDir();
  const inside = path.relative(builtinDir, source.file);
  const builtin = !inside.startsWith('..') && !path.isAbsolute(inside);
  return { file: builtin ? path.join('knowledge', inside) : source.file, builtin, hash: source.hash };
}
