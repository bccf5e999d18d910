import type { Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
import { runChoicesFrom, type RunChoices } from '../../src/bot/run-choices.js';
import {
  PlatformError,
  type ConnectionState,
  type FrontEnd,
  type Outbound,
} from '../../src/frontend/frontend.js';
import { localOutbox, type Outbox } from '../../src/delivery/outbox.js';
import { discordConfigSchema, discordEnabled, discordEnv, discordSettings } from './config.js';

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
  extra: {
    env?: NodeJS.ProcessEnv;
    choices?: RunChoices;
    readyTimeoutMs?: number;
    onConnection?: (state: ConnectionState) => void;
    /** The process's outbox (`faultline start` passes the one on its store); else one in memory. */
    outbox?: Outbox;
  } = {},
): Promise<{ stop(): Promise<void>; outbound: Outbound }> {
  const env = extra.env ?? process.env;
  const settings = discordSettings(ctx.config.discord, env);
  const tokens = discordEnv(env);
  if ('missing' in tokens)
    throw new PlatformError('discord', `needs ${tokens.missing.join(', ')} in the environment`, true);
  // Autocomplete of /run: given explicitly, or from the bot once it offers it.
  const choices = extra.choices ?? (hasRunChoices(bot) ? bot : undefined);
  // discord.js loads only when Discord starts: the registry (and the config schema built from it) stays light.
  const { startDiscordApp } = await import('./app.js');
  const log = logger.child({ frontEnd: 'discord' });
  const own = extra.outbox ? undefined : localOutbox(ctx.config.delivery, log);
  const outbox = (extra.outbox ?? own) as Outbox;
  own?.start();
  const running = await startDiscordApp({
    outbox,
    bot,
    settings,
    env: tokens,
    log,
    passive: ctx.config.bot.incidentChannels.length > 0,
    proxyEnv: env,
    maxPasteBytes: ctx.config.match.maxPasteBytes,
    memberRoles: ctx.config.policy.rules.some((r) => r.roles !== undefined),
    ...(choices ? { choices } : {}),
    ...(extra.onConnection ? { onConnection: extra.onConnection } : {}),
    ...(extra.readyTimeoutMs !== undefined ? { readyTimeoutMs: extra.readyTimeoutMs } : {}),
  });
  return {
    stop: async () => {
      await own?.stop();
      await running.stop();
      outbox.unregister('discord');
    },
    outbound: running.outbound,
  };
}

export const discordFrontEnd: FrontEnd = {
  name: 'discord',
  configSchema: discordConfigSchema,
  secrets: ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'],
  enabled: ({ env }) => discordEnabled(env),
  start: ({ app, bot, logger, env, diagnostics, connection, outbox }) =>
    startDiscord(app, bot, logger, {
      env,
      ...(outbox ? { outbox } : {}),
      ...(diagnostics ? { choices: runChoicesFrom(diagnostics) } : {}),
      ...(connection ? { onConnection: (state) => connection('discord', state) } : {}),
    }),
};
