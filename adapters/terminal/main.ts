#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
import type { CorpusSplit } from '../../src/eval/collections.js';
import type { EvalReport } from '../../src/eval/evaluate.js';
import type { Stores } from '../../src/store/stores.js';
import type { LearnedSet } from '../../src/match/learned.js';
import { formatProblem, ProblemsError } from '../../src/util/problems.js';
import { registerDiagnosticsCommands } from './commands/diagnostics.js';
import { registerLearningCommands } from './commands/learning.js';
import { registerDiscordCommands } from '../discord/cli.js';

// Everything else loads in the command that needs it: a one-shot `match` or `explain` served from the
// knowledge cache must not pay for zod, yaml, the guide parser or the renderers of other commands.

/** Exit codes: 0 fine, 1 a finding (lint problems, a failed check), 2 bad input or usage. */
class UsageError extends Error {}

const program = new Command();
program
  .name('faultline')
  .description('Explains pasted errors with guides from a knowledge base; runs whitelisted diagnostics.')
  .option('-c, --config <file>', 'config file (default: ./faultline.yaml if present)')
  .addOption(
    new Option('-k, --knowledge <dir>', 'extra guide folder, after the config ones (repeatable)')
      .argParser(collect)
      .default([]),
  )
  .showHelpAfterError();

let appCache: AppContext | undefined;
let createApp: typeof import('../../src/app.js').createApp | undefined;
function appOptions() {
  const o = program.opts<{ config?: string; knowledge: string[] }>();
  return { configFile: o.config, knowledgeDirs: o.knowledge };
}
/** Synchronous for the commands that take it as a getter; `createApp` is loaded before any action runs. */
function app(): AppContext {
  if (!createApp) throw new Error('createApp used before it was loaded');
  return (appCache ??= createApp(appOptions()));
}
/** For one-shot commands: from the caches when they are good, without loading the validators. */
async function openedApp(): Promise<AppContext> {
  if (!appCache) {
    const { openApp } = await import('../../src/open.js');
    appCache = await openApp(appOptions());
  }
  return appCache;
}
const ONE_SHOT = new Set(['match', 'explain']);
program.hook('preAction', async (_root, command) => {
  if (!ONE_SHOT.has(command.name())) ({ createApp } = await import('../../src/app.js'));
});

function color(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('no text given: pass it as an argument or pipe it on standard input');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function makeStore(ctx: AppContext): Promise<Stores> {
  const s = ctx.config.store;
  const { memoryStores, storesOn } = await import('../../src/store/stores.js');
  if (s.kind === 'memory') return memoryStores();
  const [{ FileKeyValueStore }, { MemoryKeyValueStore }] = await Promise.all([
    import('../../src/store/file.js'),
    import('../../src/store/memory.js'),
  ]);
  return storesOn(new FileKeyValueStore(path.resolve(ctx.baseDir, s.dir)), new MemoryKeyValueStore());
}

/**
 * The configured store for a one-shot command, or memory when it cannot be opened (`faultline start`
 * holds the file store): the answer then comes from the knowledge base alone, with a warning.
 */
async function storeOrMemory(ctx: AppContext): Promise<Stores> {
  // A one-shot command never creates the store folder: only a running bot or `learn` does.
  const dir = path.resolve(ctx.baseDir, ctx.config.store.dir);
  try {
    if (ctx.config.store.kind === 'memory' || !existsSync(dir)) throw new Error('no store');
    return await makeStore(ctx);
  } catch (e) {
    if ((e as Error).message !== 'no store')
      process.stderr.write(`faultline: learned examples not applied: ${(e as Error).message}\n`);
    const { memoryStores } = await import('../../src/store/stores.js');
    return memoryStores();
  }
}

/** The learned examples in the configured store, for `match`. */
async function learnedOf(ctx: AppContext): Promise<LearnedSet | undefined> {
  const store = await storeOrMemory(ctx);
  try {
    const { LearnedSet } = await import('../../src/match/learned.js');
    return new LearnedSet(await store.learned.list());
  } finally {
    await store.close();
  }
}

async function makeBot(ctx: AppContext, store?: Stores): Promise<Bot> {
  const { Bot } = await import('../../src/bot/bot.js');
  return new Bot(
    ctx.engine,
    ctx.knowledge.guides,
    store ?? (await makeStore(ctx)),
    ctx.config.bot,
    undefined,
    ctx.config.learning,
  );
}

program
  .command('explain')
  .description('explain TEXT (or standard input): the best guide, rendered')
  .argument('[text...]', 'the error text; read from standard input when omitted')
  .option('--full', 'the whole guide, not the short reply')
  .action(async (words: string[], o: { full?: boolean }) => {
    const text = words.length ? words.join(' ') : await readStdin();
    const ctx = await openedApp();
    const { renderTerminal } = await import('../../src/reply/terminal.js');
    const store = await storeOrMemory(ctx);
    try {
      const bot = await makeBot(ctx, store);
      const who = { platform: 'cli', thread: 'cli', user: ctx.config.terminal.user };
      const reply = await bot.explain(who, text);
      process.stdout.write(renderTerminal(reply, { color: color(), full: o.full }) + '\n');
    } finally {
      await store.close();
    }
  });

program
  .command('match')
  .description('print the ranked matches as JSON')
  .argument('[text...]', 'the error text; read from standard input when omitted')
  .option('--json', 'one JSON object for TEXT or standard input (the default)')
  .option(
    '--jsonl',
    'batch: each standard-input line is a JSON object with a "text" field; one result line each',
  )
  .option('--threshold <n>', 'override the configured threshold', parseUnit)
  .action(async (words: string[], o: { jsonl?: boolean; threshold?: number }) => {
    const ctx = await openedApp();
    const learned = await learnedOf(ctx);
    const run = (text: string) => {
      const r = ctx.engine.match(text, o.threshold === undefined ? {} : { threshold: o.threshold }, learned);
      return { matches: r.matches, nearest: r.nearest, truncated: r.truncated, bytes: r.bytes };
    };
    if (!o.jsonl) {
      const text = words.length ? words.join(' ') : await readStdin();
      process.stdout.write(JSON.stringify(run(text)) + '\n');
      return;
    }
    if (words.length) throw new UsageError('--jsonl reads standard input; do not pass TEXT');
    const { createInterface } = await import('node:readline');
    let n = 0;
    for await (const line of createInterface({ input: process.stdin })) {
      n++;
      if (!line.trim()) continue;
      let text: unknown;
      try {
        text = (JSON.parse(line) as { text?: unknown }).text;
      } catch (e) {
        process.stdout.write(JSON.stringify({ line: n, error: `not JSON: ${(e as Error).message}` }) + '\n');
        continue;
      }
      if (typeof text !== 'string') {
        process.stdout.write(JSON.stringify({ line: n, error: 'no "text" string field' }) + '\n');
        continue;
      }
      process.stdout.write(JSON.stringify({ line: n, ...run(text) }) + '\n');
    }
  });

program
  .command('lint')
  .description('check guide folders: schema, sections, regex safety, related ids, examples')
  .argument('[dirs...]', 'folders to check (default: the built-in knowledge base)')
  .option('--fast', 'skip the slow ReDoS analysis (recheck) of regex signatures')
  .option('--thorough', 'run the ReDoS analysis on the built-in guides too (minutes)')
  .action(async (dirs: string[], o: { fast?: boolean; thorough?: boolean }) => {
    const { builtinKnowledgeDir, loadKnowledge } = await import('../../src/knowledge/load.js');
    const { lintGuides } = await import('../../src/knowledge/lint.js');
    const folders = dirs.length ? dirs.map((d) => path.resolve(d)) : [builtinKnowledgeDir()];
    const kb = loadKnowledge(folders);
    // A team folder is loaded beside the built-in guides, so its `related` may point at them.
    const builtinIds = new Set(loadKnowledge([builtinKnowledgeDir()]).guides.map((g) => g.id));
    const problems = [
      ...kb.problems,
      ...lintGuides(kb.guides, { catalogIds: await catalogIds(), knownIds: builtinIds }),
    ];
    if (!o.fast) {
      // recheck is loaded only here: every other command starts without it.
      const { redosProblems } = await import('../../src/knowledge/redos.js');
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

program
  .command('redact')
  .description('print FILE (standard input when none) with secrets redacted, as the bot redacts them')
  .argument('[file]', 'text to clean')
  .action(async (file?: string) => {
    const { redactToStdout } = await import('../../src/redact/index.js');
    redactToStdout(file);
  });

program
  .command('import')
  .description('convert guide pages in the plain-text seed layout into Markdown guides')
  .argument('<files...>', 'plain-text guide pages')
  .option('-o, --out <dir>', 'where to write <id>.md', 'knowledge')
  .option('--force', 'overwrite existing guides')
  .action(async (files: string[], o: { out: string; force?: boolean }) => {
    const { builtinKnowledgeDir, loadKnowledge } = await import('../../src/knowledge/load.js');
    const { importPlainGuide } = await import('../../src/knowledge/import.js');
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
      if (existsSync(target) && !o.force) throw new UsageError(`${target} exists; pass --force to overwrite`);
      writeFileSync(target, imported.markdown);
      for (const w of imported.warnings) process.stderr.write(`${f}: warning: ${w}\n`);
      process.stdout.write(`${f} -> ${target}\n`);
      known.add(imported.id);
    }
  });

program
  .command('list')
  .description('list the loaded guides (id and title)')
  .action(() => {
    for (const g of app().knowledge.guides) process.stdout.write(`${g.id}\t${g.title}\n`);
  });

program
  .command('show')
  .description('render one guide in full')
  .argument('<id>', 'guide id (see `faultline list`)')
  .action(async (id: string) => {
    const ctx = app();
    const { guideView } = await import('../../src/reply/model.js');
    const { renderTerminal } = await import('../../src/reply/terminal.js');
    const guide = ctx.knowledge.guides.find((g) => g.id === id);
    if (!guide) throw new UsageError(`no guide with id "${id}" (see \`faultline list\`)`);
    const all = new Map(ctx.knowledge.guides.map((g) => [g.id, g]));
    const reply = {
      kind: 'guide' as const,
      guide: guideView(guide, all),
      score: 1,
      evidence: { line: 0, text: '', signature: undefined },
      rank: 0,
      alternatives: [],
      truncatedInput: false,
      actions: [],
    };
    process.stdout.write(
      renderTerminal(reply, { color: color(), full: true })
        .split('\n')
        .filter((l, i) => i !== 1)
        .join('\n') + '\n',
    );
  });

program
  .command('chat')
  .description('the terminal bot: paste an error, get the guide')
  .action(async () => {
    const ctx = app();
    const { runChat } = await import('./chat.js');
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

program
  .command('start')
  .description('run the front ends the config and environment enable (the terminal chat when none)')
  .action(async () => {
    const ctx = app();
    // The platform SDKs load only here: every other command starts without them.
    const { startFrontEnds } = await import('./start.js');
    await startFrontEnds(ctx, await makeStore(ctx));
  });

registerDiagnosticsCommands(program, app);
registerDiscordCommands(program, app);
registerLearningCommands(program, { app, makeStore, makeBot, readStdin });

program
  .command('eval')
  .description(
    'measure matching quality on labelled pastes, per collection and split (test/corpus/<collection>/<split>.jsonl)',
  )
  .argument(
    '[dir]',
    'corpus folder: one folder per collection, or one folder of <split>.jsonl files',
    'test/corpus',
  )
  .option('--collection <name>', 'only this collection (real, written)')
  .option('--split <name>', 'only this split (dev, test)')
  .option('--misses', 'list every miss with its text')
  .option('--json', 'print the reports as JSON')
  .action(
    async (dir: string, o: { collection?: string; split?: string; misses?: boolean; json?: boolean }) => {
      const ctx = app();
      const [{ evaluate }, { readCollections }, { formatReport }] = await Promise.all([
        import('../../src/eval/evaluate.js'),
        import('../../src/eval/collections.js'),
        import('../../src/eval/report.js'),
      ]);
      const ids = new Set(ctx.knowledge.guides.map((g) => g.id));
      let splits: CorpusSplit[];
      try {
        splits = readCollections(dir, ids, o);
      } catch (e) {
        if (e instanceof ProblemsError) throw e;
        throw new UsageError((e as Error).message);
      }
      const threshold = ctx.config.match.threshold;
      const reports: Record<string, EvalReport> = {};
      // With learned examples in the store, both: a correction must never make the eval worse.
      const learned = await learnedOf(ctx);
      for (const s of splits) {
        reports[`${s.collection}/${s.split}`] = evaluate(ctx.engine, s.lines, threshold, SWEEP);
        if (learned?.size)
          reports[`${s.collection}/${s.split} with ${learned.size} learned`] = evaluate(
            ctx.engine,
            s.lines,
            threshold,
            SWEEP,
            learned,
          );
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
        return;
      }
      for (const [name, r] of Object.entries(reports))
        process.stdout.write(formatReport(name, r, threshold, Boolean(o.misses)));
    },
  );

const SWEEP = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

/** Catalog ids for lint: the built-in catalog plus a config's own entries when a config is in use. */
async function catalogIds(): Promise<ReadonlySet<string>> {
  const { BUILTIN_CATALOG } = await import('../../src/diagnostics/catalog.js');
  const ids = new Set(BUILTIN_CATALOG.map((e) => e.id));
  try {
    for (const e of app().config.diagnostics.catalog) ids.add(e.id);
  } catch {
    // Linting must work without a valid config or knowledge base; the built-in catalog is enough then.
  }
  return ids;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseUnit(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`--threshold must be a number from 0 to 1, got "${v}"`);
  return n;
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof ProblemsError) {
      for (const p of e.problems) process.stderr.write(formatProblem(p) + '\n');
      process.exitCode = 2;
    } else if (e instanceof UsageError) {
      process.stderr.write(`faultline: ${e.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`faultline: ${(e as Error).message ?? String(e)}\n`);
      if (process.env.FAULTLINE_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
