import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerNewCommand(program: Command, cli: Cli): void {
  program
    .command('new')
    .description('write a new guide ID.md with all eight sections, filled from a paste where it can be')
    .argument('<id>', 'the guide id: lowercase words joined by "-"')
    .option('--from <file>', 'a paste of the error: title, a suggested signature and the first example')
    .option('--out <dir>', 'where to write (default: the first knowledge folder of the config, else here)')
    .action(async (id: string, o: { from?: string; out?: string }) => {
      const ctx = cli.app();
      const [{ PLACEHOLDER, scaffoldGuide }, { builtinKnowledgeDir }] = await Promise.all([
        import('../../../src/knowledge/scaffold.js'),
        import('../../../src/knowledge/load.js'),
      ]);
      const first = ctx.config.knowledge[0];
      const dir = path.resolve(o.out ?? (first !== undefined ? path.resolve(ctx.baseDir, first) : '.'));
      // The shipped guides are replaced on upgrade: a team's guide belongs in its own folder.
      const inside = path.relative(builtinKnowledgeDir(), dir);
      if (!inside.startsWith('..') && !path.isAbsolute(inside))
        throw new UsageError(
          `${dir} is the built-in knowledge folder; write team guides elsewhere (--out DIR)`,
        );
      let paste: string | undefined;
      if (o.from !== undefined) {
        try {
          paste = readFileSync(o.from, 'utf8').slice(0, ctx.config.match.maxPasteBytes);
        } catch (e) {
          throw new UsageError(
            `cannot read ${o.from}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          );
        }
      }
      let text: string;
      try {
        text = scaffoldGuide(id, paste);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const file = path.join(dir, `${id}.md`);
      if (existsSync(file)) throw new UsageError(`${file} exists; choose another id or remove it first`);
      const existing = ctx.knowledge.guides.find((g) => g.id === id);
      if (existing)
        process.stderr.write(
          `faultline: note: "${id}" is already ${existing.source.file}; the new guide replaces it where ${dir} is loaded after it\n`,
        );
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, text);
      process.stdout.write(
        `${file}\nWrite the parts marked ${PLACEHOLDER}, then: faultline lint ${path.relative(process.cwd(), dir) || '.'}\n`,
      );
    });
}
