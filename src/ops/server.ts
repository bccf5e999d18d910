import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoreHealth } from '../store/stores.js';
import type { BotMetrics } from './metrics.js';

export interface OpsServer {
  port: number;
  /** Flip readiness: ready once the front ends are connected, not ready while shutting down. */
  setReady(ready: boolean): void;
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
  opts: { port: number; host: string; store?: () => StoreHealth },
): Promise<OpsServer> {
  let ready = false;
  const server: Server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (url === '/readyz') {
      const store = opts.store?.();
      const text = !ready
        ? 'not ready\n'
        : store && !store.reachable
          ? `ready, degraded: state store unreachable (${store.detail}); approvals and feedback refused\n`
          : 'ready\n';
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(text);
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
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
