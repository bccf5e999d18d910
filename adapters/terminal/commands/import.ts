import path from 'node:path';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { UsageError } from '../usage.js';
import { IMPORT_LAYOUT } from '../../../src/knowledge/import-layout.js';

/** Where imported guides go: `--out`, else the first team folder; never the built-in folder unless named. */
async function destination(cli: Cli, out: string | undefined, builtinDir: string): Promise<string> {
  if (out !== undefined) return path.resolve(out);
  const [team] = (await cli.knowledgeDirs()).team;
  if (team === undefined)
    throw new UsageError(
      'import needs a destination: pass --out DIR, or add a team folder to `knowledge:` in faultline.yaml (or --knowledge DIR)',
    );
  if (path.resolve(team) === builtinDir)
    throw new UsageError(
      `the first team folder is the built-in folder ${builtinDir}; pass --out ${builtinDir} to write there on purpose`,
    );
  return team;
}

export function registerImportCommand(program: Command, cli: Cli): void {
  const command = program
    .command('import')
    .description(
      'convert guide pages in the plain-text seed layout into Markdown guides, into the first team folder or --out DIR',
    )
    .argument('<files...>', 'plain-text guide pages')
    .option('-o, --out <dir>', 'where to write <id>.md (default: the first configured team folder)')
    .option('--force', 'overwrite existing guides');
  command.action(async (files: string[], o: { out?: string; force?: boolean }) => {
    const { builtinKnowledgeDir, loadKnowledge } = await import('../../../src/knowledge/load.js');
    const { importPlainGuide } = await import('../../../src/knowledge/import.js');
    const builtinDir = builtinKnowledgeDir();
    const out = await destination(cli, o.out, builtinDir);
    for (const f of files) if (!existsSync(f)) throw new UsageError(`${f}: no such file`);
    mkdirSync(out, { recursive: true });
    const known = new Set([
      ...loadKnowledge([builtinDir]).guides.map((g) => g.id),
      ...loadKnowledge([out]).guides.map((g) => g.id),
    ]);
    for (const f of files) {
      // A page that cannot be converted is a ProblemsError with its file:line (exit 2, from main).
      const imported = importPlainGuide(readFileSync(f, 'utf8'), known, f);
      const target = path.join(out, `${imported.id}.md`);
      if (existsSync(target) && !o.force) throw new UsageError(`${target} exists; pass --force to overwrite`);
      writeFileSync(target, imported.markdown);
      for (const w of imported.warnings) process.stderr.write(`${f}: warning: ${w}\n`);
      process.stdout.write(`${f} -> ${target}\n`);
      known.add(imported.id);
    }
  });
  // The layout is said once, in the importer; here it is only printed.
  command.addHelpText('after', `\n${IMPORT_LAYOUT}`);
}
