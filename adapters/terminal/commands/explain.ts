import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color, makeBot, readStdin, storeOrMemory, width } from '../cli.js';
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
      const { renderTerminal } = await import('../../../src/reply/terminal.js');
      // The configured store, so that the team's corrections apply here too.
      const store = await storeOrMemory(ctx);
      try {
        const bot = await makeBot(ctx, store);
        const who = { platform: 'cli', thread: 'cli', user: ctx.config.terminal.user };
        const reply = await bot.explain(who, text);
        process.stdout.write(renderTerminal(reply, { color: color(), full: o.full, width: width() }) + '\n');
      } finally {
        await store.close();
      }
    });
}
