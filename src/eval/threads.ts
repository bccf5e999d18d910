import { createHash } from 'node:crypto';

/**
 * The thread a paste came from: a URL without its `#fragment` (`owner/repo#N` stays whole), trimmed and
 * lower-cased. Pastes of one thread are never split apart: not between dev and test, not between folds.
 */
export function threadOf(source: string): string {
  const s = source.trim();
  return (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s.replace(/#.*$/, '') : s).toLowerCase();
}

function threadHash(source: string): Buffer {
  return createHash('sha1').update(threadOf(source)).digest();
}

/** The split a real paste belongs to: dev when the first byte of its thread's sha1 is even, test when odd. */
export function splitOf(source: string): 'dev' | 'test' {
  return (threadHash(source)[0] as number) % 2 === 0 ? 'dev' : 'test';
}

/**
 * The fold of a paste's thread for k-fold cross-validation. The first byte of the hash already chose dev
 * or test (its parity), so the fold is read from the second: all of a split would otherwise fall into half
 * the folds when k is even.
 */
export function foldOf(source: string, k: number): number {
  return (threadHash(source)[1] as number) % k;
}
