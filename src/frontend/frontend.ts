import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { AppContext } from '../app.js';
import type { Bot } from '../bot/bot.js';
import type { DiagnosticsService } from '../diagnostics/service.js';

/** What `faultline start` hands every front end: one bot, one diagnostics service, one logger. */
export interface FrontEndContext {
  app: AppContext;
  bot: Bot;
  /** Undefined when no hosts are configured (guides then offer no runs). */
  diagnostics: DiagnosticsService | undefined;
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

export interface RunningFrontEnd {
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
  enabled(ctx: Pick<FrontEndContext, 'app' | 'env'>): boolean;
  start(ctx: FrontEndContext): Promise<RunningFrontEnd>;
}

/** The config sections of a registry of front ends, for `createApp({ configSections })`. */
export function configSectionsOf(frontEnds: readonly FrontEnd[]): Record<string, ZodType> {
  const out: Record<string, ZodType> = {};
  for (const f of frontEnds) if (f.configSchema) out[f.name] = f.configSchema;
  return out;
}
