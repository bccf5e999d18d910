import { existsSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
import type { LearnedSet } from '../../src/match/learned.js';
import type { Stores } from '../../src/store/stores.js';
import { UsageError } from './usage.js';

// Only types and small helpers here: a one-shot `match` or `explain` loads this file too, and must not
// pay for zod, yaml, the guide parser or the renderers of other commands.

/** What every command file gets from `main.ts`: the app, built once, on first use. */
export interface Cli {
  /** Synchronous for the commands that take it as a getter; `createApp` is loaded before any action runs. */
  app(): AppContext;
  /** For one-shot commands: from the caches when they are good, without loading the validators. */
  openedApp(): Promise<AppContext>;
  /**
   * The guide folders a start would load: the built-in one unless the config says not, then the team
   * folders in order (the config's `knowledge:`, then `--knowledge`). From the config alone: no guide is
   * read, so a broken one does not stop `lint` or `import`. A bad config is the usual ProblemsError.
   */
  knowledgeDirs(): Promise<{ builtin?: string; team: string[] }>;
}

export function color(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

/** The terminal's width for wrapping prose; undefined (no wrapping) when stdout is not a terminal. */
export function width(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}

/** Who is at this terminal to the operating system, for the audit log; undefined when it cannot say. */
export function osUser(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new UsageError('no text given: pass it as an argument or pipe it on standard input');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function makeStore(ctx: AppContext): Promise<Stores> {
  const { openStores } = await import('../../src/store/open.js');
  return openStores(ctx.config.store, ctx.baseDir);
}

/**
 * The configured store for a one-shot command, or memory when it cannot be opened (`faultline start`
 * holds the file store): the answer then comes from the knowledge base alone, with a warning.
 */
export async function storeOrMemory(ctx: AppContext): Promise<Stores> {
  // A one-shot command never creates the store folder: only a running bot or `learn` does.
  const s = ctx.config.store;
  if (s.kind === 'memory' || (s.kind === 'file' && !existsSync(path.resolve(ctx.baseDir, s.dir)))) {
    const { memoryStores } = await import('../../src/store/stores.js');
    return memoryStores();
  }
  try {
    return await makeStore(ctx);
  } catch (e) {
    process.stderr.write(`faultline: learned examples not applied: ${(e as Error).message}\n`);
    const { memoryStores } = await import('../../src/store/stores.js');
    return memoryStores();
  }
}

/** The learned examples in the configured store, for `match` and `eval`. */
export async function learnedOf(ctx: AppContext): Promise<LearnedSet> {
  const store = await storeOrMemory(ctx);
  try {
    const { LearnedSet } = await import('../../src/match/learned.js');
    return new LearnedSet(await store.learned.list());
  } finally {
    await store.close();
  }
}

/** Opens the configured store, runs `fn`, closes it; a store that cannot be opened is one line, exit 1. */
export async function withStore<T>(ctx: AppContext, fn: (store: Stores) => Promise<T>): Promise<T> {
  let store: Stores;
  try {
    store = await makeStore(ctx);
  } catch (e) {
    throw new Error(`the store is unavailable: ${(e as Error).message}`);
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function makeBot(ctx: AppContext, store?: Stores): Promise<Bot> {
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

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseUnit(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`--threshold must be a number from 0 to 1, got "${v}"`);
  return n;
}
