import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const APP_ID = '1100000000000000001';
export const BOT_ID = '1100000000000000002';
export const BOT_USER = {
  id: BOT_ID,
  username: 'faultline',
  discriminator: '0',
  global_name: 'faultline',
  avatar: null,
  bot: true,
};

let counter = 0n;
/** Unique snowflakes, increasing. */
export function snowflake(): string {
  counter += 1n;
  return String(1_300_000_000_000_000_000n + counter);
}

export interface RecordedFile {
  name: string;
  text: string;
}

export interface RecordedCall {
  method: string;
  /** Without the `/api/v10` prefix, e.g. `/channels/123/messages`. */
  route: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The JSON body, or `payload_json` of a multipart body. */
  body: Record<string, unknown>;
  files: RecordedFile[];
  status: number;
  /** For calls that create or edit a message: the channel it is in. */
  channelId?: string;
  /** The message object returned. */
  message?: Record<string, unknown>;
}

/**
 * Outages under test control: `refuse` closes the listening socket (connections refused), `503` answers
 * every call with 503, `drop-after-post` creates the next message and then drops the connection without an answer (once),
 * `hold` keeps message creations unanswered (and not created) until `release`.
 */
export type Outage = 'refuse' | '503' | 'drop-after-post' | 'hold';

interface Fault {
  match: (method: string, route: string) => boolean;
  times: number;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * A loopback Discord REST API: `/gateway/bot`, channel messages and threads, interaction callbacks,
 * webhook follow-ups and edits (JSON or multipart with attachments), command registration, and injected
 * faults (429 with rate-limit headers, 403, 5xx). Every call is recorded.
 */
export class FakeDiscordRest {
  private server?: Server;
  private port = 0;
  private outageMode: Outage | undefined;
  /** Message creations held by the `hold` outage. */
  readonly held: { res: ServerResponse }[] = [];
  /** `<channel>:<nonce>` → the message created with it, for `enforce_nonce`. */
  private readonly nonces = new Map<string, Record<string, unknown>>();
  /** Creations answered with an earlier message because their nonce was seen (no new message). */
  readonly nonceHits: RecordedCall[] = [];
  apiUrl = '';
  gatewayUrl = '';
  readonly calls: RecordedCall[] = [];
  private faults: Fault[] = [];
  /** Thread channel objects created through the API, by id. */
  readonly threads = new Map<string, Record<string, unknown>>();
  /** Channel id → guild id, so thread objects carry their guild. */
  readonly guildOf = new Map<string, string>();
  /** Interaction token → channel id, for messages posted through interaction webhooks. */
  readonly interactionChannel = new Map<string, string>();
  private originals = new Map<string, Record<string, unknown>>();
  /** Files users attached, served (like Discord's CDN) at their attachment `url`. */
  private hosted = new Map<string, Buffer>();
  /** Attachment ids downloaded, in order. */
  readonly downloads: string[] = [];

  /** An attachment object as Discord puts it in a message, its `url` served by this fake. */
  hostFile(
    name: string,
    content: string | Buffer,
    contentType = 'text/plain; charset=utf-8',
  ): Record<string, unknown> {
    const id = snowflake();
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.hosted.set(id, data);
    const url = `${this.apiUrl.replace(/\/api$/, '')}/attachments/${id}/${encodeURIComponent(name)}`;
    return { id, filename: name, size: data.length, url, proxy_url: url, content_type: contentType };
  }

  /** Runs before a call is answered (tests hold calls back with it). */
  handleHook?: (method: string, route: string) => Promise<void>;
  /** Methods of calls received and not answered yet. */
  readonly pending = new Set<string>();

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    this.apiUrl = `http://127.0.0.1:${this.port}/api`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    s?.closeAllConnections();
    await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
  }

  /** Starts an outage (`refuse` stops listening: connections are refused on the same port). */
  async outage(mode: Outage): Promise<void> {
    this.outageMode = mode;
    if (mode === 'refuse') await this.stop();
  }

  /** Ends the outage: listening again on the same port, calls answered normally. */
  async recover(): Promise<void> {
    const was = this.outageMode;
    this.outageMode = undefined;
    if (was === 'refuse') await this.start(this.port);
  }

  /** Lets go of held calls without answering them. */
  release(): void {
    for (const h of this.held.splice(0)) h.res.socket?.destroy();
  }

  /** The next `times` calls matching answer 429 with Discord's rate-limit headers and body. */
  rateLimit(match: Fault['match'], retryAfterSeconds: number, times = 1, global = false): void {
    this.faults.push({
      match,
      times,
      status: 429,
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(retryAfterSeconds),
        'x-ratelimit-reset': String(Date.now() / 1000 + retryAfterSeconds),
        'x-ratelimit-bucket': 'fakebucket',
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
    });
  }

  /** The next `times` calls matching fail with `status` (default: 403 Missing Permissions). */
  fail(match: Fault['match'], status = 403, times = 1, code = 50013): void {
    this.faults.push({
      match,
      times,
      status,
      headers: {},
      body: { message: status === 403 ? 'Missing Permissions' : 'Server error', code },
    });
  }

  /** Calls that posted or edited a message, in order. */
  messages(): RecordedCall[] {
    return this.calls.filter((c) => c.message !== undefined && c.status < 300);
  }

  /** Messages that ended up in a channel (or thread). */
  inChannel(channelId: string): RecordedCall[] {
    return this.messages().filter((c) => c.channelId === channelId);
  }

  callbacks(interactionId: string): RecordedCall[] {
    return this.calls.filter((c) => c.route.startsWith(`/interactions/${interactionId}/`));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const route = decodeURIComponent(u.pathname).replace(/^\/api\/v\d+/, '');
    if (u.pathname.startsWith('/attachments/')) {
      const id = u.pathname.split('/')[2] ?? '';
      this.downloads.push(id);
      const data = this.hosted.get(id);
      if (!data) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
      return;
    }
    const { body, files } = await parseBody(req, raw);
    if (this.handleHook) {
      this.pending.add(method);
      try {
        await this.handleHook(method, route);
      } finally {
        this.pending.delete(method);
      }
    }
    const call: RecordedCall = {
      method,
      route,
      query: u.searchParams,
      headers: req.headers,
      body,
      files,
      status: 200,
    };
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      if (json === undefined) {
        res.writeHead(status, headers).end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    };
    const creates = method === 'POST' && /^\/channels\/\d+\/messages$/.test(route);
    if (this.outageMode === '503' && !route.startsWith('/gateway')) {
      send(503, { message: 'Service unavailable', code: 0 });
      return;
    }
    if (this.outageMode === 'hold' && creates) {
      this.held.push({ res });
      return;
    }
    this.calls.push(call);
    const fault = this.faults.find((f) => f.times > 0 && f.match(method, route));
    if (fault) {
      fault.times--;
      send(fault.status, fault.body, fault.headers);
      return;
    }
    if (req.headers.authorization !== undefined && req.headers.authorization !== 'Bot fake-token') {
      send(401, { message: '401: Unauthorized', code: 0 });
      return;
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && route === '/gateway/bot') {
      send(200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
      return;
    }
    if ((m = /^\/channels\/(\d+)$/.exec(route)) && method === 'GET') {
      const thread = this.threads.get(m[1] ?? '');
      if (thread) send(200, thread);
      else send(404, { message: 'Unknown Channel', code: 10003 });
      return;
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(route)) && method === 'POST') {
      const [, channelId = '', messageId = ''] = m;
      if (this.threads.has(messageId)) {
        send(400, { message: 'A thread has already been created for this message', code: 160004 });
        return;
      }
      const thread = {
        id: messageId,
        type: 11,
        guild_id: this.guildOf.get(channelId),
        parent_id: channelId,
        name: body.name,
        owner_id: BOT_ID,
        member_count: 1,
        message_count: 0,
        rate_limit_per_user: 0,
        flags: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: body.auto_archive_duration ?? 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
      };
      this.threads.set(messageId, thread);
      this.guildOf.set(messageId, this.guildOf.get(channelId) ?? '');
      call.channelId = channelId;
      send(201, thread);
      return;
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(route)) && method === 'POST') {
      const channelId = m[1] ?? '';
      const nonce =
        typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : '';
      const earlier =
        nonce && body.enforce_nonce === true ? this.nonces.get(`${channelId}:${nonce}`) : undefined;
      if (earlier) {
        // Discord returns the message it created for this nonce, and creates nothing.
        this.nonceHits.push(call);
        send(200, earlier);
        return;
      }
      this.created(call, channelId, body, files);
      if (nonce) this.nonces.set(`${channelId}:${nonce}`, call.message ?? {});
      if (this.outageMode === 'drop-after-post') {
        this.outageMode = undefined;
        call.status = 200;
        res.socket?.destroy();
        return;
      }
      send(200, call.message);
      return;
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(route)) && method === 'POST') {
      const token = m[2] ?? '';
      const type = body.type as number;
      const data = (body.data ?? {}) as Record<string, unknown>;
      // 4: message, 5: deferred message, 6: deferred update, 7: update, 8: autocomplete, 9: modal
      if (type === 4 || type === 5) {
        const msg = this.messageObject(this.interactionChannel.get(token) ?? '', data, files);
        this.originals.set(token, msg);
        if (type === 4) {
          call.channelId = msg.channel_id as string;
          call.message = msg;
        }
      }
      send(204);
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(route)) && method === 'PATCH') {
      const token = m[2] ?? '';
      const channelId = this.interactionChannel.get(token) ?? '';
      const before = this.originals.get(token) ?? this.messageObject(channelId, {}, []);
      const msg = {
        ...before,
        ...pick(body),
        attachments: files.length ? attachments(files) : before.attachments,
      };
      this.originals.set(token, msg);
      call.channelId = channelId;
      call.message = msg;
      send(200, msg);
      return;
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(route)) && method === 'POST') {
      const token = m[2] ?? '';
      this.created(call, this.interactionChannel.get(token) ?? '', body, files);
      send(200, call.message);
      return;
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(route)) && method === 'PUT') {
      const list = Array.isArray(call.body.__array) ? (call.body.__array as Record<string, unknown>[]) : [];
      send(
        200,
        list.map((c) => ({
          ...c,
          id: snowflake(),
          application_id: m?.[1],
          version: snowflake(),
          ...(m?.[2] ? { guild_id: m[2] } : {}),
        })),
      );
      return;
    }
    send(404, { message: `Unknown route ${method} ${route}`, code: 0 });
  }

  private created(
    call: RecordedCall,
    channelId: string,
    body: Record<string, unknown>,
    files: RecordedFile[],
  ): void {
    call.channelId = channelId;
    call.message = this.messageObject(channelId, body, files);
  }

  messageObject(
    channelId: string,
    body: Record<string, unknown>,
    files: RecordedFile[],
  ): Record<string, unknown> {
    const guildId = this.guildOf.get(channelId);
    return {
      id: snowflake(),
      channel_id: channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author: BOT_USER,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: attachments(files),
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
      ...pick(body),
    };
  }
}

function pick(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['content', 'embeds', 'components', 'flags', 'message_reference', 'nonce'])
    if (body[k] !== undefined) out[k] = body[k];
  return out;
}

function attachments(files: RecordedFile[]): Record<string, unknown>[] {
  return files.map((f) => ({
    id: snowflake(),
    filename: f.name,
    size: Buffer.byteLength(f.text),
    url: `https://cdn.example/${f.name}`,
    proxy_url: `https://cdn.example/${f.name}`,
  }));
}

async function parseBody(
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ body: Record<string, unknown>; files: RecordedFile[] }> {
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return { body: {}, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(raw),
    }).formData();
    const files: RecordedFile[] = [];
    let body: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json' && typeof value === 'string')
        body = JSON.parse(value) as Record<string, unknown>;
      else if (typeof value !== 'string') files.push({ name: value.name, text: await value.text() });
    }
    return { body, files };
  }
  const parsed: unknown = JSON.parse(raw.toString('utf8'));
  if (Array.isArray(parsed)) return { body: { __array: parsed }, files: [] };
  return { body: parsed as Record<string, unknown>, files: [] };
}
