import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './knowledge/paths.js';

let memo: string | undefined;

/** This faultline's version, from its package.json (one owner: `npm version` changes it there). */
export function version(): string {
  if (memo === undefined) {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    memo = typeof pkg.version === 'string' ? pkg.version : '0.0.0-unknown';
  }
  return memo;
}
