#!/usr/bin/env node
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { createApp, type AppContext } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import { evaluate, readCorpus, type EvalReport } from '../../src/eval/evaluate.js';
import { importPlainGuide } from '../../src/knowledge/import.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { lintGuides } from '../../src/knowledge/lint.js';
import { guideView } from '../../src/reply/model.js';
import { renderTerminal } from '../../src/reply/terminal.js';
import { openStores } from '../../src/store/open.js';
import { memoryStores, type Stores } from '../../src/store/stores.js';
import { formatProblem, ProblemsError } from '../../src/util/problems.js';
import { runChat } from './chat.js';
import { registerDiagnosticsCommands } from './commands/diagnostics.js';
import { registerDiscordCommands } from '../discord/cli.js';
import { BUILTIN_CATALOG } from '../../src/diagnostics/catalog.js';

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
function app(): AppContext {
  if (!appCache) {
    const o = program.opts<{ config?: string; knowledge: string[] }>();
    appCache = createApp({ configFile: o.config, knowledgeDirs: o.knowledge });
  }
  return appCache;
}

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

function makeStore(ctx: AppContext): Promise<Stores> {
  return openStores(ctx.config.store, ctx.baseDir);
}

function makeBot(ctx: AppContext, store: Stores): Bot {
  return new Bot(ctx.engine, ctx.knowledge.guides, store, ctx.config.bot);
}

program
  .command('explain')
  .description('explain TEXT (or standard input): the best guide, rendered')
  .argument('[text...]', 'the error text; read from standard input when omitted')
  .option('--full', 'the whole guide, not the short reply')
  .action(async (words: string[], o: { full?: boolean }) => {
    const text = words.length ? words.join(' ') : await readStdin();
    const ctx = app();
    const bot = makeBot(ctx, memoryStores());
    const reply = await bot.explain({ platform: 'cli', thread: 'cli', user: ctx.config.terminal.user }, text);
    process.stdout.write(renderTerminal(reply, { color: color(), full: o.full }) + '\n');
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
    const ctx = app();
    const run = (text: string) => {
      const r = ctx.engine.match(text, o.threshold === undefined ? {} : { threshold: o.threshold });
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
  .action(async (dirs: string[]) => {
    const folders = dirs.length ? dirs.map((d) => path.resolve(d)) : [builtinKnowledgeDir()];
    const kb = loadKnowledge(folders);
    // A team folder is loaded beside the built-in guides, so its `related` may point at them.
    const builtinIds = new Set(loadKnowledge([builtinKnowledgeDir()]).guides.map((g) => g.id));
    const problems = [
      ...kb.problems,
      ...lintGuides(kb.guides, { catalogIds: await catalogIds(), knownIds: builtinIds }),
    ];
    for (const p of problems) process.stderr.write(formatProblem(p) + '\n');
    process.stdout.write(
      `${kb.guides.length} guides, ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`,
    );
    if (problems.length) process.exitCode = 1;
  });

program
  .command('import')
  .description('convert guide pages in the plain-text seed layout into Markdown guides')
  .argument('<files...>', 'plain-text guide pages')
  .option('-o, --out <dir>', 'where to write <id>.md', 'knowledge')
  .option('--force', 'overwrite existing guides')
  .action((files: string[], o: { out: string; force?: boolean }) => {
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
  .action((id: string) => {
    const ctx = app();
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
    const store = await makeStore(ctx);
    try {
      await runChat(makeBot(ctx, store), {
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

program
  .command('eval')
  .description('measure matching quality on labelled pastes (test/corpus/*.jsonl)')
  .argument('[dir]', 'folder of <split>.jsonl files', 'test/corpus')
  .option('--split <name>', 'only this split')
  .option('--misses', 'list every miss with its text')
  .option('--json', 'print the reports as JSON')
  .action((dir: string, o: { split?: string; misses?: boolean; json?: boolean }) => {
    const ctx = app();
    const ids = new Set(ctx.knowledge.guides.map((g) => g.id));
    if (!existsSync(dir)) throw new UsageError(`${dir}: no such folder`);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jsonl') && (!o.split || f === `${o.split}.jsonl`))
      .sort();
    if (!files.length) throw new UsageError(`no ${o.split ? `${o.split}.jsonl` : '*.jsonl'} in ${dir}`);
    const threshold = ctx.config.match.threshold;
    const reports: Record<string, EvalReport> = {};
    for (const f of files) {
      reports[f.replace(/\.jsonl$/, '')] = evaluate(
        ctx.engine,
        readCorpus(path.join(dir, f), ids),
        threshold,
        [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8],
      );
    }
    if (o.json) {
      process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
      return;
    }
    for (const [split, r] of Object.entries(reports)) printReport(split, r, threshold, Boolean(o.misses));
  });

function printReport(split: string, r: EvalReport, threshold: number, showText: boolean): void {
  const p = (x: number) => `${(x * 100).toFixed(1)}%`;
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`== ${split}: ${r.positives} positives, ${r.negatives} negatives, threshold ${threshold}`);
  w(
    `top-1 ${p(r.top1)}  top-3 ${p(r.top3)}  MRR ${r.mrr.toFixed(3)}  false positives ${p(r.falsePositiveRate)}  coverage ${p(r.coverage)}  precision ${p(r.precision)}`,
  );
  w(`latency p50 ${r.latencyMs.p50.toFixed(3)} ms  p99 ${r.latencyMs.p99.toFixed(3)} ms`);
  w('threshold sweep: threshold  coverage  precision  quiet-on-negatives  top-1');
  for (const s of r.sweep)
    w(`  ${s.threshold.toFixed(2)}  ${p(s.coverage)}  ${p(s.precision)}  ${p(s.quiet)}  ${p(s.top1)}`);
  w(`misses (${r.misses.length}): expected -> got (score) [source]`);
  for (const m of r.misses) {
    w(`  ${m.expected ?? '(none)'} -> ${m.got ?? '(none)'} (${m.score}) [${m.source}]`);
    if (showText) w('    ' + m.text.slice(0, 400).replace(/\n/g, '\n    '));
  }
}

/** Catalog ids for lint: the built-in catalog plus a config's own entries when a config is in use. */
async function catalogIds(): Promise<ReadonlySet<string>> {
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
