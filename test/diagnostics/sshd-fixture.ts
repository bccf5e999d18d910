import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/*
 * A real OpenSSH server on loopback for tests and the benchmark: one sshd process listening on
 * 127.0.0.2, 127.0.0.3, ... (each address is a "host"), with its own config, host key, an unprivileged
 * user and that user's authorised key, all in a temp dir removed on stop.
 */

/** Overridable so the "sshd missing" path can be tried: FAULTLINE_TEST_SSHD=/nonexistent CI=1 npx vitest ... */
export const SSHD = process.env.FAULTLINE_TEST_SSHD ?? '/usr/sbin/sshd';
export const TEST_USER = 'faultline-test';

/** Why a real sshd cannot run here, or undefined when it can. */
export function sshdUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return 'the sshd fixture needs Linux';
  if (!existsSync(SSHD)) return `${SSHD} is not installed (apt-get install -y openssh-server)`;
  if (process.getuid?.() !== 0)
    return 'the sshd fixture must run as root (it creates a test user and runs sshd)';
  return undefined;
}

/**
 * For a describe block: skip locally when sshd is unavailable, but fail in CI, where a missing sshd means
 * the SSH tests silently stopped testing anything.
 */
export function requireSshdOrSkip(): { skip: boolean; reason: string | undefined } {
  const reason = sshdUnavailableReason();
  return { skip: reason !== undefined && !process.env.CI, reason };
}

export interface SshdHost {
  name: string;
  address: string;
  port: number;
}

export interface SshdFixture {
  dir: string;
  user: string;
  /** The test user's private key (unencrypted). */
  keyPath: string;
  /** The test user's private key, encrypted with `passphrase`. */
  encryptedKeyPath: string;
  passphrase: string;
  /** `SHA256:...` of the server's host key, as ssh-keygen prints it. */
  hostKeyFingerprint: string;
  /** A valid fingerprint of some other key, for mismatch tests. */
  otherFingerprint: string;
  hosts: SshdHost[];
  log(): string;
  stop(): Promise<void>;
}

function keygen(file: string, passphrase = ''): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'faultline-test', '-f', file], {
    stdio: 'ignore',
  });
  const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  const fp = /SHA256:[A-Za-z0-9+/]{43}/.exec(line)?.[0];
  if (!fp) throw new Error(`could not read fingerprint from: ${line}`);
  return fp;
}

function ensureUser(): void {
  try {
    execFileSync('id', ['-u', TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync(
      'useradd',
      ['--system', '--no-create-home', '--home-dir', '/tmp', '--shell', '/bin/sh', TEST_USER],
      { stdio: 'ignore' },
    );
  }
  // useradd leaves the password field as "!", which sshd (without PAM) treats as a locked account.
  execFileSync('usermod', ['-p', '*', TEST_USER], { stdio: 'ignore' });
}

async function freePort(addresses: string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, addresses[0], () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
      });
    });
    const ok = await Promise.all(
      addresses.map(
        (addr) =>
          new Promise<boolean>((resolve) => {
            const s = net.createServer();
            s.once('error', () => resolve(false));
            s.listen(port, addr, () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (ok.every(Boolean)) return port;
  }
  throw new Error('no free port on all loopback addresses');
}

function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    sock.once('data', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.setTimeout(2000, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export async function startSshd(opts: { hosts?: number } = {}): Promise<SshdFixture> {
  const reason = sshdUnavailableReason();
  if (reason) throw new Error(`cannot start the test sshd: ${reason}`);
  const count = opts.hosts ?? 3;
  if (count < 1 || count > 200) throw new Error('hosts must be 1..200');
  ensureUser();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-sshd-'));
  // sshd reads authorized_keys as the test user, so the folder must be traversable.
  chmodSync(dir, 0o755);
  const hostKeyFingerprint = keygen(path.join(dir, 'host_ed25519'));
  const otherFingerprint = keygen(path.join(dir, 'other_ed25519'));
  const keyPath = path.join(dir, 'id_ed25519');
  keygen(keyPath);
  const passphrase = 'correct horse battery staple';
  const encryptedKeyPath = path.join(dir, 'id_encrypted');
  keygen(encryptedKeyPath, passphrase);
  writeFileSync(
    path.join(dir, 'authorized_keys'),
    readFileSync(`${keyPath}.pub`, 'utf8') + readFileSync(`${encryptedKeyPath}.pub`, 'utf8'),
    { mode: 0o644 },
  );

  const addresses = Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
  const port = await freePort(addresses);
  // OpenSSH listens on at most 16 sockets per process (MAX_LISTEN_SOCKS), so larger sets get more sshds.
  const groups: string[][] = [];
  for (let i = 0; i < addresses.length; i += 16) groups.push(addresses.slice(i, i + 16));

  let log = '';
  const children: Array<{ child: ChildProcess; exited: boolean }> = [];
  groups.forEach((group, g) => {
    const config = [
      ...group.map((a) => `ListenAddress ${a}:${port}`),
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      `PidFile ${path.join(dir, `sshd-${g}.pid`)}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      // The fan-out benchmark opens many connections at once; the default (10:30:100) would drop some.
      'MaxStartups 500',
      'MaxSessions 20',
      'LogLevel VERBOSE',
      '',
    ].join('\n');
    const configPath = path.join(dir, `sshd_config-${g}`);
    writeFileSync(configPath, config);
    const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const entry = { child, exited: false };
    children.push(entry);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.length > 1_000_000) log = log.slice(-500_000);
    });
    child.on('exit', () => (entry.exited = true));
  });
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async ({ child, exited }) => {
        if (exited) return;
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await gone;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (children.some((c) => c.exited)) {
      await stop();
      throw new Error(`sshd exited during start-up:\n${log}`);
    }
    const ready = await Promise.all(addresses.map((a) => canConnect(a, port)));
    if (ready.every(Boolean)) break;
    if (i > 200) {
      await stop();
      throw new Error(`sshd did not start listening:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    dir,
    user: TEST_USER,
    keyPath,
    encryptedKeyPath,
    passphrase,
    hostKeyFingerprint,
    otherFingerprint,
    hosts: addresses.map((address, i) => ({ name: `sshd-${i + 1}`, address, port })),
    log: () => log,
    stop,
  };
}
