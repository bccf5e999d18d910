import type { Command } from 'commander';
import { rankGaps } from '../../../src/store/learned.js';
import type { Cli } from '../cli.js';
import { withStore } from '../cli.js';
import { UsageError } from '../usage.js';

/** `7d`, `12h`, `30m` -> milliseconds. */
export function parseSince(v: string): number {
  const m = /^(\d+)([dhm])$/.exec(v.trim());
  if (!m) throw new UsageError(`--since must look like 7d, 12h or 30m, not "${v}"`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

export function registerGapsCommand(program: Command, cli: Cli): void {
  program
    .command('gaps')
    .description('pastes no guide answered, grouped by template: the guides to write next')
    .option('--since <age>', 'only those seen within this long (7d, 12h, 30m)')
    .option('--json', 'print {"gaps": [...]}')
    .action(async (o: { since?: string; json?: boolean }) => {
      const since = o.since === undefined ? undefined : parseSince(o.since);
      const gaps = rankGaps(await withStore(cli.app(), (store) => store.gaps.list()), since);
      if (o.json) {
        const out = gaps.map(({ template, count, sample, lastSeen, nearest }) => ({
          template,
          count,
          sample,
          lastSeen,
          nearest,
        }));
        process.stdout.write(JSON.stringify({ gaps: out }, null, 2) + '\n');
        return;
      }
      if (!gaps.length) process.stdout.write('No unanswered pastes recorded.\n');
      for (const g of gaps) {
        const near = g.nearest.map((n) => `${n.id} ${Math.round(n.score * 100)}%`).join(', ') || 'none';
        const sample = g.sample
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n');
        process.stdout.write(
          `${String(g.count).padStart(4)}x  last ${g.lastSeen}  nearest: ${near}\n${sample}\n\n`,
        );
      }
    });
}
