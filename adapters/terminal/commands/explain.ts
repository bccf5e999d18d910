import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color, makeBot, readStdin, width } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerExplainCommand(program: Command, cli: Cli): void {
  program
    .command('explain')
    .description('explain TEXT (or standard input): the best guide, rendered')
    .argument('[text...]', 'the error text; read from standard input when omitted')
    .option('--full', 'the whole guide, not the short reply')
    .action(async (words: string[], o: { full?: boolean }) => {
      const text = words.length ? words.join(' ') : await readStdin();
      if (!text.trim()) throw new UsageError('nothing to explain: the text is empty');
      const ctx = await cli.openedApp();
      const [{ memoryStores }, { renderTerminal }] = await Promise.all([
        import('../../../src/store/stores.js'),
        import('../../../src/reply/terminal.js'),
      ]);
      const bot = await makeBot(ctx, memoryStores());
      const reply = await bot.explain(
        { platform: 'cli', thread: 'cli', user: ctx.config.terminal.user },
        text,
      );
      process.stdout.write(renderTerminal(reply, { color: color(), full: o.full, width: width() }) + '\n');
    });
}
