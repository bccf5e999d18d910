import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { AppContext } from '../app.js';
import type { Bot } from '../bot/bot.js';
import type { BotReply } from '../bot/diagnostics.js';
import type { DiagnosticsService } from '../diagnostics/service.js';
import type { AfterThread, Outbox, PostOutcome } from '../delivery/outbox.js';

/** What `faultline start` hands every front end: one bot, one diagnostics service, one logger. */
export interface FrontEndContext {
  app: AppContext;
  bot: Bot;
  /** Undefined when no hosts are configured (guides then offer no runs). */
  diagnostics: DiagnosticsService | undefined;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** Where every reply goes: written ahead, sent, retried by any replica until the platform takes it. */
  outbox?: Outbox;
  /** Where a platform reports its connection after start: readiness follows it, a fatal loss stops the process. */
  connection?: (platform: string, state: ConnectionState) => void;
}

export type ConnectionState = { up: true } | { up: false; reason: string; fatal?: boolean };

/**
 * Why a platform could not start. `fatal`: retrying cannot fix it (a refused token, a missing intent or
 * scope), so `faultline start` exits non-zero; otherwise (the network) it retries with backoff.
 * The message is the one line an operator reads: the platform, then the cause.
 */
export class PlatformError extends Error {
  constructor(
    readonly platform: string,
    readonly reason: string,
    readonly fatal: boolean,
  ) {
    super(`${platform}: ${reason}`);
    this.name = 'PlatformError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * The network failure behind an SDK error (`ECONNREFUSED 127.0.0.1:443`), looked for in the error and
 * what it wraps (`cause`, `original`, `errors`), since each SDK wraps differently; undefined when the
 * failure is not the network's.
 */
export function networkCause(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const e = err as {
    code?: unknown;
    message?: unknown;
    name?: unknown;
    cause?: unknown;
    original?: unknown;
    errors?: unknown;
  };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code))
    return typeof e.message === 'string' && e.message.includes(e.code)
      ? e.message
      : `${e.code} ${String(e.message ?? '')}`.trim();
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timed out';
  for (const inner of [e.cause, e.original, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = networkCause(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Messages the bot starts itself (alerts) rather than answers: the one thing the core asks a platform to send. */
export interface Outbound {
  /**
   * Posts `replies` in `channel` through the outbox: in the conversation `thread` when given, else the first
   * reply starts a thread and the rest go in it. `id` makes the post unique (its idempotency key comes from
   * it, so posting the same id again while it waits does not post twice).
   */
  post(req: {
    channel: string;
    thread?: string;
    replies: BotReply[];
    id: string;
    after?: AfterThread;
  }): Promise<PostOutcome>;
}

export interface RunningFrontEnd {
  /** How the core posts into this platform (alerts); absent for the terminal. */
  outbound?: Outbound;
  /** Stop taking work, finish replies and runs under way, disconnect. */
  stop(): Promise<void>;
  /** Resolves when the front end ends by itself (the terminal at end of input); platforms never do. */
  done?: Promise<void>;
}

/**
 * One chat platform, as `faultline start` sees it: a name, its config section's schema, whether the
 * environment and config enable it, and start. Everything else (decoding events into `Bot.receive` / `Bot.act`,
 * encoding replies, delivery) lives in its own folder under `adapters/`.
 */
export interface FrontEnd {
  name: string;
  /**
   * The schema of its config section, keyed by `name` (`slack:`); the config file's schema is composed
   * from the registry's, so a bad key in a section is still a problem with file and line.
   */
  configSchema?: ZodType;
  /** Its credentials' variables; each may instead be given as a file by `<NAME>_FILE` (`src/config/secrets.ts`). */
  secrets?: readonly string[];
  enabled(ctx: Pick<FrontEndContext, 'app' | 'env'>): boolean;
  start(ctx: FrontEndContext): Promise<RunningFrontEnd>;
}

/** Every credential variable of a registry of front ends. */
export function secretsOf(frontEnds: readonly FrontEnd[]): string[] {
  return frontEnds.flatMap((f) => f.secrets ?? []);
}

/** The config sections of a registry of front ends, for `createApp({ configSections })`. */
export function configSectionsOf(frontEnds: readonly FrontEnd[]): Record<string, ZodType> {
  const out: Record<string, ZodType> = {};
  for (const f of frontEnds) if (f.configSchema) out[f.name] = f.configSchema;
  return out;
}
