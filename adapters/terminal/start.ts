import { pino, type Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import type { FrontEnd, FrontEndContext, RunningFrontEnd } from '../../src/frontend/frontend.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import type { Stores } from '../../src/store/stores.js';
import { discordFrontEnd } from '../discord/index.js';
import { slackFrontEnd } from '../slack/index.js';
import { terminalFrontEnd } from './chat.js';

/** Every chat platform `faultline start` knows; a new one is one line here. */
export const FRONT_ENDS: readonly FrontEnd[] = [slackFrontEnd, discordFrontEnd];

/**
 * `faultline start`: every front end the environment enables, sharing one bot, store, diagnostics service
 * and metrics; the terminal chat when none is enabled. SIGTERM and SIGINT stop taking work, let replies
 * and diagnostic runs under way finish, close SSH connections (the audit log is flushed line by line as
 * it is written), then exit.
 */
export async function startFrontEnds(
  ctx: AppContext,
  store: Stores,
  logger: Logger = pino(pino.destination(2)),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const diagnostics =
    ctx.config.diagnostics.hosts.length > 0
      ? DiagnosticsService.fromConfig(ctx.config, ctx.baseDir, store.approvals)
      : undefined;
  const bot = new Bot(
    ctx.engine,
    ctx.knowledge.guides,
    store,
    ctx.config.bot,
    diagnostics,
    ctx.config.learning,
  );
  const metrics = new BotMetrics({ processMetrics: true });
  bot.observe(metrics);
  let ops: OpsServer | undefined;
  if (ctx.config.ops.port !== undefined) {
    ops = await startOpsServer(metrics, { port: ctx.config.ops.port, host: ctx.config.ops.host });
    logger.info({ port: ops.port, host: ctx.config.ops.host }, 'operations port listening');
  }
  const feCtx: FrontEndContext = { app: ctx, bot, diagnostics, logger, env };
  const enabled = FRONT_ENDS.filter((f) => f.enabled(feCtx));
  const chosen = enabled.length ? enabled : [terminalFrontEnd];
  const running: (RunningFrontEnd & { name: string })[] = [];
  for (const f of chosen) running.push({ name: f.name, ...(await f.start(feCtx)) });

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

  ops?.setReady(true);
  if (enabled.length)
    logger.info(
      { frontEnds: running.map((r) => r.name), guides: ctx.knowledge.guides.length },
      'faultline started',
    );
  const ended = running.flatMap((r) => (r.done ? [r.done.then(() => 'end of input')] : []));
  await new Promise<void>((resolve) => {
    const stop = (why: string) => void shutdown(why).then(resolve);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    if (ended.length) void Promise.race(ended).then(stop);
  });
}
