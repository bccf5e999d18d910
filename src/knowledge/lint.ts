import { signatureProblems } from './load.js';
import { MatchEngine } from '../match/engine.js';
import type { Guide } from './schema.js';
import type { Problem } from '../util/problems.js';

export interface LintOptions {
  /** Catalog ids that `diagnostics` may name; unchecked when undefined. */
  catalogIds?: ReadonlySet<string>;
  /** Guide ids that exist outside the linted set (built-ins, when linting a team folder). */
  knownIds?: ReadonlySet<string>;
}

/**
 * Checks that need the whole set of guides: signatures compile and are safe, related ids and catalog ids
 * exist, and every example is matched first by its own guide.
 */
export function lintGuides(guides: readonly Guide[], opts: LintOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set([...guides.map((g) => g.id), ...(opts.knownIds ?? [])]);
  const usable: Guide[] = [];
  for (const g of guides) {
    const file = g.source.file;
    const bad = signatureProblems(g);
    problems.push(...bad);
    const ok = bad.length === 0;
    g.related.forEach((r, i) => {
      const line = g.lines.related[i] ?? 2;
      if (!ids.has(r)) problems.push({ file, line, message: `related: no guide with id "${r}"` });
      if (r === g.id) problems.push({ file, line, message: 'related: a guide cannot relate to itself' });
    });
    if (opts.catalogIds) {
      const catalog = opts.catalogIds;
      g.diagnostics.forEach((d, i) => {
        const id = typeof d === 'string' ? d : d.id;
        if (!catalog.has(id)) problems.push({ file, line: g.lines.diagnostics[i] ?? 2, message: `diagnostics: no catalog entry "${id}"` });
      });
    }
    if (ok) usable.push(g);
  }
  const engine = new MatchEngine(usable);
  for (const g of usable) {
    g.examples.forEach((ex, i) => {
      const top = engine.match(ex, { threshold: 0 }).matches[0];
      if (!top || top.id !== g.id) {
        const got = top ? `"${top.id}" (score ${top.score})` : 'no guide';
        problems.push({
          file: g.source.file,
          line: g.lines.examples[i] ?? 2,
          message: `examples[${i}] is matched first by ${got}, not by this guide`,
        });
      }
    });
  }
  return problems;
}
