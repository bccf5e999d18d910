import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color, makeBot, makeStore } from '../cli.js';

export function registerChatCommand(program: Command, cli: Cli): void {
  program
    .command('chat')
    .description('the terminal bot: paste an error, get the guide')
    .action(async () => {
      const ctx = cli.app();
      const { runChat } = await import('../chat.js');
      const store = await makeStore(ctx);
      try {
        await runChat(await makeBot(ctx, store), {
          input: process.stdin,
          output: process.stdout,
          color: color(),
          user: ctx.config.terminal.user,
        });
      } finally {
        await store.close();
      }
    });
}
