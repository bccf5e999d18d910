import type { Logger } from 'pino';
import type { AppContext } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import {
  PlatformError,
  type ConnectionState,
  type FrontEnd,
  type FrontEndContext,
  type RunningFrontEnd,
} from '../../src/frontend/frontend.js';
import { AlertIntake, alertsSettings, parseChannelRef } from '../../src/ops/alerts.js';
import { GapsDigest } from '../../src/ops/digest.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { Outbox, recordThread } from '../../src/delivery/outbox.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import { GuideReloader } from '../../src/ops/reload.js';
import { buildKnowledge } from '../../src/knowledge/reload.js';
import { BUILTIN_CATALOG } from '../../src/diagnostics/catalog.js';
import { formatProblem } from '../../src/util/problems.js';
import { watchStore } from '../../src/ops/store-watch.js';
import type { Stores } from '../../src/store/stores.js';
import { terminalFrontEnd } from './chat.js';
import { startLogger } from './log.js';
import { version } from '../../src/version.js';
import { FRONT_ENDS } from './front-ends.js';

export { FRONT_ENDS };

/**
 * Guide folders reloaded on change and on SIGHUP: linted aside, swapped into the bot in one step only
 * without problems; each refused reload logs every problem with file and line, and the old set serves on.
 */
function guideReloader(ctx: AppContext, bot: Bot, metrics: BotMetrics, logger: Logger): GuideReloader {
  const catalogIds = new Set([...BUILTIN_CATALOG, ...ctx.config.diagnostics.catalog].map((e) => e.id));
  const reloader = new GuideReloader({
    dirs: ctx.knowledgeDirs,
    build: () =>
      buildKnowledge(ctx.knowledgeDirs, ctx.config.match, catalogIds, (message) => logger.warn(message)),
    apply: (engine, guides) => bot.replaceKnowledge(engine, guides),
    initialGuides: ctx.knowledge.guides.length,
    onOutcome: (o) => {
      metrics.guideReload({ ok: o.ok, at: o.at, guides: o.guides, problems: o.problems.length });
      if (o.ok) {
        logger.info({ reason: o.reason, guides: o.guides }, 'guides reloaded');
        return;
      }
      for (const p of o.problems) logger.error({ problem: formatProblem(p) }, 'guide problem');
      logger.error(
        { reason: o.reason, problems: o.problems.length, guides: o.guides },
        'guide reload refused; the previous guides keep serving',
      );
    },
  });
  reloader.watch();
  return reloader;
}

/** Backoff between start attempts of a platform that cannot be reached: 1 s doubling to 30 s. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface StartOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where the one-line fatal error goes (stderr). */
  fatal?: (line: string) => void;
}

/**
 * `faultline start`: every front end the environment enables, sharing one bot, store, diagnostics service
 * and metrics; the terminal chat when none is. Returns the exit code; the caller exits with it, since an
 * SDK may keep timers or sockets alive after its stop (a reconnect under way), and a stop must stop.
 *
 * Each platform starts on its own: what retrying cannot fix (a refused token, a missing intent or scope)
 * ends the process with one line naming the platform and the cause, and code 1; a network failure is
 * retried with backoff while `/readyz` answers 503 naming the platform. SIGTERM and SIGINT stop taking
 * work and let replies and runs under way finish, for at most `ops.drainSeconds`.
 */
export async function startFrontEnds(
  ctx: AppContext,
  store: Stores,
  opts: StartOptions = {},
): Promise<number> {
  const env = opts.env ?? process.env;
  const logger = opts.logger ?? startLogger(env);
  // The terminal chat shares the screen with the logs: only what needs a person's attention is logged there,
  // unless an operations port says it runs as a service (then reloads and the rest are worth a line).
  const terminalOnly = !FRONT_ENDS.some((f) => f.enabled({ app: ctx, env }));
  if (terminalOnly && !opts.logger && ctx.config.ops.port === undefined) logger.level = 'warn';
  logger.info({ version: version(), node: process.version, pid: process.pid }, 'faultline starting');
  const fatalLine = opts.fatal ?? ((line: string) => process.stderr.write(`faultline: ${line}\n`));
  const digestTo = ctx.config.learning.digest?.channel;
  if (digestTo) {
    const { platform } = parseChannelRef(digestTo);
    if (!FRONT_ENDS.some((f) => f.name === platform && f.enabled({ app: ctx, env }))) {
      fatalLine(
        `learning.digest.channel is ${digestTo}, but ${platform} is not configured here: configure it, or remove learning.digest`,
      );
      return 1;
    }
  }
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
  metrics.guidesLoaded(ctx.knowledge.guides.length);
  const reloader = guideReloader(ctx, bot, metrics, logger);
  const running: (RunningFrontEnd & { name: string })[] = [];
  const alerts = new AlertIntake(
    bot,
    store,
    alertsSettings(ctx.config.alerts, env),
    (platform) => running.find((r) => r.name === platform)?.outbound,
  );
  const digest = ctx.config.learning.digest
    ? new GapsDigest(
        ctx.config.learning.digest,
        store.gaps,
        (platform) => running.find((r) => r.name === platform)?.outbound,
        logger.child({ component: 'digest' }),
      )
    : undefined;
  watchStore(store, metrics, logger);
  const outbox = new Outbox(store.outbox, ctx.config.delivery, logger.child({ component: 'outbox' }), {
    afterThread: recordThread(store),
  });
  outbox.observe(metrics);
  let ops: OpsServer | undefined;
  if (ctx.config.ops.port !== undefined) {
    ops = await startOpsServer(metrics, {
      port: ctx.config.ops.port,
      host: ctx.config.ops.host,
      hooks: (req) => alerts.handle(req),
      store: () => store.health(),
    });
    logger.info({ port: ops.port, host: ctx.config.ops.host }, 'operations port listening');
  }

  let stopping = false;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const wakeups = new Set<() => void>();

  const connection = (platform: string, state: ConnectionState) => {
    if (stopping) return;
    if (state.up) {
      ops?.setPlatform(platform, undefined);
      logger.info({ platform }, 'platform connected');
      return;
    }
    ops?.setPlatform(platform, state.reason);
    if (state.fatal) {
      fatalLine(new PlatformError(platform, state.reason, true).message);
      finish(1);
    } else logger.warn({ platform, reason: state.reason }, 'platform connection lost');
  };
  const feCtx: FrontEndContext = { app: ctx, bot, diagnostics, logger, env, connection, outbox };
  const enabled = FRONT_ENDS.filter((f) => f.enabled(feCtx));
  const chosen = enabled.length ? enabled : [terminalFrontEnd];

  /** Starts one front end, retrying what the network caused; undefined when stopped meanwhile. */
  const supervise = async (f: FrontEnd): Promise<void> => {
    let delay = RETRY_FIRST_MS;
    for (;;) {
      if (stopping) return;
      try {
        const r = await f.start(feCtx);
        if (stopping) {
          await r.stop().catch(() => undefined);
          return;
        }
        running.push({ name: f.name, ...r });
        ops?.setPlatform(f.name, undefined);
        if (r.done) void r.done.then(() => void stop('end of input'));
        return;
      } catch (e) {
        const err =
          e instanceof PlatformError ? e : new PlatformError(f.name, String((e as Error).message ?? e), true);
        ops?.setPlatform(f.name, err.reason);
        if (err.fatal) {
          fatalLine(err.message);
          finish(1);
          return;
        }
        logger.warn(
          { platform: f.name, reason: err.reason, retryInMs: delay },
          'platform unreachable, retrying',
        );
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(t);
            wakeups.delete(wake);
            resolve();
          };
          const t = setTimeout(wake, delay);
          wakeups.add(wake);
        });
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
  };

  const shutdown = async (why: string) => {
    stopping = true;
    ops?.setReady(false);
    for (const w of [...wakeups]) w();
    logger.info({ why }, 'shutting down');
    digest?.stop();
    // What is still waiting stays in the store for another replica, or for this one's next start.
    await outbox.stop();
    for (const r of running) {
      try {
        await r.stop();
      } catch (e) {
        logger.error({ frontEnd: r.name, err: e }, 'front end did not stop cleanly');
      }
    }
    reloader.close();
    await diagnostics?.close();
    await store.close();
    await ops?.close();
  };

  let stopCode = 0;
  const stop = async (why: string, code = 0) => {
    if (stopping) return;
    stopCode = code;
    const drainMs = ctx.config.ops.drainSeconds * 1000;
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), drainMs);
      timer.unref();
    });
    const result = await Promise.race([shutdown(why).then(() => 'done' as const), overdue]);
    clearTimeout(timer);
    if (result === 'overdue')
      logger.warn({ drainSeconds: ctx.config.ops.drainSeconds }, 'drain time over, exiting');
    logger.info({ why }, 'stopped');
    finish(stopCode);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  const onHangup = () => void reloader.reload('SIGHUP');
  process.on('SIGHUP', onHangup);
  void finished.then(() => process.off('SIGHUP', onHangup));

  // Each platform's entries are delivered once its front end is up (it registers its sender then).
  outbox.start();
  const starting = Promise.all(chosen.map((f) => supervise(f))).then(() => {
    if (stopping || running.length !== chosen.length) return;
    ops?.setReady(true);
    // Its first look is now that its platform can take the post; a replica that was down at the hour catches up.
    digest?.start();
    if (enabled.length)
      logger.info(
        {
          frontEnds: running.map((r) => r.name),
          guides: ctx.knowledge.guides.length,
          version: version(),
        },
        'faultline started',
      );
  });
  void starting;
  const code = await finished;
  if (code !== 0 && !stopping) await stop('fatal error', code);
  return code;
}
