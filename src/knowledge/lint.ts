import { signatureProblems } from './load.js';
import { MatchEngine, type Match } from '../match/engine.js';
import type { Guide } from './schema.js';
import type { Problem } from '../util/problems.js';

export interface LintOptions {
  /** Catalog ids that `diagnostics` may name; unchecked when undefined. */
  catalogIds?: ReadonlySet<string>;
  /** Guide ids that exist outside the linted set (built-ins, when linting a team folder). */
  knownIds?: ReadonlySet<string>;
  /**
   * The guides the linted ones will run beside (built-ins, the other configured folders): examples are
   * matched against all of them, both ways. A beside guide with a linted guide's id is replaced by it, as
   * at load.
   */
  beside?: readonly Guide[];
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
  const lintedIds = new Set(usable.map((g) => g.id));
  const beside = (opts.beside ?? []).filter((g) => !lintedIds.has(g.id));
  const all = [...usable, ...beside];
  const fileOf = new Map(all.map((g) => [g.id, g.source.file]));
  const engine = new MatchEngine(all);
  // Every candidate, so that the losing guide's own score can be said too.
  const ranked = (text: string) => engine.match(text, { threshold: 0, maxResults: all.length }).matches;
  const scoreOf = (matches: readonly Match[], id: string) => matches.find((m) => m.id === id)?.score ?? 0;
  const winner = (m: Match) => `"${m.id}" (score ${m.score}${opts.beside ? `, ${fileOf.get(m.id) ?? '?'}` : ''})`;
  for (const g of usable) {
    g.examples.forEach((ex, i) => {
      const matches = ranked(ex);
      const top = matches[0];
      if (!top || top.id !== g.id) {
        problems.push({
          file: g.source.file,
          line: g.lines.examples[i] ?? 2,
          message: `examples[${i}] is matched first by ${top ? winner(top) : 'no guide'}, not by this guide (score ${scoreOf(matches, g.id)})`,
        });
      }
    });
  }
  // The other way round: a linted guide that now takes an example away from a guide it runs beside.
  for (const b of beside) {
    b.examples.forEach((ex, i) => {
      const matches = ranked(ex);
      const top = matches[0];
      if (top && lintedIds.has(top.id)) {
        problems.push({
          file: b.source.file,
          line: b.lines.examples[i] ?? 2,
          message: `examples[${i}] of "${b.id}" is now matched first by ${winner(top)}, not by its own guide (score ${scoreOf(matches, b.id)})`,
        });
      }
    });
  }
  return problems;
}

/**
 * Linted guides whose id another folder also uses. Beside a team folder, the guide loaded later silently
 * replaces the other, so that is a problem; replacing a built-in guide is the documented way to change
 * one, so that is a note.
 */
export function idClashes(
  linted: readonly Guide[],
  beside: readonly Guide[],
  isBuiltin: (file: string) => boolean,
): { problems: Problem[]; notes: Problem[] } {
  const problems: Problem[] = [];
  const notes: Problem[] = [];
  const byId = new Map<string, Guide[]>();
  for (const b of beside) byId.set(b.id, [...(byId.get(b.id) ?? []), b]);
  for (const g of linted) {
    for (const other of byId.get(g.id) ?? []) {
      if (other.source.file === g.source.file) continue;
      if (isBuiltin(other.source.file))
        notes.push({ file: g.source.file, line: 2, message: `id "${g.id}" replaces the built-in guide ${other.source.file}` });
      else
        problems.push({
          file: g.source.file,
          line: 2,
          message: `id "${g.id}" is also the id of ${other.source.file}; only one of them would answer`,
        });
    }
  }
  return { problems, notes };
}
