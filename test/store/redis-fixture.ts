import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * Real redis-server (and redis-sentinel) processes on 127.0.0.1 for the store tests and the benchmark,
 * each with its own temp dir (config, append-only file) removed on stop. As with the sshd fixture, tests
 * skip locally when the binaries are missing but fail in CI.
 */

/** Overridable so the "missing" path can be tried: FAULTLINE_TEST_REDIS=/nonexistent CI=1 npx vitest ... */
export const REDIS_SERVER = process.env.FAULTLINE_TEST_REDIS ?? '/usr/bin/redis-server';
export const REDIS_SENTINEL = process.env.FAULTLINE_TEST_REDIS_SENTINEL ?? '/usr/bin/redis-sentinel';

export function redisUnavailableReason(sentinel = false): string | undefined {
  if (!existsSync(REDIS_SERVER)) return `${REDIS_SERVER} is not installed (apt-get install -y redis-server)`;
  if (sentinel && !existsSync(REDIS_SENTINEL))
    return `${REDIS_SENTINEL} is not installed (apt-get install -y redis-sentinel)`;
  return undefined;
}

/** For a describe block: skip with the reason locally; in CI a missing server fails instead. */
export function requireRedisOrSkip(sentinel = false): { skip: boolean; reason: string | undefined } {
  const reason = redisUnavailableReason(sentinel);
  if (reason && !process.env.CI) process.stderr.write(`skipping Redis tests: ${reason}\n`);
  return { skip: reason !== undefined && !process.env.CI, reason };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.once('error', () => resolve(false));
    sock.setTimeout(1000, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export interface RedisProcess {
  port: number;
  url: string;
  dir: string;
  log(): string;
  /** Stops the process: SIGTERM (Redis saves and exits) by default, SIGKILL to crash it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data dir (after `stop`). */
  start(): Promise<void>;
  /** Stops it and removes its dir. */
  dispose(): Promise<void>;
}

interface Options {
  port?: number;
  /** Extra config lines (`replicaof 127.0.0.1 6380`, ...). */
  config?: string[];
  sentinel?: boolean;
}

/**
 * One server. Durable by default the way the docs recommend for the bot: `appendonly yes` with
 * `appendfsync always`, so whatever Redis acknowledged survives a crash of the Redis process.
 */
export async function startRedis(opts: Options = {}): Promise<RedisProcess> {
  const reason = redisUnavailableReason(opts.sentinel);
  if (reason) throw new Error(`cannot start the test redis: ${reason}`);
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-redis-'));
  const configPath = path.join(dir, opts.sentinel ? 'sentinel.conf' : 'redis.conf');
  const lines = opts.sentinel
    ? ['bind 127.0.0.1', `port ${port}`, `dir ${dir}`, ...(opts.config ?? [])]
    : [
        'bind 127.0.0.1',
        `port ${port}`,
        `dir ${dir}`,
        'save ""',
        'appendonly yes',
        'appendfsync always',
        'protected-mode yes',
        ...(opts.config ?? []),
      ];
  writeFileSync(configPath, lines.join('\n') + '\n');
  let log = '';
  let child: ChildProcess | undefined;
  let exited = true;

  const start = async (): Promise<void> => {
    const bin = opts.sentinel ? REDIS_SENTINEL : REDIS_SERVER;
    const c = spawn(bin, [configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    exited = false;
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.length > 1_000_000) log = log.slice(-500_000);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    c.on('exit', () => {
      if (child === c) exited = true;
    });
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`redis exited during start-up:\n${log}`);
      if (await answersPing(port)) return;
      if (i > 200) throw new Error(`redis did not start listening on ${port}:\n${log}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const c = child;
    if (!c || exited) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await gone;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    dir,
    log: () => log,
    stop,
    start,
    async dispose() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
