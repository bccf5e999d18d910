import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerShowCommand(program: Command, cli: Cli): void {
  program
    .command('show')
    .description('render one guide in full')
    .argument('<id>', 'guide id (see `faultline list`)')
    .action(async (id: string) => {
      const ctx = cli.app();
      const { guideView } = await import('../../../src/reply/model.js');
      const { renderTerminal } = await import('../../../src/reply/terminal.js');
      const guide = ctx.knowledge.guides.find((g) => g.id === id);
      if (!guide) throw new UsageError(`no guide with id "${id}" (see \`faultline list\`)`);
      const all = new Map(ctx.knowledge.guides.map((g) => [g.id, g]));
      const reply = {
        kind: 'guide' as const,
        guide: guideView(guide, all),
        score: 1,
        evidence: { line: 0, text: '', signature: undefined },
        rank: 0,
        alternatives: [],
        truncatedInput: false,
        actions: [],
      };
      process.stdout.write(
        renderTerminal(reply, { color: color(), full: true })
          .split('\n')
          .filter((l, i) => i !== 1)
          .join('\n') + '\n',
      );
    });
}
