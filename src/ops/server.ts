import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoreHealth } from '../store/stores.js';
import { HOOK_PATHS, type HookRequest, type HookResponse } from './alerts.js';
import type { BotMetrics } from './metrics.js';

/** Alertmanager batches a group's alerts; a body larger than this is not a notification. */
const MAX_HOOK_BYTES = 4 * 1024 * 1024;

export interface OpsServer {
  port: number;
  /** Flip readiness: ready once the front ends are connected, not ready while shutting down. */
  setReady(ready: boolean): void;
  /** One platform's connection: `/readyz` answers 503 naming every platform that is down, and why. */
  setPlatform(name: string, down: string | undefined): void;
  close(): Promise<void>;
}

/**
 * The operations port: `/healthz` (the process answers), `/readyz` (front ends connected, not shutting
 * down) and `/metrics` (Prometheus text format). Bound to loopback unless configured otherwise.
 *
 * `/readyz` names an unreachable state store but stays 200: the replica still answers (dedupe and
 * sessions fall back to the process), and taking every replica out of a load balancer because their
 * shared Redis is down would stop the answers too.
 */
export async function startOpsServer(
  metrics: BotMetrics,
  opts: {
    port: number;
    host: string;
    /** The alert webhooks (`POST /hooks/alertmanager`, `POST /hooks/json`). */
    hooks?: (req: HookRequest) => Promise<HookResponse>;
    /** The shared state store's health: a degraded but serving bot stays ready and says why. */
    store?: () => StoreHealth;
  },
): Promise<OpsServer> {
  let ready = false;
  const down = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    if ((HOOK_PATHS as readonly string[]).includes(url)) {
      const hooks = opts.hooks;
      if (req.method !== 'POST' || !hooks) {
        res.writeHead(hooks ? 405 : 404, hooks ? { allow: 'POST' } : {}).end();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_HOOK_BYTES) chunks.push(c);
      });
      req.on('end', () => {
        const reply = (r: HookResponse) =>
          res.writeHead(r.status, { 'content-type': 'application/json' }).end(`${JSON.stringify(r.body)}\n`);
        if (size > MAX_HOOK_BYTES) {
          reply({ status: 413, body: { error: `the body is over ${MAX_HOOK_BYTES} bytes` } });
          return;
        }
        hooks({
          path: url,
          authorization: req.headers.authorization,
          body: Buffer.concat(chunks).toString('utf8'),
        }).then(reply, (e: unknown) =>
          reply({ status: 500, body: { error: `the alert could not be handled: ${String(e)}` } }),
        );
      });
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (url === '/readyz') {
      const why = [...down].map(([name, reason]) => `${name}: ${reason}`);
      const ok = ready && why.length === 0;
      const store = opts.store?.();
      const degraded =
        ok && store && !store.reachable
          ? `, degraded: state store unreachable (${store.detail}); approvals and feedback refused`
          : '';
      res
        .writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ok ? `ready${degraded}\n` : `not ready${why.length ? `\n${why.join('\n')}` : ''}\n`);
    } else if (url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (e: unknown) =>
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(e)}\n`),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setReady: (r) => {
      ready = r;
    },
    setPlatform: (name, reason) => {
      if (reason === undefined) down.delete(name);
      else down.set(name, reason);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
