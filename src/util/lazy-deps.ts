/**
 * re2js and fuse.js, loaded the first time a paste needs them: a one-shot command whose paste compiles no
 * linear-time regex and reaches no fuzzy re-ranking must not pay for loading them (re2js alone is a
 * quarter of a megabyte of code). The matcher is synchronous, so a dynamic `import()` cannot serve; both
 * packages ship a CommonJS build, which `require` loads synchronously. Every use goes through here, so
 * that one process never holds the ESM and the CommonJS copy of the same class.
 */
import { createRequire } from 'node:module';
import type FuseClass from 'fuse.js';
import type { RE2JS as Re2Class } from 're2js';

const require = createRequire(import.meta.url);

let re2: typeof Re2Class | undefined;
let fuse: typeof FuseClass | undefined;

export function re2js(): typeof Re2Class {
  return (re2 ??= (require('re2js') as typeof import('re2js')).RE2JS);
}

export function fuseJs(): typeof FuseClass {
  return (fuse ??= require('fuse.js') as typeof FuseClass);
}
