import { discordConfigSchema } from '../../../adapters/discord/config.js';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { startDiscord } from '../../../adapters/discord/index.js';
import { createApp, type AppContext } from '../../../src/app.js';
import { Bot } from '../../../src/bot/bot.js';
import type { BotConfig } from '../../../src/config/schema.js';
import type { Outbound } from '../../../src/frontend/frontend.js';
import type { DiagnosticsService } from '../../../src/diagnostics/service.js';
import type { RunChoices } from '../../../src/bot/run-choices.js';
import { memoryStores, type Stores } from '../../../src/store/stores.js';
import { FakeGateway } from './gateway.js';
import { guildPayload, INCIDENTS, readyPayload } from './payloads.js';
import { APP_ID, FakeDiscordRest, type RecordedCall } from './rest.js';

let ctxCache: AppContext | undefined;
/** The built-in knowledge base, loaded once per test file. */
export function appContext(): AppContext {
  ctxCache ??= createApp({ cwd: mkdtempSync(path.join(os.tmpdir(), 'faultline-discord-')) });
  return ctxCache;
}

export interface Harness {
  rest: FakeDiscordRest;
  gateway: FakeGateway;
  bot: Bot;
  store: Stores;
  logs: Record<string, unknown>[];
  /** How the core posts into the platform (alerts). */
  outbound: Outbound;
  stop(): Promise<void>;
  /** Sends an interaction and records which channel its webhook messages belong to. */
  interact(payload: Record<string, unknown>): void;
}

export function memoryLogger(lines: Record<string, unknown>[]): Logger {
  return pino(
    { level: 'debug' },
    { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
}

export async function startHarness(
  opts: {
    diagnostics?: DiagnosticsService;
    choices?: RunChoices;
    passive?: boolean;
    discord?: Record<string, unknown>;
    heartbeatIntervalMs?: number;
    /** Over the config's `bot` section. */
    bot?: Partial<BotConfig>;
    /** The bot's store; a fresh memory store when absent. */
    store?: Stores;
  } = {},
): Promise<Harness> {
  const rest = new FakeDiscordRest();
  await rest.start();
  const gateway = new FakeGateway(readyPayload, () => [guildPayload()]);
  if (opts.heartbeatIntervalMs) gateway.heartbeatIntervalMs = opts.heartbeatIntervalMs;
  await gateway.start();
  rest.gatewayUrl = gateway.url;
  const g = guildPayload();
  for (const c of g.channels as { id: string }[]) rest.guildOf.set(c.id, g.id as string);
  const base = appContext();
  const incidentChannels = opts.passive === false ? [] : [INCIDENTS];
  const ctx: AppContext = {
    ...base,
    config: {
      ...base.config,
      bot: { ...base.config.bot, incidentChannels, ...opts.bot },
      ...(opts.discord ? { discord: discordConfigSchema.parse(opts.discord) } : {}),
    },
  };
  const store = opts.store ?? memoryStores();
  const bot = new Bot(ctx.engine, ctx.knowledge.guides, store, ctx.config.bot, opts.diagnostics);
  const logs: Record<string, unknown>[] = [];
  const running = await startDiscord(ctx, bot, memoryLogger(logs), {
    env: {
      DISCORD_TOKEN: 'fake-token',
      DISCORD_APPLICATION_ID: APP_ID,
      FAULTLINE_DISCORD_API_URL: rest.apiUrl,
    },
    ...(opts.choices ? { choices: opts.choices } : {}),
    readyTimeoutMs: 20_000,
  });
  return {
    rest,
    gateway,
    bot,
    store,
    logs,
    outbound: running.outbound,
    interact(payload) {
      rest.interactionChannel.set(payload.token as string, payload.channel_id as string);
      gateway.emit('INTERACTION_CREATE', payload);
    },
    async stop() {
      await running.stop();
      await gateway.stop();
      await rest.stop();
    },
  };
}

export { waitFor } from '../wait.js';

/** Everything a user sees of a message: content, embed titles, descriptions, fields and footers. */
export function messageText(call: RecordedCall): string {
  const m = call.message ?? {};
  const out: string[] = [];
  if (typeof m.content === 'string') out.push(m.content);
  for (const e of (m.embeds as Record<string, unknown>[] | undefined) ?? []) {
    if (e.title) out.push(String(e.title));
    if (e.description) out.push(String(e.description));
    for (const f of (e.fields as { name: string; value: string }[] | undefined) ?? [])
      out.push(f.name, f.value);
    const footer = e.footer as { text?: string } | undefined;
    if (footer?.text) out.push(footer.text);
  }
  return out.join('\n');
}

/** The buttons of a recorded message. */
export function buttonsOf(call: RecordedCall): { custom_id: string; label: string; style: number }[] {
  const rows =
    ((call.message ?? {}).components as {
      components?: { custom_id: string; label: string; style: number }[];
    }[]) ?? [];
  return rows.flatMap((r) => r.components ?? []);
}
