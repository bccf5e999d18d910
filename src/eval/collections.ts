import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { readCorpus, type CorpusLine } from './evaluate.js';

/** One split of one collection: `real/test`, `written/dev`. */
export interface CorpusSplit {
  collection: string;
  split: string;
  lines: CorpusLine[];
}

/**
 * A corpus folder holds one folder per collection (`real/`, `written/`), each with `<split>.jsonl` files.
 * A folder that holds `.jsonl` files itself is one collection named after it, so a team can point
 * `eval` at a folder of its own pastes.
 */
export function readCollections(
  dir: string,
  knownIds: ReadonlySet<string>,
  only: { collection?: string; split?: string } = {},
): CorpusSplit[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: no such folder`);
  const jsonl = (d: string) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
  const folders: [string, string][] = jsonl(dir).length
    ? [[path.basename(path.resolve(dir)), dir]]
    : readdirSync(dir)
        .filter((f) => statSync(path.join(dir, f)).isDirectory())
        .sort()
        .map((f) => [f, path.join(dir, f)]);
  const out: CorpusSplit[] = [];
  for (const [collection, folder] of folders) {
    if (only.collection && only.collection !== collection) continue;
    for (const f of jsonl(folder)) {
      const split = f.replace(/\.jsonl$/, '');
      if (only.split && only.split !== split) continue;
      out.push({ collection, split, lines: readCorpus(path.join(folder, f), knownIds) });
    }
  }
  if (!out.length) {
    const what = [only.collection, only.split].filter(Boolean).join('/') || '*.jsonl';
    throw new Error(`${dir}: no corpus files for ${what}`);
  }
  return out;
}
