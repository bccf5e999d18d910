import { createClient, createSentinel, ErrorReply, type RedisClientOptions } from 'redis';
import {
  checkTtl,
  StoreUnreachableError,
  toJson,
  type KeyValueStore,
  type SetOptions,
  type StoredEntry,
} from './kv.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port/db` or `rediss://`; with `sentinel`, only credentials and db count. */
  url?: string;
  /** Ask these Sentinels for the primary of `name` and follow it through failovers. */
  sentinel?: { name: string; nodes: { host: string; port: number }[] };
  /** Every key is stored as `prefix:key`, so several bots can share one server. */
  prefix?: string;
  /** A command not answered within this counts as the store being unreachable (it may still apply). */
  commandTimeoutMs?: number;
  /** How long `open` keeps trying before it reports the store unreachable. */
  connectTimeoutMs?: number;
}

/** How the store looks from here: for `/readyz`, metrics and logs. */
export interface StoreHealth {
  reachable: boolean;
  /** Where (password hidden) and, when unreachable, why. */
  detail: string;
}

/** The commands this store uses; a plain client and a Sentinel-managed one both provide them. */
interface Commands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: RedisSetOptions): Promise<string | null>;
  getDel(key: string): Promise<string | null>;
  del(key: string): Promise<number>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  scan(
    cursor: string,
    options: { MATCH: string; COUNT: number },
  ): Promise<{ cursor: string; keys: string[] }>;
}
interface RedisSetOptions {
  expiration?: { type: 'PX'; value: number };
  condition?: 'NX';
}
interface Connection extends Commands {
  readonly isReady: boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void | Promise<void>;
}

/** Replies that mean "not now" rather than "wrong": a replica during failover, a server loading its data. */
const TRANSIENT_REPLY = /^(READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY|NOREPLICAS)\b/;
const SCAN_COUNT = 1000;
const MGET_BATCH = 500;

/**
 * The shared store for several replicas: one Redis (or a Sentinel-managed primary). Values are JSON text
 * under `prefix:key`; `setIfAbsent` is `SET NX PX`, `take` is `GETDEL`, `list` is `SCAN MATCH prefix:ns:*`
 * then `MGET`, and TTLs are Redis's own. Commands fail fast while disconnected (no offline queue) with
 * `StoreUnreachableError`, so a caller can fall back or refuse at once instead of waiting for a server that
 * may not come back; the client keeps reconnecting in the background.
 */
export class RedisKeyValueStore implements KeyValueStore {
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private reachable = false;
  private everReady = false;
  private lastError = '';
  private closed = false;
  private readonly watchers: ((health: StoreHealth) => void)[] = [];

  private constructor(
    private readonly conn: Connection,
    private readonly where: string,
    opts: RedisStoreOptions,
  ) {
    this.prefix = `${opts.prefix ?? 'faultline'}:`;
    this.timeoutMs = opts.commandTimeoutMs ?? 2000;
    conn.on('error', (err: Error) => this.markDown(describeError(err)));
    conn.on('ready', () => {
      const first = !this.everReady;
      this.everReady = true;
      if (first) this.reachable = true;
      else this.markUp();
    });
  }

  /** Connects, or throws `StoreUnreachableError` naming the server and the cause in one line. */
  static async open(opts: RedisStoreOptions = {}): Promise<RedisKeyValueStore> {
    const url = opts.url ?? 'redis://127.0.0.1:6379/0';
    const deadline = Date.now() + (opts.connectTimeoutMs ?? 5000);
    const self: { store?: RedisKeyValueStore } = {};
    // Until the first connection, give up at the deadline (start-up reports it); afterwards, retry forever
    // with capped exponential backoff and jitter, so that replicas do not reconnect in lockstep.
    const reconnectStrategy = (retries: number, cause: Error): number | Error => {
      if (self.store?.closed) return new Error('closed');
      if (!self.store?.everReady && Date.now() >= deadline) return cause;
      return Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 100);
    };
    const clientOptions: RedisClientOptions = {
      url,
      disableOfflineQueue: true,
      pingInterval: 5000,
      socket: { connectTimeout: 2000, reconnectStrategy },
    };
    let conn: Connection;
    let where: string;
    if (opts.sentinel) {
      const u = new URL(url);
      const nodeOptions: RedisClientOptions = {
        ...clientOptions,
        url: undefined,
        username: decodeURIComponent(u.username) || undefined,
        password: decodeURIComponent(u.password) || undefined,
        database: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
      };
      conn = createSentinel({
        name: opts.sentinel.name,
        sentinelRootNodes: opts.sentinel.nodes,
        nodeClientOptions: nodeOptions,
        sentinelClientOptions: { disableOfflineQueue: true, socket: { connectTimeout: 2000 } },
      }) as unknown as Connection;
      where = `redis sentinel "${opts.sentinel.name}" via ${opts.sentinel.nodes.map((n) => `${n.host}:${n.port}`).join(', ')}`;
    } else {
      conn = createClient(clientOptions) as unknown as Connection;
      where = `redis at ${redactUrl(url)}`;
    }
    const store = new RedisKeyValueStore(conn, where, opts);
    self.store = store;
    try {
      await conn.connect();
    } catch (e) {
      await destroyQuietly(conn);
      throw new StoreUnreachableError(`cannot reach ${where}: ${store.lastError || describeError(e)}`);
    }
    return store;
  }

  /** Told once when the store becomes unreachable and once when it is back, not on every retry. */
  watch(listener: (health: StoreHealth) => void): void {
    this.watchers.push(listener);
  }

  health(): StoreHealth {
    return this.reachable
      ? { reachable: true, detail: this.where }
      : { reachable: false, detail: `${this.where}: ${this.lastError || 'not connected'}` };
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = await this.run('GET', (c) => c.get(this.k(key)));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
    const json = toJson(key, value);
    const ttl = checkTtl(options);
    // A plain SET also clears an earlier TTL, which is what the contract asks of a set without one.
    await this.run('SET', (c) =>
      c.set(this.k(key), json, ttl === undefined ? undefined : { expiration: { type: 'PX', value: ttl } }),
    );
  }

  async setIfAbsent(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    const json = toJson(key, value);
    const ttl = checkTtl(options);
    const reply = await this.run('SET NX', (c) =>
      c.set(this.k(key), json, {
        condition: 'NX',
        ...(ttl === undefined ? {} : { expiration: { type: 'PX' as const, value: ttl } }),
      }),
    );
    return reply === 'OK';
  }

  async take<T>(key: string): Promise<T | undefined> {
    const text = await this.run('GETDEL', (c) => c.getDel(this.k(key)));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async list<T>(namespace: string): Promise<StoredEntry<T>[]> {
    const match = `${escapeGlob(`${this.prefix}${namespace}:`)}*`;
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const page = await this.run('SCAN', (c) => c.scan(cursor, { MATCH: match, COUNT: SCAN_COUNT }));
      cursor = String(page.cursor);
      for (const k of page.keys) keys.add(k);
    } while (cursor !== '0');
    const all = [...keys];
    const out: StoredEntry<T>[] = [];
    for (let i = 0; i < all.length; i += MGET_BATCH) {
      const batch = all.slice(i, i + MGET_BATCH);
      const values = await this.run('MGET', (c) => c.mGet(batch));
      // A key can expire or be taken between SCAN and MGET; it is simply gone.
      batch.forEach((key, j) => {
        const text = values[j];
        if (text !== null && text !== undefined)
          out.push({ key: key.slice(this.prefix.length), value: JSON.parse(text) as T });
      });
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    await this.run('DEL', (c) => c.del(this.k(key)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.conn.close();
    } catch {
      // Not connected at the moment: nothing to flush, just stop reconnecting.
      await destroyQuietly(this.conn);
    }
  }

  // A Sentinel-managed connection does not say "ready" again after a failover, so commands report too.
  private markUp(): void {
    if (this.reachable || this.closed) return;
    this.reachable = true;
    this.lastError = '';
    this.tell();
  }

  private markDown(why: string): void {
    this.lastError = why;
    if (!this.reachable || this.closed) return;
    this.reachable = false;
    this.tell();
  }

  private tell(): void {
    const h = this.health();
    for (const w of this.watchers) w(h);
  }

  private k(key: string): string {
    return this.prefix + key;
  }

  private async run<T>(what: string, command: (c: Commands) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('store: used after close()');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new StoreUnreachableError(`${this.where}: ${what} not answered in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([command(this.conn), timeout]);
      this.markUp();
      return result;
    } catch (e) {
      if (e instanceof ErrorReply && !TRANSIENT_REPLY.test(e.message))
        throw new Error(`${this.where}: ${what} failed: ${e.message}`);
      const down =
        e instanceof StoreUnreachableError
          ? e
          : new StoreUnreachableError(`${this.where}: ${what}: ${describeError(e)}`);
      this.markDown(down.detail.slice(this.where.length + 2));
      throw down;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length) return describeError(e.errors[0]);
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = e.message || e.name;
    return code && !message.includes(code) ? `${code} ${message}` : message;
  }
  return String(e);
}

/** Stops a client whatever state it is in; a client that already gave up throws "closed", which is fine. */
async function destroyQuietly(conn: Connection): Promise<void> {
  try {
    await conn.destroy();
  } catch {
    // already closed
  }
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
