import { spawn } from 'node:child_process';
import type { LocalHostConfig } from './config.js';
import { endedByTimeout, OutputCollector, type Executor, type RawResult, type RunSpec } from './executor.js';
import { buildRemoteCommand } from './quote.js';

/**
 * Runs catalog commands on the machine the bot runs on: argv straight to the program, never a shell.
 * `spawn` rather than `execFile` because execFile buffers stdout and stderr separately and only checks
 * its limit per stream; here both streams share one cap and are read in arrival order.
 */
export class LocalExecutor implements Executor {
  readonly hostName: string;

  constructor(
    host: LocalHostConfig,
    private readonly killAfterSeconds = 5,
  ) {
    this.hostName = host.name;
  }

  async check(): Promise<{ fingerprint: string }> {
    return { fingerprint: 'local' };
  }

  async close(): Promise<void> {}

  run(spec: RunSpec): Promise<RawResult> {
    if (spec.argv.length === 0) return Promise.reject(new Error('empty command'));
    // Under `timeout -k` as on remote hosts: if the bot itself is killed, nothing is left to stop the
    // command, and it must still end on time.
    const argv = ['timeout', '-k', `${this.killAfterSeconds}s`, `${spec.timeoutSeconds}s`, ...spec.argv];
    const [program, ...args] = argv as [string, ...string[]];
    const command = buildRemoteCommand(spec.argv, {
      timeoutSeconds: spec.timeoutSeconds,
      killAfterSeconds: this.killAfterSeconds,
    });
    const started = performance.now();
    return new Promise((resolve) => {
      const out = new OutputCollector(spec.maxOutputBytes);
      let timedOut = false;
      let aborted = false;
      let spawnError: Error | undefined;
      // Its own process group, so stopping it also stops anything it started.
      const child = spawn(program, args, {
        shell: false,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      });
      let killTimer: NodeJS.Timeout | undefined;
      const stop = (): void => {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        killTimer ??= setTimeout(() => {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, this.killAfterSeconds * 1000);
      };
      const onData = (chunk: Buffer): void => {
        if (!out.push(chunk)) stop();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, spec.timeoutSeconds * 1000);
      const onAbort = (): void => {
        aborted = true;
        stop();
      };
      spec.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        spawnError = err;
      });
      child.on('close', (code, signal) => {
        if (endedByTimeout(code, performance.now() - started, spec.timeoutSeconds)) timedOut = true;
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        spec.signal?.removeEventListener('abort', onAbort);
        if (spawnError) out.push(Buffer.from(`${program}: ${spawnError.message}\n`));
        resolve({
          command,
          exitCode: spawnError ? 127 : code,
          signal,
          output: out.buffer(),
          bytes: out.bytes,
          truncated: out.truncated,
          timedOut,
          aborted,
          durationMs: performance.now() - started,
          fingerprint: 'local',
        });
      });
    });
  }
}
