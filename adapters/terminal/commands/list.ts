import type { Command } from 'commander';
import type { Cli } from '../cli.js';

export function registerListCommand(program: Command, cli: Cli): void {
  program
    .command('list')
    .description('list the loaded guides (id and title)')
    .action(() => {
      for (const g of cli.app().knowledge.guides) process.stdout.write(`${g.id}\t${g.title}\n`);
    });
}
