/** A value a store can keep: anything that survives `JSON.stringify` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface SetOptions {
  /** Forget the value after this many milliseconds; kept until deleted when omitted. */
  ttlMs?: number;
}

export interface StoredEntry<T> {
  key: string;
  value: T;
}

/**
 * The seam every shared state goes through: a few key-value primitives that one process (memory, file) or
 * several replicas (Redis) can provide. Keys are `namespace:rest`; `list` reads one namespace. Values are
 * copied in and out (JSON), so a caller never holds a reference into the store.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /** Sets only when the key holds nothing (or only something expired); true when this call set it. */
  setIfAbsent(key: string, value: unknown, options?: SetOptions): Promise<boolean>;
  /** Removes and returns in one step: of two callers racing for a value, exactly one gets it. */
  take<T>(key: string): Promise<T | undefined>;
  /** Every live entry whose key starts with `namespace:`. */
  list<T>(namespace: string): Promise<StoredEntry<T>[]>;
  delete(key: string): Promise<void>;
  /** Releases files, locks and connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

export function keyIn(namespace: string, id: string): string {
  return `${namespace}:${id}`;
}

/** Refuses values JSON cannot carry faithfully, so that memory and shared stores behave alike. */
export function toJson(key: string, value: unknown): string {
  if (value === undefined) throw new TypeError(`store: no value given for ${key} (use delete to remove)`);
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`store: the value for ${key} is not JSON`);
  return text;
}

export function checkTtl(options: SetOptions | undefined): number | undefined {
  const ttl = options?.ttlMs;
  if (ttl === undefined) return undefined;
  if (!Number.isFinite(ttl) || ttl <= 0)
    throw new RangeError(`store: ttlMs must be a positive number, not ${ttl}`);
  return ttl;
}

/** What a person is told when shared state cannot be read or written; one wording for every front end. */
export const STORE_UNREACHABLE = 'state store unreachable, try again';

/**
 * A shared store did not answer (down, restarting, failing over, timed out). Callers that can do without
 * shared state fall back to the process (dedupe, sessions); the others refuse with this message rather
 * than guess. `detail` says why, for logs.
 */
export class StoreUnreachableError extends Error {
  constructor(readonly detail: string) {
    super(STORE_UNREACHABLE);
    this.name = 'StoreUnreachableError';
  }
}
