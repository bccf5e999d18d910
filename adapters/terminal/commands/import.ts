import path from 'node:path';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { ProblemsError } from '../../../src/util/problems.js';
import { UsageError } from '../usage.js';

export function registerImportCommand(program: Command, _cli: Cli): void {
  program
    .command('import')
    .description('convert guide pages in the plain-text seed layout into Markdown guides')
    .argument('<files...>', 'plain-text guide pages')
    .option('-o, --out <dir>', 'where to write <id>.md', 'knowledge')
    .option('--force', 'overwrite existing guides')
    .action(async (files: string[], o: { out: string; force?: boolean }) => {
      const { builtinKnowledgeDir, loadKnowledge } = await import('../../../src/knowledge/load.js');
      const { importPlainGuide } = await import('../../../src/knowledge/import.js');
      const out = path.resolve(o.out);
      mkdirSync(out, { recursive: true });
      const known = new Set([
        ...loadKnowledge([builtinKnowledgeDir()]).guides.map((g) => g.id),
        ...loadKnowledge([out]).guides.map((g) => g.id),
      ]);
      for (const f of files) {
        if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
        let imported;
        try {
          imported = importPlainGuide(readFileSync(f, 'utf8'), known);
        } catch (e) {
          throw new ProblemsError([{ file: f, line: 1, message: (e as Error).message }]);
        }
        const target = path.join(out, `${imported.id}.md`);
        if (existsSync(target) && !o.force)
          throw new UsageError(`${target} exists; pass --force to overwrite`);
        writeFileSync(target, imported.markdown);
        for (const w of imported.warnings) process.stderr.write(`${f}: warning: ${w}\n`);
        process.stdout.write(`${f} -> ${target}\n`);
        known.add(imported.id);
      }
    });
}
