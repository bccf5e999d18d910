import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { makeBot, readStdin, withStore } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerLearnCommand(program: Command, cli: Cli): void {
  program
    .command('learn')
    .description('record a correction as the terminal user: this paste is answered by --guide ID, or by none')
    .argument('[text...]', 'the pasted error; read from standard input when omitted')
    .option('--guide <id>', 'the guide that fits')
    .option('--none', 'no guide fits: stay quiet on pastes like this one and list it under gaps')
    .action(async (words: string[], o: { guide?: string; none?: boolean }) => {
      if (Boolean(o.guide) === Boolean(o.none))
        throw new UsageError('give exactly one of --guide ID and --none');
      const text = words.length ? words.join(' ') : await readStdin();
      const ctx = cli.app();
      const res = await withStore(ctx, async (store) =>
        (await makeBot(ctx, store)).learnFrom(
          { platform: 'terminal', user: ctx.config.terminal.user },
          text,
          o.guide,
        ),
      );
      if (!res.ok) throw new UsageError(res.error);
      process.stdout.write(`learned ${res.id}: ${o.guide ?? 'none of these'} for\n${res.template}\n`);
    });
}
