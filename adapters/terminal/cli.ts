import os from 'node:os';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
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

export async function makeBot(ctx: AppContext, store?: Stores): Promise<Bot> {
  const { Bot } = await import('../../src/bot/bot.js');
  return new Bot(ctx.engine, ctx.knowledge.guides, store ?? (await makeStore(ctx)), ctx.config.bot);
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
