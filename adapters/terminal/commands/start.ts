import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { makeStore } from '../cli.js';

export function registerStartCommand(program: Command, cli: Cli): void {
  program
    .command('start')
    .description('run the front ends the config and environment enable (the terminal chat when none)')
    .action(async () => {
      const ctx = cli.app();
      // The platform SDKs load only here: every other command starts without them.
      const { startFrontEnds } = await import('../start.js');
      // Exit with its code: an SDK reconnecting in the background must not keep a stopped bot alive.
      process.exit(await startFrontEnds(ctx, await makeStore(ctx)));
    });
}
