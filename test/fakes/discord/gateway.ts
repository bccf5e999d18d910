import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
export const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  reconnect: 7,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

export interface GatewayConnection {
  path: string;
  query: URLSearchParams;
  ws: WebSocket;
  heartbeats: number;
  acked: number;
  closedWith?: number;
}

/**
 * A loopback Discord gateway that speaks plain JSON (no compression): HELLO, heartbeats and their acks,
 * IDENTIFY → READY → GUILD_CREATE, RESUME with replay of what was missed, op 7 RECONNECT and op 9.
 * Dispatches sent while no session is connected are kept and replayed on RESUME, as Discord does.
 */
export class FakeGateway {
  private wss?: WebSocketServer;
  url = '';
  readonly connections: GatewayConnection[] = [];
  readonly identifies: Record<string, unknown>[] = [];
  readonly resumes: Record<string, unknown>[] = [];
  /** Every frame a client sent, in order. */
  readonly received: Frame[] = [];
  /** HELLO's heartbeat interval for the next connections. */
  heartbeatIntervalMs = 45_000;
  /** False: heartbeats go unacknowledged (a zombie connection, from the client's side). */
  ackHeartbeats = true;
  /** False: the next RESUME is refused with op 9 (not resumable), forcing a fresh IDENTIFY. */
  allowResume = true;
  /** Set: IDENTIFY is answered by closing with this code (4004 a reset token, 4014 a missing intent). */
  refuseIdentify?: number;
  private seq = 0;
  private sessionId = '';
  private history: Frame[] = [];
  private current?: GatewayConnection;
  /** Called when a client connection closes (tests order it against other events). */
  onClose?: (conn: GatewayConnection) => void;

  constructor(
    private readonly ready: (sessionId: string, resumeUrl: string) => Record<string, unknown>,
    private readonly guilds: () => Record<string, unknown>[],
  ) {}

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => this.wss!.once('listening', () => r()));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
    this.wss.on('connection', (ws, req) => {
      const u = new URL(req.url ?? '/', 'ws://x');
      const conn: GatewayConnection = {
        path: u.pathname,
        query: u.searchParams,
        ws,
        heartbeats: 0,
        acked: 0,
      };
      this.connections.push(conn);
      ws.on('message', (raw, isBinary) => {
        if (isBinary) {
          ws.close(4002, 'binary frames are not expected: no compression was negotiated');
          return;
        }
        const frame = JSON.parse(raw.toString()) as Frame;
        this.received.push(frame);
        this.onFrame(conn, frame);
      });
      ws.on('close', (code) => {
        conn.closedWith = code;
        if (this.current === conn) this.current = undefined;
        this.onClose?.(conn);
      });
      ws.send(
        JSON.stringify({
          op: OP.hello,
          d: { heartbeat_interval: this.heartbeatIntervalMs },
          s: null,
          t: null,
        }),
      );
    });
  }

  private send(conn: GatewayConnection, f: Frame): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(f));
  }

  private onFrame(conn: GatewayConnection, f: Frame): void {
    switch (f.op) {
      case OP.heartbeat:
        conn.heartbeats++;
        if (this.ackHeartbeats) {
          conn.acked++;
          this.send(conn, { op: OP.heartbeatAck, d: null, s: null, t: null });
        }
        return;
      case OP.identify: {
        this.identifies.push(f.d as Record<string, unknown>);
        if (this.refuseIdentify) {
          conn.ws.close(this.refuseIdentify, 'refused');
          return;
        }
        this.sessionId = `session-${this.identifies.length}`;
        this.history = [];
        this.current = conn;
        this.emit('READY', this.ready(this.sessionId, `${this.url}/resume`));
        for (const g of this.guilds()) this.emit('GUILD_CREATE', g);
        return;
      }
      case OP.resume: {
        const d = f.d as { session_id: string; seq: number };
        this.resumes.push(d);
        if (!this.allowResume || d.session_id !== this.sessionId) {
          this.allowResume = true;
          this.send(conn, { op: OP.invalidSession, d: false, s: null, t: null });
          return;
        }
        this.current = conn;
        for (const missed of this.history.filter((h) => (h.s ?? 0) > d.seq)) this.send(conn, missed);
        this.emit('RESUMED', {});
        return;
      }
      default:
        return;
    }
  }

  /** Sends a dispatch on the live session, or keeps it for the replay when none is connected. */
  emit(t: string, d: unknown): void {
    const frame: Frame = { op: OP.dispatch, t, s: ++this.seq, d };
    this.history.push(frame);
    if (this.current) this.send(this.current, frame);
  }

  /** Op 7: Discord asks the client to reconnect and resume. */
  requestReconnect(): void {
    if (this.current) this.send(this.current, { op: OP.reconnect, d: null, s: null, t: null });
  }

  /** Drops the live connection without a close frame from the client's point of view (abnormal close). */
  dropConnection(): void {
    this.current?.ws.terminate();
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
  }
}
