import type { Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import type { Bot } from '../../src/bot/bot.js';
import { PlatformError, type FrontEnd, type Outbound } from '../../src/frontend/frontend.js';
import type { SlackAppOptions } from './app.js';
import { localOutbox, type Outbox } from '../../src/delivery/outbox.js';
import { slackConfigSchema, slackEnv, slackSettings, type SlackConfig } from './config.js';

export { slackConfigSchema, type SlackConfig } from './config.js';

/** Whether the environment asks for the Slack front end (`faultline start` runs it when true). */
export function slackEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SLACK_BOT_TOKEN && (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET));
}

/**
 * Starts the Slack front end: Socket Mode by default, the Events API over HTTP with `mode: http`. Tokens
 * come from the environment. Resolves once connected (or listening); `stop` finishes replies and
 * diagnostic runs under way, then disconnects.
 */
export async function startSlack(
  ctx: AppContext,
  bot: Bot,
  logger: Logger,
  extra: Pick<SlackAppOptions, 'socket' | 'sleep' | 'onConnection'> & {
    env?: NodeJS.ProcessEnv;
    /** The process's outbox (`faultline start` passes the one on its store); else one in memory. */
    outbox?: Outbox;
  } = {},
): Promise<{ stop(): Promise<void>; port?: number; outbound: Outbound }> {
  const env = extra.env ?? process.env;
  const settings: SlackConfig = slackSettings(ctx.config.slack, env);
  const tokens = slackEnv(env, settings.mode);
  if ('missing' in tokens)
    throw new PlatformError(
      'slack',
      `${settings.mode} mode needs ${tokens.missing.join(', ')} in the environment`,
      true,
    );
  // Bolt loads only when Slack starts: the registry (and the config schema built from it) stays light.
  const { startSlackApp } = await import('./app.js');
  const log = logger.child({ frontEnd: 'slack' });
  const own = extra.outbox ? undefined : localOutbox(ctx.config.delivery, log);
  const outbox = extra.outbox ?? own;
  own?.start();
  const running = await startSlackApp({
    outbox: outbox as Outbox,
    bot,
    settings,
    env: tokens,
    log,
    maxPasteBytes: ctx.config.match.maxPasteBytes,
    userGroups: ctx.config.policy.rules.some((r) => r.roles !== undefined),
    ...(extra.socket ? { socket: extra.socket } : {}),
    ...(extra.sleep ? { sleep: extra.sleep } : {}),
    ...(extra.onConnection ? { onConnection: extra.onConnection } : {}),
  });
  return {
    stop: async () => {
      await own?.stop();
      await running.stop();
      outbox?.unregister('slack');
    },
    outbound: running.outbound,
    ...(running.port !== undefined ? { port: running.port } : {}),
  };
}

export const slackFrontEnd: FrontEnd = {
  name: 'slack',
  configSchema: slackConfigSchema,
  secrets: ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'],
  enabled: ({ env }) => slackEnabled(env),
  start: ({ app, bot, logger, env, connection, outbox }) =>
    startSlack(app, bot, logger, {
      env,
      ...(outbox ? { outbox } : {}),
      ...(connection ? { onConnection: (state) => connection('slack', state) } : {}),
    }),
};
