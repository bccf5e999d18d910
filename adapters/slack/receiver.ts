import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPReceiver, type App, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { boltLogger } from './logger.js';

export interface VerifiedReceiverOptions {
  signingSecret: string;
  path: string;
  port: number;
  toleranceSeconds: number;
  log: Logger;
  /** For tests: the clock. */
  now?: () => number;
}

const MAX_BODY = 1024 * 1024;

/**
 * Checks a Slack request signature: `v0=` HMAC-SHA256 of `v0:<timestamp>:<body>`, and a timestamp within
 * `toleranceSeconds` of now in either direction (Bolt only refuses old ones; a request dated in the
 * future is as suspect as a replayed one).
 */
export function verifySignature(
  secret: string,
  headers: IncomingMessage['headers'],
  body: Buffer,
  nowMs: number,
  toleranceSeconds: number,
): string | undefined {
  const ts = headers['x-slack-request-timestamp'];
  const sig = headers['x-slack-signature'];
  if (typeof ts !== 'string' || !/^\d{1,12}$/.test(ts))
    return 'missing or malformed x-slack-request-timestamp';
  if (typeof sig !== 'string' || !sig.startsWith('v0=')) return 'missing or malformed x-slack-signature';
  if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > toleranceSeconds)
    return 'timestamp outside the allowed window';
  const mac = createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest();
  const given = Buffer.from(sig.slice(3), 'hex');
  if (given.length !== mac.length || !timingSafeEqual(given, mac)) return 'signature mismatch';
  return undefined;
}

/**
 * The Events API receiver: verifies every request here (signature and a two-sided timestamp window), then
 * hands it to Bolt's own `HTTPReceiver`, which answers the URL verification challenge, acks and dispatches.
 */
export class VerifiedHttpReceiver implements Receiver {
  private readonly inner: HTTPReceiver;
  private server: Server | undefined;

  constructor(private readonly o: VerifiedReceiverOptions) {
    this.inner = new HTTPReceiver({
      signingSecret: o.signingSecret,
      endpoints: o.path,
      // Bolt verifies again; harmless, and it keeps its checks if ours ever regress.
      signatureVerification: true,
      processBeforeResponse: false,
      logger: boltLogger(o.log.child({ component: 'bolt-http' })),
    });
  }

  init(app: App): void {
    this.inner.init(app);
  }

  /** The port actually bound (useful with port 0). */
  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : undefined;
  }

  async start(): Promise<Server> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, '0.0.0.0', () => resolve());
    });
    return server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeIdleConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'POST' || url.pathname !== this.o.path) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(413).end();
      return;
    }
    // Slack's unsigned SSL check for slash command URLs: answered, and nothing in it is dispatched.
    if (
      /urlencoded/.test(req.headers['content-type'] ?? '') &&
      new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1'
    ) {
      res.writeHead(200).end();
      return;
    }
    const problem = verifySignature(
      this.o.signingSecret,
      req.headers,
      body,
      (this.o.now ?? Date.now)(),
      this.o.toleranceSeconds,
    );
    if (problem) {
      this.o.log.warn({ problem, remote: req.socket.remoteAddress }, 'refused a Slack request');
      res.writeHead(401, { 'content-type': 'text/plain' }).end('invalid request signature');
      return;
    }
    // Bolt reuses a body that was already read when it is there as `rawBody`.
    (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
    this.inner.requestListener(req, res);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
