import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback fake of the Slack Web API: records every call, answers the methods faultline uses, checks
 * Block Kit limits the way Slack does (`invalid_blocks`, `msg_too_long`), and can be told to fail the next
 * calls of a method with 429 (Retry-After) or 500.
 */

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
}

export interface Upload {
  fileId: string;
  filename: string;
  content: string;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 };

/** A message as Slack keeps it: what `conversations.replies` and `conversations.history` return. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/**
 * Outages under test control: `refuse` closes the listening socket (connections refused), `503` answers
 * every Web API call with 503, `drop-after-post` accepts the next chat.postMessage (the message is posted) and
 * then drops the connection without an answer (once), `hold` keeps chat.postMessage calls unanswered (and unposted)
 * until `release`.
 */
export type Outage = 'refuse' | '503' | 'drop-after-post' | 'hold';

const JSON_FIELDS = new Set(['blocks', 'attachments', 'files', 'view', 'metadata']);

export const BOT_USER = 'UFAULTLINE';
export const BOT_ID = 'BFAULTLINE';

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly uploads: Upload[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  /** Every refused call: the method and Slack's error, for assertions that nothing was refused. */
  readonly rejected: { method: string; error: string; detail?: string }[] = [];
  socketUrl = '';
  /** Tokens Slack refuses (`invalid_auth`), as after a reset or a revoked app. */
  readonly refusedTokens = new Set<string>();
  /** Methods refused with `missing_scope`, and the scope Slack says is needed. */
  readonly missingScopes = new Map<string, string>();
  private server: Server | undefined;
  private port = 0;
  /** Every message posted, in order (thread replies included). */
  readonly messages: StoredMessage[] = [];
  private outageMode: Outage | undefined;
  /** chat.postMessage calls held by the `hold` outage. */
  readonly held: { res: ServerResponse }[] = [];
  private failures = new Map<string, Failure[]>();
  // Timestamps from the clock, as Slack's are: `conversations.history` with `oldest` depends on it.
  private ts = Math.floor(Date.now() / 1000);
  private fileSeq = 0;
  /** What `usergroups.list` answers (with `include_users`). */
  userGroups: { id: string; handle: string; name: string; users: string[] }[] = [];
  private pending = new Map<string, { filename: string }>();
  /** Files users uploaded, served at `url_private` to callers that send the bot token. */
  private hosted = new Map<string, Buffer>();
  /** Each download of a hosted file, with the token it came with. */
  readonly downloads: { fileId: string; token: string | undefined }[] = [];

  /**
   * A file as a user uploaded it (or a snippet): the file object Slack puts in the message event, its
   * `url_private` served by this fake.
   */
  hostFile(
    name: string,
    content: string | Buffer,
    opts: { mimetype?: string; snippet?: boolean } = {},
  ): Record<string, unknown> {
    const id = `FUP${++this.fileSeq}`;
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.hosted.set(id, data);
    const url = `${this.url}/files-pri/TFAKE-${id}/${encodeURIComponent(name)}`;
    return {
      id,
      name,
      title: name,
      mimetype: opts.mimetype ?? 'text/plain',
      filetype: opts.snippet ? 'text' : (name.split('.').pop() ?? 'text'),
      ...(opts.snippet ? { mode: 'snippet' } : { mode: 'hosted' }),
      size: data.length,
      url_private: url,
      url_private_download: `${url}?download=1`,
    };
  }

  get url(): string {
    if (!this.port) throw new Error('fake Slack API not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Web API base URL (what FAULTLINE_SLACK_API_URL is set to). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** `port`: a fixed one, for a Slack that comes back where it was. */
  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
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

  /** Lets go of held calls without answering them (their client is gone, or gives up). */
  release(): void {
    for (const h of this.held.splice(0)) h.res.socket?.destroy();
  }

  /** Posted messages carrying `key` in their faultline metadata. */
  withKey(key: string): StoredMessage[] {
    return this.messages.filter((m) => m.metadata?.event_payload.key === key);
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The next `times` calls of `method` fail as given. */
  fail(method: string, failure: Failure, times = 1): void {
    const list = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(failure);
    this.failures.set(method, list);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages posted (chat.postMessage calls that Slack accepted). */
  posted(): RecordedCall[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && c.args.ok_ts !== undefined);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/upload/')) {
      const fileId = url.pathname.slice('/upload/'.length);
      const p = this.pending.get(fileId);
      if (!p) return this.json(res, 404, { ok: false });
      this.uploads.push({ fileId, filename: p.filename, content: body.toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
      return;
    }
    if (url.pathname.startsWith('/files-pri/')) {
      const fileId = (url.pathname.split('/')[2] ?? '').replace(/^TFAKE-/, '');
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      this.downloads.push({ fileId, token });
      const data = this.hosted.get(fileId);
      // Slack does not serve a private file without the bot token (it answers with its sign-in page).
      if (!data || token !== 'xoxb-fake') {
        res.writeHead(403, { 'content-type': 'text/html' }).end('<html>sign in</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(data);
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      this.responses.push({
        path: url.pathname,
        body: JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!url.pathname.startsWith('/api/')) return this.json(res, 404, { ok: false, error: 'unknown_path' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'] ?? '', body);
    const auth = req.headers.authorization;
    const call: RecordedCall = {
      method,
      args,
      token: auth?.replace(/^Bearer /, '') ?? (typeof args.token === 'string' ? args.token : undefined),
    };
    this.calls.push(call);
    if (this.outageMode === '503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
      return;
    }
    if (this.outageMode === 'hold' && method === 'chat.postMessage') {
      this.held.push({ res });
      return;
    }
    const failure = this.failures.get(method)?.shift();
    if (failure?.status === 429) {
      res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfter) })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure?.status === 500) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    const needed = this.missingScopes.get(method);
    const reply =
      call.token !== undefined && this.refusedTokens.has(call.token)
        ? { ok: false, error: 'invalid_auth' }
        : needed
          ? { ok: false, error: 'missing_scope', needed, provided: 'chat:write' }
          : this.answer(method, args);
    if (reply.ok === false)
      this.rejected.push({
        method,
        error: String(reply.error),
        ...(reply.detail ? { detail: String(reply.detail) } : {}),
      });
    else if (method === 'chat.postMessage') call.args.ok_ts = reply.ts;
    if (this.outageMode === 'drop-after-post' && method === 'chat.postMessage') {
      this.outageMode = undefined;
      res.socket?.destroy();
      return;
    }
    this.json(res, 200, reply);
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'faultline',
          team_id: 'TFAKE',
          user_id: BOT_USER,
          bot_id: BOT_ID,
        };
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'no_socket' };
      case 'chat.postMessage': {
        const problem = checkMessage(args);
        if (problem) return { ok: false, error: problem.error, detail: problem.detail };
        const ts = `${this.ts++}.000100`;
        const metadata = args.metadata as StoredMessage['metadata'];
        this.messages.push({
          channel: String(args.channel),
          ts,
          ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
          text: String(args.text ?? ''),
          ...(metadata ? { metadata } : {}),
        });
        return { ok: true, channel: args.channel, ts, message: { text: args.text, ts } };
      }
      case 'conversations.replies':
      case 'conversations.history': {
        const all = args.include_all_metadata === true || args.include_all_metadata === 'true';
        const oldest = Number(args.oldest ?? 0);
        const found = this.messages.filter((m) =>
          m.channel !== args.channel
            ? false
            : method === 'conversations.replies'
              ? m.ts === args.ts || m.thread_ts === args.ts
              : m.thread_ts === undefined && Number(m.ts) >= oldest,
        );
        return {
          ok: true,
          messages: found.map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
            ...(all && m.metadata ? { metadata: m.metadata } : {}),
          })),
        };
      }
      case 'usergroups.list':
        return { ok: true, usergroups: this.userGroups };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.ts++}.000200` };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'files.getUploadURLExternal': {
        const fileId = `F${++this.fileSeq}`;
        this.pending.set(fileId, { filename: String(args.filename) });
        return { ok: true, upload_url: `${this.url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
        if (!files.every((f) => this.uploads.some((u) => u.fileId === f.id)))
          return { ok: false, error: 'file_not_found' };
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'views.open': {
        const view = args.view as { blocks?: unknown[]; title?: { text?: string } } | undefined;
        if (
          !view ||
          !Array.isArray(view.blocks) ||
          view.blocks.length > 100 ||
          (view.title?.text?.length ?? 0) > 24
        )
          return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: 'VFAKE' } };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

function parseArgs(contentType: string, body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType.includes('application/json'))
    return (JSON.parse(text || '{}') as Record<string, unknown>) ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        // keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

interface TextObject {
  type?: string;
  text?: string;
}

/** Slack's documented Block Kit limits for messages. */
function checkMessage(args: Record<string, unknown>): { error: string; detail: string } | undefined {
  const text = typeof args.text === 'string' ? args.text : '';
  if (text.length > 40_000) return { error: 'msg_too_long', detail: `text is ${text.length} characters` };
  const blocks = args.blocks;
  if (blocks === undefined) return text ? undefined : { error: 'no_text', detail: '' };
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks', detail: 'blocks is not an array' };
  if (blocks.length > 50) return { error: 'invalid_blocks', detail: `${blocks.length} blocks` };
  const bad = (why: string) => ({ error: 'invalid_blocks', detail: why });
  for (const [i, b] of (blocks as Record<string, unknown>[]).entries()) {
    const t = b.text as TextObject | undefined;
    if (b.type === 'header' && (t?.type !== 'plain_text' || (t.text?.length ?? 0) > 150))
      return bad(`header ${i}`);
    if (b.type === 'section') {
      if (!t?.text || t.text.length > 3000) return bad(`section ${i} text length ${t?.text?.length ?? 0}`);
    }
    if (b.type === 'context') {
      const els = b.elements as TextObject[] | undefined;
      if (!els?.length || els.length > 10 || els.some((e) => (e.text?.length ?? 0) > 3000))
        return bad(`context ${i}`);
    }
    if (b.type === 'actions') {
      const els = b.elements as { text?: TextObject; value?: string; action_id?: string }[] | undefined;
      if (!els?.length || els.length > 25) return bad(`actions ${i} has ${els?.length ?? 0} elements`);
      for (const e of els) {
        if (
          (e.text?.text?.length ?? 0) > 75 ||
          (e.value?.length ?? 0) > 2000 ||
          (e.action_id?.length ?? 0) > 255
        )
          return bad(`button in actions ${i}`);
      }
      const ids = els.map((e) => e.action_id);
      if (new Set(ids).size !== ids.length) return bad(`duplicate action_id in actions ${i}`);
    }
  }
  return undefined;
}

export { waitFor } from '../wait.js';

/** The text of every block of a recorded message, joined. */
export function messageText(call: RecordedCall): string {
  const parts: string[] = [typeof call.args.text === 'string' ? call.args.text : ''];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') parts.push(x);
        else walk(x);
      }
    }
  };
  walk(call.args.blocks);
  return parts.join('\n');
}

/** The header (guide title) of a recorded guide reply, or '' when it has none. */
export function headerTitle(call: RecordedCall): string {
  const blocks = (call.args.blocks as { type: string; text?: { text?: string } }[] | undefined) ?? [];
  return blocks.find((b) => b.type === 'header')?.text?.text ?? '';
}

/** Two errors in one paste: two guides match, so "more" / "Not this one" have somewhere to go. */
export const TWO_ERRORS =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already\n' +
  'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';

/** Both guides of TWO_ERRORS, each shown exactly once across the two replies. */
export function bothGuides(first: RecordedCall, second: RecordedCall): string[] {
  return [headerTitle(first), headerTitle(second)]
    .map((t) => (/too many clients/i.test(t) ? 'postgres' : /broken pipe/i.test(t) ? 'epipe' : t))
    .sort();
}
