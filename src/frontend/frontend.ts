import type { Logger } from 'pino';
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
 * One chat platform, as `faultline start` sees it: a name, whether the environment and config enable
 * it, and start. Everything else (its config section, decoding events into `Bot.receive` / `Bot.act`,
 * encoding replies, delivery) lives in its own folder under `adapters/`.
 */
export interface FrontEnd {
  name: string;
  enabled(ctx: Pick<FrontEndContext, 'app' | 'env'>): boolean;
  start(ctx: FrontEndContext): Promise<RunningFrontEnd>;
}
