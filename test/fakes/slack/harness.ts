import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { startSlack } from '../../../adapters/slack/index.js';
import { createApp, type AppContext } from '../../../src/app.js';
import { Bot } from '../../../src/bot/bot.js';
import type { BotConfig } from '../../../src/config/schema.js';
import type { PolicyConfig } from '../../../src/policy/schema.js';
import type { Outbound } from '../../../src/frontend/frontend.js';
import type { DiagnosticsService } from '../../../src/diagnostics/service.js';
import { memoryStores, type Stores } from '../../../src/store/stores.js';
import { FakeSlackApi } from './web-api.js';
import { FakeSocketMode } from './socket.js';

export const ALICE = 'UALICE';
export const BOB = 'UBOB';
export const MALLORY = 'UMALLORY';
export const INCIDENTS = 'CINCIDENT';
export const GENERAL = 'CGENERAL';
export const SIGNING_SECRET = 'test-signing-secret';

/**
 * A frozen copy of a few guides, so these tests check the Slack front end and not the guides or the
 * matching, which other work keeps improving.
 */
export const GUIDES_DIR = fileURLToPath(new URL('./guides/', import.meta.url));

let ctxCache: AppContext | undefined;
/** The test knowledge base, loaded once per test file. */
export function appContext(): AppContext {
  if (!ctxCache) {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'faultline-slack-'));
    writeFileSync(
      path.join(cwd, 'faultline.yaml'),
      // Retries within a test's patience: the outbox's schedule, not its defaults, is under test here.
      `builtinKnowledge: false\nknowledge: [${JSON.stringify(GUIDES_DIR)}]\n` +
        'delivery: { firstRetrySeconds: 0.2, maxRetrySeconds: 1, pollSeconds: 0.1, leaseSeconds: 5 }\n',
    );
    ctxCache = createApp({ cwd });
  }
  return ctxCache;
}

export interface Harness {
  api: FakeSlackApi;
  socket?: FakeSocketMode;
  bot: Bot;
  store: Stores;
  logs: Record<string, unknown>[];
  /** How the core posts into the platform (alerts). */
  outbound: Outbound;
  /** HTTP mode: the Events API URL of the bot. */
  eventsUrl?: string;
  stop(): Promise<void>;
}

function memoryLogger(lines: Record<string, unknown>[]): Logger {
  return pino(
    { level: 'debug' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
}

export async function startHarness(opts: {
  mode: 'socket' | 'http';
  diagnostics?: DiagnosticsService;
  socketReconnectMs?: number;
  /** The policy the front end sees (a policy naming roles makes it look up user groups). */
  policy?: PolicyConfig;
  /** Over the test config's `bot` section (incident channels are [INCIDENTS]). */
  bot?: Partial<BotConfig>;
  /** The bot's store; a fresh memory store when absent. */
  store?: Stores;
}): Promise<Harness> {
  const api = new FakeSlackApi();
  await api.start();
  let socket: FakeSocketMode | undefined;
  if (opts.mode === 'socket') {
    socket = new FakeSocketMode();
    await socket.start();
    api.socketUrl = socket.url;
  }
  const base = appContext();
  const ctx = opts.policy ? { ...base, config: { ...base.config, policy: opts.policy } } : base;
  const store = opts.store ?? memoryStores();
  const bot = new Bot(
    ctx.engine,
    ctx.knowledge.guides,
    store,
    { ...ctx.config.bot, incidentChannels: [INCIDENTS], ...opts.bot },
    opts.diagnostics,
  );
  const logs: Record<string, unknown>[] = [];
  const env: NodeJS.ProcessEnv = {
    SLACK_BOT_TOKEN: 'xoxb-fake',
    FAULTLINE_SLACK_API_URL: api.apiUrl,
    FAULTLINE_SLACK_MODE: opts.mode,
    ...(opts.mode === 'socket'
      ? { SLACK_APP_TOKEN: 'xapp-fake' }
      : { SLACK_SIGNING_SECRET: SIGNING_SECRET, FAULTLINE_SLACK_PORT: '0' }),
  };
  const running = await startSlack(ctx, bot, memoryLogger(logs), {
    env,
    // Retry-After is honoured as given; only the 5xx backoff and reconnect delay are shortened.
    socket: { clientPingTimeout: opts.socketReconnectMs ?? 300 },
  });
  return {
    api,
    ...(socket ? { socket } : {}),
    bot,
    store,
    logs,
    outbound: running.outbound,
    ...(running.port !== undefined ? { eventsUrl: `http://127.0.0.1:${running.port}/slack/events` } : {}),
    async stop() {
      await running.stop();
      await socket?.stop();
      await api.stop();
    },
  };
}
