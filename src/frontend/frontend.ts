import type { Logger } from 'pino';
import type { AppContext } from '../app.js';
import type { Bot } from '../bot/bot.js';
import type { BotReply } from '../bot/diagnostics.js';
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

/** Messages the bot starts itself (alerts) rather than answers: the one thing the core asks a platform to send. */
export interface Outbound {
  /**
   * Posts `replies` in `channel`: in the conversation `thread` when given, else the first reply starts a
   * thread and the rest go in it. Resolves to the conversation's key (the same key inbound events carry
   * for that thread), or undefined when a message could not be delivered (the caller's sender retries).
   */
  post(channel: string, thread: string | undefined, replies: BotReply[]): Promise<string | undefined>;
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
 * One chat platform, as `faultline start` sees it: a name, whether the environment and config enable
 * it, and start. Everything else (its config section, decoding events into `Bot.receive` / `Bot.act`,
 * encoding replies, delivery) lives in its own folder under `adapters/`.
 */
export interface FrontEnd {
  name: string;
  enabled(ctx: Pick<FrontEndContext, 'app' | 'env'>): boolean;
  start(ctx: FrontEndContext): Promise<RunningFrontEnd>;
}
