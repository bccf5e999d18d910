import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { NodeSSH, type Config as NodeSshConfig } from 'node-ssh';
import type { Client, ClientChannel } from 'ssh2';
import type { SshHostConfig } from './config.js';
import {
  ConnectError,
  HostKeyError,
  OutputCollector,
  Semaphore,
  type Executor,
  type RawResult,
  type RunSpec,
} from './executor.js';
import { endedByTimeout } from './executor.js';
import { buildRemoteCommand } from './quote.js';

/** OpenSSH's fingerprint of a public key blob: `SHA256:` and unpadded base64 of its SHA-256. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export interface SshPoolOptions {
  connectTimeoutMs: number;
  idleCloseMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  maxChannelsPerHost: number;
  killAfterSeconds: number;
}

interface Live {
  ssh: NodeSSH;
  client: Client;
  fingerprint: string;
  closed: boolean;
}

/**
 * ssh2's `channel.signal()` silently does nothing once stdin has been ended (it checks `writable`), and we
 * end stdin at once; the protocol allows a signal request for as long as the channel is open, so send it
 * at that level.
 */
function sendSignal(channel: ClientChannel, name: string): void {
  const c = channel as unknown as {
    outgoing?: { id: number; state: string };
    _client?: { _protocol?: { signal(id: number, signal: string): void } };
  };
  if ((c.outgoing?.state === 'open' || c.outgoing?.state === 'eof') && c._client?._protocol)
    c._client._protocol.signal(c.outgoing.id, name);
  else channel.signal(name);
}

/** After our own deadline, how long a signalled command gets to exit before the channel is closed. */
const SIGNAL_GRACE_MS = 1_000;

/**
 * One pooled SSH connection to one host. node-ssh does the connecting; its underlying ssh2 client
 * (`ssh.connection`) is used for what node-ssh lacks: streaming with a cap, signals, no-delay, and an error
 * listener that outlives the connect call (node-ssh removes its own once connected, and an `error` event
 * with no listener, such as a keepalive timeout, would crash the process).
 */
export class SshExecutor implements Executor {
  readonly hostName: string;
  private live: Promise<Live> | undefined;
  private readonly channels: Semaphore;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: SshHostConfig,
    private readonly opts: SshPoolOptions,
    private readonly baseDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.hostName = host.name;
    this.channels = new Semaphore(opts.maxChannelsPerHost);
  }

  private where(): string {
    return `${this.host.name} (${this.host.user}@${this.host.address}:${this.host.port})`;
  }

  private connectConfig(onKey: (fp: string) => void): NodeSshConfig {
    const h = this.host;
    const config: NodeSshConfig = {
      host: h.address,
      port: h.port,
      username: h.user,
      readyTimeout: this.opts.connectTimeoutMs,
      keepaliveInterval: this.opts.keepaliveIntervalMs,
      keepaliveCountMax: this.opts.keepaliveCountMax,
      tryKeyboard: false,
      // Never "accept any": the key must be one of the pinned fingerprints.
      hostVerifier: (key: Buffer): boolean => {
        const fp = fingerprintOf(key);
        onKey(fp);
        return h.hostKeys.includes(fp);
      },
    };
    if (h.keyPath !== undefined) {
      const key = path.resolve(this.baseDir, h.keyPath);
      if (!existsSync(key))
        throw new ConnectError(`${this.where()}: the key file ${key} (keyPath) does not exist`);
      config.privateKeyPath = key;
    }
    if (h.agent !== undefined) {
      const sock = h.agent === true ? this.env.SSH_AUTH_SOCK : h.agent;
      if (!sock) throw new ConnectError(`${this.where()}: agent is configured but SSH_AUTH_SOCK is not set`);
      config.agent = sock;
    }
    if (h.passphraseEnv !== undefined) {
      const pass = this.env[h.passphraseEnv];
      if (pass === undefined)
        throw new ConnectError(
          `${this.where()}: environment variable ${h.passphraseEnv} (the key passphrase) is not set`,
        );
      config.passphrase = pass;
    }
    return config;
  }

  private async open(): Promise<Live> {
    if (this.host.hostKeys.length === 0) {
      // Connect only far enough to learn the key, so the message can show it; then refuse.
      let offered = '';
      const probe = new NodeSSH();
      try {
        await probe.connect({
          ...this.connectConfig((fp) => (offered = fp)),
          hostVerifier: (key: Buffer) => ((offered = fingerprintOf(key)), false),
        });
      } catch {
        /* expected: the verifier refused */
      } finally {
        probe.dispose();
      }
      throw new HostKeyError(
        `${this.where()} has no pinned host key; it offered ${offered || 'no key'}. Verify it out of band (ssh-keyscan -p ${this.host.port} ${this.host.address} | ssh-keygen -lf -) and add it to hostKeys`,
        offered,
      );
    }
    let offered = '';
    const ssh = new NodeSSH();
    try {
      await ssh.connect(this.connectConfig((fp) => (offered = fp)));
    } catch (err) {
      ssh.dispose();
      if (err instanceof ConnectError) throw err;
      if (offered && !this.host.hostKeys.includes(offered)) {
        throw new HostKeyError(
          `host key mismatch for ${this.where()}: it offered ${offered}, which is not one of the pinned keys; refusing to connect (if the key was rotated on purpose, pin the new fingerprint)`,
          offered,
        );
      }
      const why = err instanceof Error ? err.message : String(err);
      const key = this.host.keyPath !== undefined ? path.resolve(this.baseDir, this.host.keyPath) : undefined;
      // ssh2's words name neither the file nor the setting that fixes it.
      if (key && /encrypted private key|passphrase|bad decrypt/i.test(why))
        throw new ConnectError(
          this.host.passphraseEnv === undefined
            ? `${this.where()}: the key ${key} is encrypted; set passphraseEnv to the name of an environment variable that holds its passphrase`
            : `${this.where()}: the key ${key} could not be decrypted with the passphrase in ${this.host.passphraseEnv} (${why})`,
        );
      if (key && /parse privatekey|unsupported key format|privateKey/i.test(why))
        throw new ConnectError(
          `${this.where()}: the key file ${key} is not a private key ssh can use (${why})`,
        );
      throw new ConnectError(`cannot connect to ${this.where()}: ${why}`);
    }
    const client = ssh.connection;
    if (!client) throw new ConnectError(`cannot connect to ${this.where()}: connection closed during setup`);
    const live: Live = { ssh, client, fingerprint: offered, closed: false };
    const drop = (): void => {
      live.closed = true;
      if (this.live && this.current === live) {
        this.live = undefined;
        this.current = undefined;
      }
    };
    client.on('error', drop);
    client.on('close', drop);
    client.on('end', drop);
    client.setNoDelay(true);
    this.current = live;
    return live;
  }

  private current: Live | undefined;

  private connection(): Promise<Live> {
    if (!this.live) {
      const p = this.open();
      this.live = p;
      // A failed connect is not cached: the next request tries again.
      p.catch(() => {
        if (this.live === p) this.live = undefined;
      });
    }
    return this.live;
  }

  async check(): Promise<{ fingerprint: string }> {
    const live = await this.connection();
    this.armIdle();
    return { fingerprint: live.fingerprint };
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.channels.inUse > 0) return;
    this.idleTimer = setTimeout(() => void this.close(), this.opts.idleCloseMs);
    this.idleTimer.unref();
  }

  async run(spec: RunSpec): Promise<RawResult> {
    const command = buildRemoteCommand(spec.argv, {
      timeoutSeconds: spec.timeoutSeconds,
      killAfterSeconds: this.opts.killAfterSeconds,
    });
    const release = await this.channels.acquire();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      const live = await this.connection();
      return await this.exec(live, command, spec);
    } finally {
      release();
      this.armIdle();
    }
  }

  private exec(live: Live, command: string, spec: RunSpec): Promise<RawResult> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const onChannel = (err: Error | undefined, channel: ClientChannel): void => {
        if (err) {
          reject(new ConnectError(`${this.where()}: could not open a channel: ${err.message}`));
          return;
        }
        const out = new OutputCollector(spec.maxOutputBytes);
        let exitCode: number | null = null;
        let signal: string | null = null;
        let timedOut = false;
        let aborted = false;
        let stopping = false;
        let graceTimer: NodeJS.Timeout | undefined;

        // A closed channel ignores signals, so the signal goes first and the close after a grace period.
        const stop = (): void => {
          if (stopping) return;
          stopping = true;
          try {
            sendSignal(channel, 'TERM');
          } catch {
            /* the channel may already be gone */
          }
          graceTimer = setTimeout(() => {
            try {
              sendSignal(channel, 'KILL');
            } catch {
              /* ignore */
            }
            channel.close();
          }, SIGNAL_GRACE_MS);
        };
        const onData = (chunk: Buffer): void => {
          if (!out.push(chunk)) stop();
        };
        channel.on('data', onData);
        channel.stderr.on('data', onData);
        channel.on('exit', (code: number | null, sig?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          signal = typeof sig === 'string' ? sig : null;
        });
        // Our deadline is a little after the server's `timeout -k`, which should normally fire first.
        const deadline = setTimeout(
          () => {
            timedOut = true;
            stop();
          },
          (spec.timeoutSeconds + this.opts.killAfterSeconds) * 1000 + SIGNAL_GRACE_MS,
        );
        const onAbort = (): void => {
          aborted = true;
          stop();
        };
        spec.signal?.addEventListener('abort', onAbort, { once: true });
        const onConnClose = (): void => channel.close();
        live.client.once('close', onConnClose);
        channel.on('close', () => {
          clearTimeout(deadline);
          if (graceTimer) clearTimeout(graceTimer);
          spec.signal?.removeEventListener('abort', onAbort);
          live.client.removeListener('close', onConnClose);
          if (endedByTimeout(exitCode, performance.now() - started, spec.timeoutSeconds)) timedOut = true;
          // OpenSSH always reports an exit status or signal; neither means the connection went away.
          if (exitCode === null && signal === null && !stopping) {
            reject(new ConnectError(`${this.where()}: connection lost while the command ran`));
            return;
          }
          resolve({
            command,
            exitCode,
            signal,
            output: out.buffer(),
            bytes: out.bytes,
            truncated: out.truncated,
            timedOut,
            aborted,
            durationMs: performance.now() - started,
            fingerprint: live.fingerprint,
          });
        });
        // Diagnostics read nothing from stdin; EOF now so tools like openssl s_client finish.
        channel.end();
      };
      try {
        live.client.exec(command, onChannel);
      } catch (err) {
        reject(new ConnectError(`${this.where()}: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const p = this.live;
    this.live = undefined;
    this.current = undefined;
    if (!p) return;
    try {
      const live = await p;
      live.closed = true;
      live.ssh.dispose();
    } catch {
      /* never connected */
    }
  }
}
