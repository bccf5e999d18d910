#!/usr/bin/env node
import { Command, Option } from 'commander';
import type { AppContext } from '../../src/app.js';
import type { ConfigSections } from '../../src/config/schema.js';
import { formatProblem, ProblemsError } from '../../src/util/problems.js';
import { version } from '../../src/version.js';
import { collect, type Cli } from './cli.js';
import { registerChatCommand } from './commands/chat.js';
import { registerDiagnosticsCommands } from './commands/diagnostics.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerExplainCommand } from './commands/explain.js';
import { registerGapsCommand } from './commands/gaps.js';
import { registerImportCommand } from './commands/import.js';
import { registerInitCommand } from './commands/init.js';
import { registerLearnCommand } from './commands/learn.js';
import { registerLearnedCommand } from './commands/learned.js';
import { registerLintCommand } from './commands/lint.js';
import { registerListCommand } from './commands/list.js';
import { registerMatchCommand } from './commands/match.js';
import { registerNewCommand } from './commands/new.js';
import { registerRedactCommand } from './commands/redact.js';
import { registerShowCommand } from './commands/show.js';
import { registerStartCommand } from './commands/start.js';
import { UsageError } from './usage.js';
import { registerDiscordCommands } from '../discord/cli.js';

// One file per command in ./commands/ (each exports `register...(program, cli)`); everything else loads in
// the command that needs it: a one-shot `match` or `explain` served from the knowledge cache must not pay
// for zod, yaml, the guide parser or the renderers of other commands.

// Exit codes: 0 fine, 1 a finding (lint problems, a failed check), 2 bad input or usage.

const program = new Command();
program
  .name('faultline')
  .description('Explains pasted errors with guides from a knowledge base; runs whitelisted diagnostics.')
  .version(version(), '-V, --version', 'print the version and exit')
  .option('-c, --config <file>', 'config file (default: ./faultline.yaml if present)')
  .addOption(
    new Option('-k, --knowledge <dir>', 'extra guide folder, after the config ones (repeatable)')
      .argParser(collect)
      .default([]),
  )
  .option('--skip-broken', 'start without guide files or folders that have problems, naming each')
  .showHelpAfterError();

let appCache: AppContext | undefined;
let createApp: typeof import('../../src/app.js').createApp | undefined;
let configSections: ConfigSections | undefined;
function appOptions() {
  const o = program.opts<{ config?: string; knowledge: string[]; skipBroken?: boolean }>();
  return {
    configFile: o.config,
    knowledgeDirs: o.knowledge,
    env: process.env,
    skipBroken: o.skipBroken === true,
    ...(configSections ? { configSections } : {}),
  };
}
/** The front ends' config schemas (zod), loaded only when a config has to be validated. */
async function loadConfigSections(): Promise<ConfigSections> {
  return (configSections ??= (await import('./front-ends.js')).CONFIG_SECTIONS);
}
/** Synchronous for the commands that take it as a getter; `createApp` is loaded before any action runs. */
function app(): AppContext {
  if (!createApp) throw new Error('createApp used before it was loaded');
  if (!appCache) appCache = skipped(createApp(appOptions()));
  return appCache;
}
/** Names each guide file left out under `--skip-broken`, so that nothing goes quiet unannounced. */
function skipped(ctx: AppContext): AppContext {
  for (const p of ctx.knowledge.problems) process.stderr.write(`faultline: skipped: ${formatProblem(p)}\n`);
  return ctx;
}
/** For one-shot commands: from the caches when they are good, without loading the validators. */
async function openedApp(): Promise<AppContext> {
  if (!appCache) {
    const { openApp } = await import('../../src/open.js');
    appCache = skipped(await openApp(appOptions(), loadConfigSections));
  }
  return appCache;
}
async function knowledgeDirs(): Promise<{ builtin?: string; team: string[] }> {
  const [{ loadConfig }, { knowledgeDirsFor }] = await Promise.all([
    import('../../src/config/load.js'),
    import('../../src/open.js'),
  ]);
  const o = appOptions();
  const cwd = process.cwd();
  const { config, baseDir } = loadConfig(o.configFile, cwd, await loadConfigSections(), o.env);
  const dirs = knowledgeDirsFor(config, baseDir, o.knowledgeDirs, cwd);
  return config.builtinKnowledge ? { builtin: dirs[0], team: dirs.slice(1) } : { team: dirs };
}
const cli: Cli = { app, openedApp, knowledgeDirs };
const ONE_SHOT = new Set(['match', 'explain']);
program.hook('preAction', async (_root, command) => {
  if (ONE_SHOT.has(command.name())) return;
  const [app, { SECRET_VARIABLES }, { readSecretFiles }] = await Promise.all([
    import('../../src/app.js'),
    import('./front-ends.js'),
    import('../../src/config/secrets.js'),
    loadConfigSections(),
  ]);
  createApp = app.createApp;
  // Secrets mounted as files (`SLACK_BOT_TOKEN_FILE`) become their variables before anything reads them.
  const problems = readSecretFiles(process.env, SECRET_VARIABLES);
  if (problems.length) throw new UsageError(problems.join('\n'));
});

registerExplainCommand(program, cli);
registerMatchCommand(program, cli);
registerLintCommand(program, cli);
registerRedactCommand(program, cli);
registerImportCommand(program, cli);
registerListCommand(program, cli);
registerShowCommand(program, cli);
registerChatCommand(program, cli);
registerStartCommand(program, cli);
registerLearnCommand(program, cli);
registerLearnedCommand(program, cli);
registerGapsCommand(program, cli);
registerNewCommand(program, cli);
registerInitCommand(program, cli);
registerDiagnosticsCommands(program, app);
registerDiscordCommands(program, app);

registerEvalCommand(program, cli);

// Piped into `head` or `less` that quit: stop quietly, as Unix tools do, instead of an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

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
