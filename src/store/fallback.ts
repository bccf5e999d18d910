import { StoreUnreachableError, type KeyValueStore, type SetOptions, type StoredEntry } from './kv.js';
import { MemoryKeyValueStore } from './memory.js';

/**
 * Short-lived conversation state (dedupe, sessions) on a shared store, kept in this process while the
 * shared store is unreachable: answers must still go out when Redis is down, at the price of a duplicate
 * answer if another replica receives the same event meanwhile. What was kept here is still consulted after
 * the store is back ("more" on an answer given during the outage, a redelivery of an event seen then).
 */
export class FallbackKeyValueStore implements KeyValueStore {
  private readonly local = new MemoryKeyValueStore();

  constructor(
    private readonly shared: KeyValueStore,
    private readonly onFallback: (operation: string, error: StoreUnreachableError) => void,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const v = await this.or(
      'get',
      () => this.shared.get<T>(key),
      () => this.local.get<T>(key),
    );
    return v ?? this.local.get<T>(key);
  }

  set(key: string, value: unknown, options?: SetOptions): Promise<void> {
    return this.or(
      'set',
      async () => {
        await this.shared.set(key, value, options);
        await this.local.delete(key);
      },
      () => this.local.set(key, value, options),
    );
  }

  async setIfAbsent(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    if ((await this.local.get(key)) !== undefined) return false;
    return this.or(
      'setIfAbsent',
      () => this.shared.setIfAbsent(key, value, options),
      () => this.local.setIfAbsent(key, value, options),
    );
  }

  async take<T>(key: string): Promise<T | undefined> {
    const v = await this.or(
      'take',
      () => this.shared.take<T>(key),
      () => this.local.take<T>(key),
    );
    return v ?? this.local.take<T>(key);
  }

  async list<T>(namespace: string): Promise<StoredEntry<T>[]> {
    const shared = await this.or(
      'list',
      () => this.shared.list<T>(namespace),
      async () => [],
    );
    const seen = new Set(shared.map((e) => e.key));
    return [...shared, ...(await this.local.list<T>(namespace)).filter((e) => !seen.has(e.key))];
  }

  async delete(key: string): Promise<void> {
    await this.local.delete(key);
    await this.or(
      'delete',
      () => this.shared.delete(key),
      async () => {},
    );
  }

  /** The shared store belongs to whoever passed it in; only the local copy ends here. */
  close(): Promise<void> {
    return this.local.close();
  }

  private async or<T>(operation: string, shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      return await shared();
    } catch (e) {
      if (!(e instanceof StoreUnreachableError)) throw e;
      this.onFallback(operation, e);
      return local();
    }
  }
}
