import type { Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
import { runChoicesFrom, type RunChoices } from '../../src/bot/run-choices.js';
import type { FrontEnd, Outbound } from '../../src/frontend/frontend.js';
import { startDiscordApp } from './app.js';
import { discordEnabled, discordEnv, discordSettings } from './config.js';

export { discordConfigSchema, discordEnabled, type DiscordConfig } from './config.js';

function hasRunChoices(x: unknown): x is RunChoices {
  return typeof (x as Partial<RunChoices> | undefined)?.runChoices === 'function';
}

/**
 * Starts the Discord front end (gateway client and interactions). The token and application id come from
 * the environment. Resolves once READY; `stop` finishes replies and diagnostic runs under way, then
 * disconnects.
 */
export async function startDiscord(
  ctx: AppContext,
  bot: Bot,
  logger: Logger,
  extra: { env?: NodeJS.ProcessEnv; choices?: RunChoices; readyTimeoutMs?: number } = {},
): Promise<{ stop(): Promise<void>; outbound: Outbound }> {
  const env = extra.env ?? process.env;
  const settings = discordSettings(ctx.config.discord, env);
  const tokens = discordEnv(env);
  if ('missing' in tokens) throw new Error(`Discord needs ${tokens.missing.join(', ')} in the environment`);
  // Autocomplete of /run: given explicitly, or from the bot once it offers it.
  const choices = extra.choices ?? (hasRunChoices(bot) ? bot : undefined);
  const running = await startDiscordApp({
    bot,
    settings,
    env: tokens,
    log: logger.child({ frontEnd: 'discord' }),
    passive: ctx.config.bot.incidentChannels.length > 0,
    maxPasteBytes: ctx.config.match.maxPasteBytes,
    memberRoles: ctx.config.policy.rules.some((r) => r.roles !== undefined),
    ...(choices ? { choices } : {}),
    ...(extra.readyTimeoutMs !== undefined ? { readyTimeoutMs: extra.readyTimeoutMs } : {}),
  });
  return { stop: () => running.stop(), outbound: running.outbound };
}

export const discordFrontEnd: FrontEnd = {
  name: 'discord',
  enabled: ({ env }) => discordEnabled(env),
  start: ({ app, bot, logger, env, diagnostics }) =>
    startDiscord(app, bot, logger, { env, ...(diagnostics ? { choices: runChoicesFrom(diagnostics) } : {}) }),
};
