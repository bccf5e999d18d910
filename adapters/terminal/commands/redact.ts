import type { Command } from 'commander';
import type { Cli } from '../cli.js';

export function registerRedactCommand(program: Command, _cli: Cli): void {
  program
    .command('redact')
    .description('print FILE (standard input when none) with secrets redacted, as the bot redacts them')
    .argument('[file]', 'text to clean')
    .action(async (file?: string) => {
      const { redactToStdout } = await import('../../../src/redact/index.js');
      await redactToStdout(file);
    });
}
