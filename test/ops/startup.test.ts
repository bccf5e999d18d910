import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../cli/run.js';
import { FakeGateway } from '../fakes/discord/gateway.js';
import { guildPayload, readyPayload } from '../fakes/discord/payloads.js';
import { APP_ID, FakeDiscordRest } from '../fakes/discord/rest.js';
import { FakeSocketMode } from '../fakes/slack/socket.js';
import { FakeSlackApi, messageText } from '../fakes/slack/web-api.js';
import { storeConfigSchema, WEEKDAYS } from '../../src/config/schema.js';
import { openStores } from '../../src/store/open.js';
import { waitFor } from '../fakes/wait.js';
import { tempDir } from '../helpers.js';

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of cleanups.splice(0)) await f();
});

function start(env: Record<string, string>, config = 'store:\n  kind: memory\n', dir = tempDir()): Started {
  writeFileSync(path.join(dir, 'faultline.yaml'), config);
  const t0 = Date.now();
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; ms: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, ms: Date.now() - t0 })),
  );
  return { child, stderr: () => err, exited };
}

/** Lines an operator reads: not pino's JSON lines. */
function plainLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() && !l.startsWith('{'));
}

async function slackFakes(): Promise<{
  api: FakeSlackApi;
  socket: FakeSocketMode;
  env: Record<string, string>;
}> {
  const api = new FakeSlackApi();
  await api.start();
  const socket = new FakeSocketMode();
  await socket.start();
  api.socketUrl = socket.url;
  cleanups.push(async () => {
    await socket.stop();
    await api.stop();
  });
  return {
    api,
    socket,
    env: { SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_APP_TOKEN: 'xapp-fake', FAULTLINE_SLACK_API_URL: api.apiUrl },
  };
}

async function discordFakes(): Promise<{
  rest: FakeDiscordRest;
  gateway: FakeGateway;
  env: Record<string, string>;
}> {
  const rest = new FakeDiscordRest();
  await rest.start();
  const gateway = new FakeGateway(readyPayload, () => [guildPayload()]);
  await gateway.start();
  rest.gatewayUrl = gateway.url;
  cleanups.push(async () => {
    await gateway.stop();
    await rest.stop();
  });
  return {
    rest,
    gateway,
    env: {
      DISCORD_TOKEN: 'fake-token',
      DISCORD_APPLICATION_ID: APP_ID,
      FAULTLINE_DISCORD_API_URL: rest.apiUrl,
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Exit 1 within 10 s of the platform's refusal, with one plain line. The clock starts at the fake's first
 * request: Node and the SDKs loading is not what is measured (it alone took seconds on the loaded test
 * machine), the process lingering after a refusal is (it used to wait 60 s, or for ever).
 */
async function expectFatal(run: Started, line: RegExp, contacted: () => boolean): Promise<void> {
  const contact = await Promise.race([
    waitFor('first request to the platform', () => (contacted() ? Date.now() : undefined), 30_000),
    run.exited.then(() => Date.now()),
  ]);
  const { code } = await run.exited;
  expect(code).toBe(1);
  expect(Date.now() - contact).toBeLessThan(10_000);
  const lines = plainLines(run.stderr());
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(run.stderr()).not.toMatch(/\n\s+at |"stack"/);
}

describe('faultline start: what retrying cannot fix ends the process with one line, non-zero (no ops port)', () => {
  it('Slack refuses the bot token (invalid_auth)', async () => {
    const { api, env } = await slackFakes();
    api.refusedTokens.add('xoxb-fake');
    await expectFatal(
      start(env),
      /^faultline: slack: invalid_auth; check SLACK_BOT_TOKEN$/,
      () => api.calls.length > 0,
    );
  });

  it('a weekly digest for a platform that is not configured (before anything connects)', async () => {
    const { api, env } = await slackFakes();
    const run = start(
      env,
      'store:\n  kind: memory\nlearning:\n  digest:\n    channel: discord:123456\n    weekday: fri\n',
    );
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(plainLines(run.stderr())).toEqual([
      'faultline: learning.digest.channel is discord:123456, but discord is not configured here: configure it, or remove learning.digest',
    ]);
    expect(api.calls).toHaveLength(0);
  });

  it('Slack refuses the app token for a missing scope', async () => {
    const { api, env } = await slackFakes();
    api.missingScopes.set('apps.connections.open', 'connections:write');
    await expectFatal(
      start(env),
      /^faultline: slack: missing_scope \(needs connections:write\); check SLACK_APP_TOKEN$/,
      () => api.calls.length > 0,
    );
  });

  it('Discord refuses the token (401)', async () => {
    const { rest, env } = await discordFakes();
    await expectFatal(
      start({ ...env, DISCORD_TOKEN: 'reset-token' }),
      /^faultline: discord: the token was refused \(401/,
      () => rest.calls.length > 0,
    );
  });

  it('the Discord gateway refuses the token (4004)', async () => {
    const { gateway, env } = await discordFakes();
    gateway.refuseIdentify = 4004;
    await expectFatal(
      start(env),
      /^faultline: discord: .*4004.*DISCORD_TOKEN/,
      () => gateway.identifies.length > 0,
    );
  });

  it('the Discord gateway refuses the Message Content intent (4014)', async () => {
    const { gateway, env } = await discordFakes();
    gateway.refuseIdentify = 4014;
    await expectFatal(
      start(env, 'store:\n  kind: memory\ndiscord:\n  messageContent: always\n'),
      /^faultline: discord: .*4014.*Message Content intent/,
      () => gateway.identifies.length > 0,
    );
  });
});

describe('faultline start: an unreachable platform is retried, and /readyz says so', () => {
  it('Slack unreachable at start: /readyz 503 naming slack; Slack comes back and it is ready by itself', async () => {
    const apiPort = await freePort();
    const socket = new FakeSocketMode();
    await socket.start();
    const api = new FakeSlackApi();
    api.socketUrl = socket.url;
    cleanups.push(async () => {
      await api.stop();
      await socket.stop();
    });
    const run = start(
      {
        SLACK_BOT_TOKEN: 'xoxb-fake',
        SLACK_APP_TOKEN: 'xapp-fake',
        FAULTLINE_SLACK_API_URL: `http://127.0.0.1:${apiPort}/api/`,
      },
      'store:\n  kind: memory\nops:\n  port: 0\n',
    );
    const port = await waitFor(
      'ops port',
      () => /"port":(\d+),"host".*operations port listening/.exec(run.stderr())?.[1],
    );
    const readyz = async () => {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      return { status: r.status, body: await r.text() };
    };
    await waitFor('a failed attempt', () => run.stderr().includes('platform unreachable, retrying'));
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatch(/^slack: cannot reach Slack \(.*ECONNREFUSED/m);
    expect(run.child.exitCode).toBeNull();

    await api.start(apiPort);
    let up = down;
    for (let i = 0; i < 400 && up.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      up = await readyz();
    }
    expect(up).toEqual({ status: 200, body: 'ready\n' });
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });

  it('SIGTERM while Slack is unreachable stops within the drain time, and never reconnects', async () => {
    const { api, socket, env } = await slackFakes();
    const run = start(env, 'store:\n  kind: memory\nops:\n  drainSeconds: 2\n');
    await waitFor('started', () => run.stderr().includes('faultline started'));
    // Slack goes away: the Socket Mode connection drops and apps.connections.open is refused.
    await socket.stop();
    await api.stop();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(code).toBe(0);
  });
});

describe('faultline start: the weekly gaps digest', () => {
  it('a replica started during the digest hour posts the week’s unanswered pastes to the channel, once', async () => {
    const { api, socket, env } = await slackFakes();
    const dir = tempDir();
    // What earlier runs recorded: the file store the process will open.
    const stores = await openStores(storeConfigSchema.parse({ kind: 'file' }), dir);
    await stores.gaps.record(
      'error: quux ledger mismatch on shard #',
      'error: quux ledger mismatch on shard 4',
      [{ id: 'broken-pipe', score: 0.12 }],
      new Date().toISOString(),
    );
    await stores.close();
    const now = new Date();
    const config = [
      'store:',
      '  kind: file',
      'learning:',
      '  digest:',
      '    channel: slack:CDIGEST',
      `    weekday: ${WEEKDAYS[now.getUTCDay()]}`,
      `    hour: ${now.getUTCHours()}`,
      '',
    ].join('\n');
    const run = start(env, config, dir);
    const post = await waitFor(
      'the digest in CDIGEST',
      () => api.posted().find((c) => c.args.channel === 'CDIGEST'),
      30_000,
    );
    expect(messageText(post)).toMatch(/Pastes no guide answered in the last 7 days/);
    expect(messageText(post)).toContain('quux ledger mismatch on shard 4');
    expect(socket.connected).toBe(true);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    // The claim is kept in the store: a restart within the hour does not post it again.
    const again = start(env, config, dir);
    await waitFor('connected again', () => (socket.connected ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(api.posted().filter((c) => c.args.channel === 'CDIGEST')).toHaveLength(1);
    again.child.kill('SIGTERM');
    await again.exited;
  });
});
