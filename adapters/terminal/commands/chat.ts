import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { color, makeStore, osUser } from '../cli.js';

export function registerChatCommand(program: Command, cli: Cli): void {
  program
    .command('chat')
    .description('the terminal bot: paste an error, get the guide; run diagnostics (`help` inside)')
    .action(async () => {
      const ctx = cli.app();
      const [{ runChat }, { Bot }, { DiagnosticsService }] = await Promise.all([
        import('../chat.js'),
        import('../../../src/bot/bot.js'),
        import('../../../src/diagnostics/service.js'),
      ]);
      const store = await makeStore(ctx);
      // The same diagnostics service as `faultline start`: one policy, approvals in the store, one audit.
      const diagnostics =
        ctx.config.diagnostics.hosts.length > 0
          ? DiagnosticsService.fromConfig(ctx.config, ctx.baseDir, store.approvals)
          : undefined;
      try {
        const bot = new Bot(ctx.engine, ctx.knowledge.guides, store, ctx.config.bot, diagnostics);
        await runChat(bot, {
          input: process.stdin,
          output: process.stdout,
          color: color(),
          user: ctx.config.terminal.user,
          roles: ctx.config.terminal.roles,
          ...(osUser() !== undefined ? { osUser: osUser() } : {}),
        });
      } finally {
        await diagnostics?.close();
        await store.close();
      }
    });
}
