import { pino, type Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import { diagnosticsPortFor } from '../../src/bot/service-port.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { watchStore } from '../../src/ops/store-watch.js';
import type { Stores } from '../../src/store/stores.js';
import { slackEnabled, startSlack } from '../slack/index.js';
import { discordEnabled, startDiscord } from '../discord/index.js';
import { runChoicesFrom } from '../../src/bot/run-choices.js';
import { runChat } from './chat.js';

interface Running {
  name: string;
  stop(): Promise<void>;
}

/**
 * `faultline start`: every front end the environment enables (Slack, Discord: when their tokens are set), sharing one
 * bot, store, diagnostics service and metrics; the terminal chat when none is enabled. SIGTERM and SIGINT
 * stop taking work, let replies and diagnostic runs under way finish, close SSH connections (the audit
 * log is flushed line by line as it is written), then exit.
 */
export async function startFrontEnds(
  ctx: AppContext,
  store: Stores,
  logger: Logger = pino(pino.destination(2)),
): Promise<void> {
  const diagnostics = diagnosticsPortFor(ctx, store);
  const bot = new Bot(ctx.engine, ctx.knowledge.guides, store, ctx.config.bot, diagnostics);
  const metrics = new BotMetrics({ processMetrics: true });
  bot.observe(metrics);
  watchStore(store, metrics, logger);
  let ops: OpsServer | undefined;
  if (ctx.config.ops.port !== undefined) {
    ops = await startOpsServer(metrics, {
      port: ctx.config.ops.port,
      host: ctx.config.ops.host,
      store: () => store.health(),
    });
    logger.info({ port: ops.port, host: ctx.config.ops.host }, 'operations port listening');
  }
  const running: Running[] = [];
  if (slackEnabled()) running.push({ name: 'slack', ...(await startSlack(ctx, bot, logger)) });
  if (discordEnabled()) {
    const choices = diagnostics
      ? { choices: runChoicesFrom(diagnostics, diagnostics.service.catalog.list()) }
      : {};
    running.push({ name: 'discord', ...(await startDiscord(ctx, bot, logger, choices)) });
  }

  const shutdown = async (why: string) => {
    ops?.setReady(false);
    logger.info({ why }, 'shutting down');
    for (const r of running) {
      try {
        await r.stop();
      } catch (e) {
        logger.error({ frontEnd: r.name, err: e }, 'front end did not stop cleanly');
      }
    }
    await diagnostics?.close();
    await store.close();
    await ops?.close();
  };

  if (running.length === 0) {
    ops?.setReady(true);
    await runChat(bot, {
      input: process.stdin,
      output: process.stdout,
      color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      user: ctx.config.terminal.user,
    });
    await shutdown('end of input');
    return;
  }
  ops?.setReady(true);
  logger.info(
    { frontEnds: running.map((r) => r.name), guides: ctx.knowledge.guides.length },
    'faultline started',
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => void shutdown(signal).then(resolve);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
