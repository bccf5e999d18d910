import type { EvalReport, Tally } from './evaluate.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The human-readable eval report of one split: headline, calibration, per shape, weakest guides, sweep, misses. */
export function formatReport(
  name: string,
  r: EvalReport,
  threshold: number,
  opts: { showText: boolean; listMisses: boolean },
): string {
  const out: string[] = [];
  const w = (s: string) => out.push(s);
  w(`== ${name}: ${r.positives} positives, ${r.negatives} negatives, threshold ${threshold}`);
  w(
    `top-1 ${pct(r.top1)}  top-3 ${pct(r.top3)}  MRR ${r.mrr.toFixed(3)}  negatives quiet ${pct(1 - r.falsePositiveRate)}  coverage ${pct(r.coverage)}  precision ${pct(r.precision)}`,
  );
  w(`latency p50 ${r.latencyMs.p50.toFixed(3)} ms  p99 ${r.latencyMs.p99.toFixed(3)} ms`);
  if (r.calibration.length) {
    w('calibration (first guide right, by its score):');
    for (const b of r.calibration)
      w(
        `  ${b.from.toFixed(2)}-${Math.min(1, b.to).toFixed(2)}  ${b.correct}/${b.answered}  ${pct(b.correct / b.answered)}`,
      );
  }
  const tallies = (t: Record<string, Tally>) =>
    Object.entries(t)
      .sort((a, b) => a[1].top1 / a[1].n - b[1].top1 / b[1].n || b[1].n - a[1].n)
      .map(([k, v]) => `${k} ${v.top1}/${v.n}`);
  if (Object.keys(r.byShape).length > 1 || !r.byShape.unknown)
    w(`by shape: ${tallies(r.byShape).join('  ')}`);
  const weak = tallies(Object.fromEntries(Object.entries(r.byGuide).filter(([, v]) => v.top1 < v.n)));
  if (weak.length) w(`guides with misses (top-1): ${weak.join('  ')}`);
  w('threshold sweep: threshold  coverage  precision  quiet-on-negatives  top-1');
  for (const s of r.sweep)
    w(
      `  ${s.threshold.toFixed(2)}  ${pct(s.coverage)}  ${pct(s.precision)}  ${pct(s.quiet)}  ${pct(s.top1)}`,
    );
  if (!opts.listMisses) {
    // A held-out split is for reporting only: listing its misses invites tuning on them.
    w(`misses (${r.misses.length}): not listed for a held-out split (--held-out-misses lists them)`);
    return out.join('\n') + '\n';
  }
  w(`misses (${r.misses.length}): expected -> got (score) [source]`);
  for (const m of r.misses) {
    w(`  ${m.expected ?? '(none)'} -> ${m.got ?? '(none)'} (${m.score}) [${m.source}]`);
    if (opts.showText) w('    ' + m.text.slice(0, 400).replace(/\n/g, '\n    '));
  }
  return out.join('\n') + '\n';
}
