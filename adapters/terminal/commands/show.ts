import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color, makeBot, width } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerShowCommand(program: Command, cli: Cli): void {
  program
    .command('show')
    .description('render one guide in full')
    .argument('<id>', 'guide id (see `faultline list`)')
    .action(async (id: string) => {
      const ctx = cli.app();
      const [{ memoryStores }, { renderTerminal }] = await Promise.all([
        import('../../../src/store/stores.js'),
        import('../../../src/reply/terminal.js'),
      ]);
      if (!ctx.knowledge.guides.some((g) => g.id === id))
        throw new UsageError(`no guide with id "${id}" (see \`faultline list\`)`);
      const bot = await makeBot(ctx, memoryStores());
      process.stdout.write(renderTerminal(bot.page(id), { color: color(), width: width() }) + '\n');
    });
}
