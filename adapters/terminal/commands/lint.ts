import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../cli.js';
import { UsageError } from '../usage.js';
import type { Guide } from '../../../src/knowledge/schema.js';
import { formatProblem, type Problem } from '../../../src/util/problems.js';

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

/** Inside `dir` (or `dir` itself)? */
function within(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export function registerLintCommand(program: Command, cli: Cli): void {
  program
    .command('lint')
    .description(
      'check guides: schema, sections, regex safety, related ids, examples; a FILE.md or DIR is also checked against the guides it runs beside',
    )
    .argument('[paths...]', 'guide files or folders to check (default: the built-in knowledge base)')
    .option('--fast', 'skip the slow ReDoS analysis (recheck) of regex signatures')
    .option('--thorough', 'run the ReDoS analysis on the built-in guides too (minutes)')
    .action(async (paths: string[], o: { fast?: boolean; thorough?: boolean }) => {
      const { builtinKnowledgeDir, loadGuideFile, loadKnowledge } =
        await import('../../../src/knowledge/load.js');
      const { idClashes, lintGuides } = await import('../../../src/knowledge/lint.js');
      const builtinDir = builtinKnowledgeDir();
      const targets = (paths.length ? paths : [builtinDir]).map((p) => path.resolve(p));
      const problems: Problem[] = [];
      const guides: Guide[] = [];
      for (const t of targets) {
        if (existsSync(t) && statSync(t).isFile()) {
          if (!t.endsWith('.md')) throw new UsageError(`${t}: a guide file ends in .md`);
          const one = loadGuideFile(t);
          problems.push(...one.problems);
          if (one.guide) guides.push(one.guide);
        } else {
          const kb = loadKnowledge([t]);
          problems.push(...kb.problems);
          guides.push(...kb.guides);
        }
      }
      const builtinGuides = loadKnowledge([builtinDir]).guides;
      // What the linted guides will run beside: every folder a start would load, less the linted ones;
      // a linted file runs beside the rest of its folder too. Problems of those folders are their own lint.
      let beside: Guide[] | undefined;
      if (paths.length) {
        let dirs: string[];
        try {
          const { builtin, team } = await cli.knowledgeDirs();
          dirs = [...(builtin ? [builtin] : []), ...team];
        } catch (e) {
          process.stderr.write(
            `warning: the config was not read, so only the built-in guides are beside these: ${(e as Error).message.split('\n')[0]}\n`,
          );
          dirs = [builtinDir];
        }
        const files = targets.filter((t) => t.endsWith('.md'));
        for (const f of files) dirs.push(path.dirname(f));
        const besideDirs = [...new Set(dirs.map((d) => path.resolve(d)))].filter(
          (d) => !targets.includes(d) && existsSync(d),
        );
        const linted = new Set(guides.map((g) => g.source.file));
        beside = loadKnowledge(besideDirs).guides.filter((g) => !linted.has(g.source.file));
        const clashes = idClashes(guides, beside, (f) => within(f, builtinDir));
        problems.push(...clashes.problems);
        for (const n of clashes.notes) process.stderr.write(`note: ${formatProblem(n)}\n`);
      }
      // A team folder is loaded beside the built-in guides, so its `related` may point at them.
      const knownIds = new Set([...builtinGuides, ...(beside ?? [])].map((g) => g.id));
      problems.push(
        ...lintGuides(guides, {
          catalogIds: await catalogIds(cli),
          knownIds,
          ...(beside ? { beside } : {}),
        }),
      );
      if (!o.fast) {
        // recheck is loaded only here: every other command starts without it.
        const { redosProblems } = await import('../../../src/knowledge/redos.js');
        // The built-in signatures run on the linear engine or are proven cheap (a test holds that), and
        // recheck takes about a second a signature: by default it reads the team's guides only.
        const redos = await redosProblems(
          o.thorough ? guides : guides.filter((g) => !within(g.source.file, builtinDir)),
        );
        problems.push(...redos.problems);
        for (const u of redos.undecided) process.stderr.write(`warning: ${formatProblem(u)}\n`);
      }
      for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
      process.stdout.write(
        `${guides.length} guide${guides.length === 1 ? '' : 's'}, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`,
      );
      if (problems.length) process.exitCode = 1;
    });
}
