import path from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { formatProblem } from '../../../src/util/problems.js';

/** Catalog ids for lint: the built-in catalog plus a config's own entries when a config is in use. */
async function catalogIds(cli: Cli): Promise<ReadonlySet<string>> {
  const { BUILTIN_CATALOG } = await import('../../../src/diagnostics/catalog.js');
  const ids = new Set(BUILTIN_CATALOG.map((e) => e.id));
  try {
    for (const e of cli.app().config.diagnostics.catalog) ids.add(e.id);
  } catch {
    // Linting must work without a valid config or knowledge base; the built-in catalog is enough then.
  }
  return ids;
}

export function registerLintCommand(program: Command, cli: Cli): void {
  program
    .command('lint')
    .description('check guide folders: schema, sections, regex safety, related ids, examples')
    .argument('[dirs...]', 'folders to check (default: the built-in knowledge base)')
    .option('--fast', 'skip the slow ReDoS analysis (recheck) of regex signatures')
    .option('--thorough', 'run the ReDoS analysis on the built-in guides too (minutes)')
    .action(async (dirs: string[], o: { fast?: boolean; thorough?: boolean }) => {
      const { builtinKnowledgeDir, loadKnowledge } = await import('../../../src/knowledge/load.js');
      const { lintGuides } = await import('../../../src/knowledge/lint.js');
      const folders = dirs.length ? dirs.map((d) => path.resolve(d)) : [builtinKnowledgeDir()];
      const kb = loadKnowledge(folders);
      // A team folder is loaded beside the built-in guides, so its `related` may point at them.
      const builtinIds = new Set(loadKnowledge([builtinKnowledgeDir()]).guides.map((g) => g.id));
      const problems = [
        ...kb.problems,
        ...lintGuides(kb.guides, { catalogIds: await catalogIds(cli), knownIds: builtinIds }),
      ];
      if (!o.fast) {
        // recheck is loaded only here: every other command starts without it.
        const { redosProblems } = await import('../../../src/knowledge/redos.js');
        // The built-in signatures run on the linear engine or are proven cheap (a test holds that), and
        // recheck takes about a second a signature: by default it reads the team's guides only.
        const builtin = builtinKnowledgeDir() + path.sep;
        const redos = await redosProblems(
          o.thorough ? kb.guides : kb.guides.filter((g) => !g.source.file.startsWith(builtin)),
        );
        problems.push(...redos.problems);
        for (const u of redos.undecided) process.stderr.write(`warning: ${formatProblem(u)}\n`);
      }
      for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
      process.stdout.write(
        `${kb.guides.length} guides, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`,
      );
      if (problems.length) process.exitCode = 1;
    });
}
