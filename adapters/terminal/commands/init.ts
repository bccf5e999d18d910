import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cli } from '../cli.js';
import { UsageError } from '../usage.js';
import { SAMPLE_CONFIG } from '../sample-config.js';

export function registerInitCommand(program: Command, _cli: Cli): void {
  program
    .command('init')
    .description('write a commented sample faultline.yaml (every key with its default)')
    .option('-o, --out <file>', 'where to write it ("-" for standard output)', 'faultline.yaml')
    .option('--force', 'overwrite the file if it exists')
    .action((opts: { out: string; force?: boolean }) => {
      if (opts.out === '-') {
        process.stdout.write(SAMPLE_CONFIG);
        return;
      }
      const file = path.resolve(opts.out);
      try {
        // `wx` fails if the file exists, atomically: an existing config is never overwritten by accident.
        writeFileSync(file, SAMPLE_CONFIG, { flag: opts.force ? 'w' : 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new UsageError(`${opts.out} exists; add --force to overwrite it`);
        throw new UsageError(`cannot write ${opts.out}: ${code ?? (e as Error).message}`);
      }
      process.stdout.write(`wrote ${opts.out}\n`);
    });
}
