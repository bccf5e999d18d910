import { check } from 'recheck';
import { compileSignature } from '../match/signature.js';
import { patternLists, type Guide } from './schema.js';
import type { Problem } from '../util/problems.js';

export interface RedosReport {
  problems: Problem[];
  /** Signatures the analysis could not decide in its time limit, with file and line. */
  undecided: Problem[];
}

/**
 * The slow, thorough ReDoS analysis (recheck) of every regex pattern of a guide that the static check in
 * `compileSignature` cannot prove bounded: lint time only, as one signature can take seconds. A signature
 * it finds polynomial or exponential is a problem with file and line, built-in or team guide alike.
 */
export async function redosProblems(
  guides: readonly Guide[],
  opts: { timeoutMs?: number } = {},
): Promise<RedosReport> {
  const report: RedosReport = { problems: [], undecided: [] };
  for (const g of guides) {
    const file = g.source.file;
    for (const [list, lines, what] of patternLists(g)) {
      for (const [i, raw] of list.entries()) {
        let sig;
        try {
          sig = compileSignature(raw);
        } catch {
          continue; // reported by lint's own check, with the reason
        }
        if (sig.kind !== 'regex' || sig.engine === 'native') continue;
        const line = lines[i] ?? 2;
        const d = await check(sig.re.source, sig.re.flags, { timeout: opts.timeoutMs ?? 10_000 });
        if (d.status === 'vulnerable') {
          report.problems.push({
            file,
            line,
            message: `${what}[${i}]: regex ${raw} backtracks in ${d.complexity.summary} time (recheck; e.g. ${JSON.stringify(d.attack.pattern)}): rewrite it so no two repetitions can match the same text`,
          });
        } else if (d.status === 'unknown') {
          report.undecided.push({ file, line, message: `${what}[${i}]: recheck could not decide regex ${raw}: ${d.error.kind}` });
        }
      }
    }
  }
  return report;
}
