import net from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import { fingerprintOf } from '../../src/diagnostics/ssh.js';

const { Server, utils } = ssh2;

/*
 * An in-process SSH server for faults a real sshd will not produce on demand. It accepts any public key
 * for any user and interprets the program word of our `timeout -k K T prog ...` command:
 *   hang   never exits; records the signals it receives
 *   drop   writes a little and then cuts the TCP connection
 *   flood  writes until the channel closes
 *   stall  after `stall` is received the server stops answering anything, keepalives included
 *   other  prints "ok" and exits 0
 */

export interface ChannelRecord {
  program: string;
  command: string;
  signals: string[];
  /** Signals that arrived while the channel was still open. */
  signalsBeforeClose: string[];
  closed: boolean;
  bytesWritten: number;
}

export interface FaultServer {
  port: number;
  address: string;
  fingerprint: string;
  channels: ChannelRecord[];
  connections(): number;
  close(): Promise<void>;
}

/** Words of a command line made by our quoting (single-quoted words separated by spaces). */
export function unquoteWords(command: string): string[] {
  const words: string[] = [];
  const re = /'((?:[^']|'\\'')*)'/g;
  for (const m of command.matchAll(re)) words.push((m[1] ?? '').replaceAll(`'\\''`, `'`));
  return words;
}

/**
 * An ed25519 key pair that ssh2 can read back. ssh2's generator strips the leading zero bytes of the raw
 * public key, so about one pair in 256 has a short key that its own parser then rejects as malformed
 * (mscdex/ssh2#1513, #1390): such a pair is drawn again.
 */
export function sshKeyPair(): { private: string; public: string; parsed: ParsedKey } {
  for (let attempt = 0; ; attempt++) {
    const keys = utils.generateKeyPairSync('ed25519', {});
    const parsed = utils.parseKey(keys.public);
    if (!(parsed instanceof Error) && !(utils.parseKey(keys.private) instanceof Error))
      return { private: keys.private, public: keys.public, parsed };
    if (attempt >= 20) throw parsed instanceof Error ? parsed : new Error('ssh2 cannot read its own key');
  }
}

export async function startFaultServer(): Promise<FaultServer> {
  const keys = sshKeyPair();
  const parsed = keys.parsed;
  const fingerprint = fingerprintOf(parsed.getPublicSSH());
  const channels: ChannelRecord[] = [];
  const sockets = new Set<net.Socket>();
  let stalled = false;
  let connections = 0;

  const server = new Server({ hostKeys: [keys.private] }, (client: Connection) => {
    connections++;
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.accept());
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        // ssh2's server refuses every channel request once the client has sent EOF, but the protocol (and
        // OpenSSH) still accept a signal then; undo its flag so signals sent after EOF are observed.
        session.on('eof', () => {
          (session as unknown as { _ending: boolean })._ending = false;
        });
        session.on('exec', (acceptExec, _reject, info) => {
          const words = unquoteWords(info.command);
          const program = words[4] ?? '';
          const rec: ChannelRecord = {
            program,
            command: info.command,
            signals: [],
            signalsBeforeClose: [],
            closed: false,
            bytesWritten: 0,
          };
          channels.push(rec);
          const channel: ServerChannel = acceptExec();
          channel.on('close', () => (rec.closed = true));
          session.on('close', () => (rec.closed = true));
          session.on('signal', (acceptSignal, _rej, sig) => {
            acceptSignal?.();
            rec.signals.push(sig.name);
            if (!rec.closed) rec.signalsBeforeClose.push(sig.name);
          });
          const write = (s: string | Buffer): boolean => {
            rec.bytesWritten += Buffer.byteLength(s);
            return channel.write(s);
          };
          switch (program) {
            case 'hang':
              write('started\n');
              break;
            case 'drop':
              write('partial output\n');
              setTimeout(() => {
                for (const s of sockets) s.destroy();
              }, 20);
              break;
            case 'flood': {
              const chunk = Buffer.alloc(16 * 1024, 'A');
              const pump = (): void => {
                while (!rec.closed && write(chunk));
                if (!rec.closed) channel.once('drain', pump);
              };
              pump();
              break;
            }
            case 'stall':
              write('stalling\n');
              stalled = true;
              // Stop reading and writing on every socket: the client's keepalives go unanswered.
              for (const s of sockets) s.pause();
              break;
            default:
              write('ok\n');
              channel.exit(0);
              channel.end();
          }
        });
      });
    });
  });
  server.on('connection', () => undefined);
  const netServer = (server as unknown as { _srv: net.Server })._srv;
  netServer.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    if (stalled) s.pause();
  });
  const address = '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, address, () => resolve()));
  const a = server.address();
  const port = typeof a === 'object' && a ? a.port : 0;
  return {
    port,
    address,
    fingerprint,
    channels,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
