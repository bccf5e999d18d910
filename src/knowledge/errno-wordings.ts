/**
 * The translated texts of the errno, signal and resolver messages guides own, from glibc's own catalogs
 * (generated into errno-catalog.ts). A guide names its messages in front matter (`errno: [ENOENT]`) and
 * the parser adds their translations as the guide's `translations`: exact evidence like its signatures, but
 * none of its words. The English text stays a signature in the guide, where its own handling (word
 * boundaries, `unless` lines) is written.
 */
import { ERRNO_CATALOG } from './errno-catalog.js';

export type ErrnoName = keyof typeof ERRNO_CATALOG;

export const ERRNO_NAMES = Object.keys(ERRNO_CATALOG) as ErrnoName[];

export function isErrnoName(name: string): name is ErrnoName {
  return Object.hasOwn(ERRNO_CATALOG, name);
}

/** Every translation of the named messages, each once. */
export function errnoWordings(names: readonly ErrnoName[]): string[] {
  const out = new Set<string>();
  for (const name of names) for (const text of Object.values(ERRNO_CATALOG[name].translations)) out.add(text);
  return [...out];
}
