import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { learnedOf, parseUnit, readStdin } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerMatchCommand(program: Command, cli: Cli): void {
  program
    .command('match')
    .description('print the ranked matches as JSON')
    .argument('[text...]', 'the error text; read from standard input when omitted')
    .option('--json', 'one JSON object for TEXT or standard input (the default)')
    .option(
      '--jsonl',
      'batch: each standard-input line is a JSON object with a "text" field; one result line each',
    )
    .option('--threshold <n>', 'override the configured threshold', parseUnit)
    .action(async (words: string[], o: { jsonl?: boolean; threshold?: number }) => {
      const ctx = await cli.openedApp();
      const learned = await learnedOf(ctx);
      const { guideSource } = await import('../../../src/knowledge/paths.js');
      const byId = new Map(ctx.knowledge.guides.map((g) => [g.id, g]));
      const run = (text: string) => {
        const r = ctx.engine.match(
          text,
          o.threshold === undefined ? {} : { threshold: o.threshold },
          learned,
        );
        // Which file answered, and which version of it: a team folder may override a built-in guide.
        const matches = r.matches.map((m) => {
          const g = byId.get(m.id);
          return g ? { ...m, source: guideSource(g.source) } : m;
        });
        return { matches, nearest: r.nearest, truncated: r.truncated, bytes: r.bytes };
      };
      if (!o.jsonl) {
        const text = words.length ? words.join(' ') : await readStdin();
        process.stdout.write(JSON.stringify(run(text)) + '\n');
        return;
      }
      if (words.length) throw new UsageError('--jsonl reads standard input; do not pass TEXT');
      const { createInterface } = await import('node:readline');
      let n = 0;
      for await (const line of createInterface({ input: process.stdin })) {
        n++;
        if (!line.trim()) continue;
        let text: unknown;
        try {
          text = (JSON.parse(line) as { text?: unknown }).text;
        } catch (e) {
          process.stdout.write(
            JSON.stringify({ line: n, error: `not JSON: ${(e as Error).message}` }) + '\n',
          );
          continue;
        }
        if (typeof text !== 'string') {
          process.stdout.write(JSON.stringify({ line: n, error: 'no "text" string field' }) + '\n');
          continue;
        }
        process.stdout.write(JSON.stringify({ line: n, ...run(text) }) + '\n');
      }
    });
}
