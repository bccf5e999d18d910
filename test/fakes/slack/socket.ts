import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback fake of Slack's Socket Mode endpoint: greets each connection with `hello`, sends envelopes,
 * records the client's acks, and can send `disconnect` (which makes the client reconnect through
 * `apps.connections.open`).
 */
export class FakeSocketMode {
  private wss: WebSocketServer | undefined;
  private current: WebSocket | undefined;
  /** Every connection still open, oldest first: several replicas of the bot each hold one. */
  private readonly open: WebSocket[] = [];
  connections = 0;
  readonly acks: { envelope_id: string; payload: unknown }[] = [];
  private seq = 0;

  get url(): string {
    const a = this.wss?.address() as AddressInfo | undefined;
    if (!a) throw new Error('fake Socket Mode not started');
    return `ws://127.0.0.1:${a.port}/link`;
  }

  async start(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.wss = wss;
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (ws) => {
      this.connections++;
      this.current = ws;
      this.open.push(ws);
      ws.on('close', () => this.open.splice(this.open.indexOf(ws), 1));
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.push({ envelope_id: msg.envelope_id, payload: msg.payload });
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          connection_info: { app_id: 'AFAKE' },
          debug_info: { host: 'fake' },
        }),
      );
    });
  }

  async stop(): Promise<void> {
    const wss = this.wss;
    if (!wss) return;
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  get connected(): boolean {
    return this.current?.readyState === 1;
  }

  /** How many connections are open now. */
  get openConnections(): number {
    return this.open.length;
  }

  /**
   * Sends one envelope; returns its id. `retry` marks it as Slack's redelivery of an unacked event;
   * `connection` picks one of the open connections (oldest first), the newest when omitted.
   */
  send(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: unknown,
    opts: { envelopeId?: string; retry?: number; connection?: number } = {},
  ): string {
    const ws = opts.connection === undefined ? this.current : this.open[opts.connection];
    if (!ws || ws.readyState !== 1) throw new Error('no Socket Mode client connected');
    const envelope_id = opts.envelopeId ?? `env-${++this.seq}`;
    ws.send(
      JSON.stringify({
        envelope_id,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(opts.retry ? { retry_attempt: opts.retry, retry_reason: 'timeout' } : {}),
      }),
    );
    return envelope_id;
  }

  acked(envelopeId: string): boolean {
    return this.acks.some((a) => a.envelope_id === envelopeId);
  }

  /** Slack's "refresh_requested": the client must drop this connection and open a new one. */
  disconnect(): void {
    this.current?.send(
      JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'fake' } }),
    );
  }
}
