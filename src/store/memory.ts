import { checkTtl, toJson, type KeyValueStore, type SetOptions, type StoredEntry } from './kv.js';

interface Slot {
  /** The value as JSON text: copying through text keeps stored values apart from callers' objects. */
  json: string;
  expiresAt: number | undefined;
}

/** Sweep for expired entries after this many writes, so keys nobody reads again do not pile up. */
const SWEEP_EVERY = 1024;

/** One process's store. Every operation completes before it yields, which makes `take` and `setIfAbsent` atomic. */
export class MemoryKeyValueStore implements KeyValueStore {
  protected readonly slots = new Map<string, Slot>();
  private writes = 0;
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  async get<T>(key: string): Promise<T | undefined> {
    const slot = this.live(key);
    return slot && (JSON.parse(slot.json) as T);
  }

  async set(key: string, value: unknown, options?: SetOptions): Promise<void> {
    this.put(key, value, options);
  }

  async setIfAbsent(key: string, value: unknown, options?: SetOptions): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, options);
    return true;
  }

  async take<T>(key: string): Promise<T | undefined> {
    const slot = this.live(key);
    if (!slot) return undefined;
    this.remove(key);
    return JSON.parse(slot.json) as T;
  }

  async list<T>(namespace: string): Promise<StoredEntry<T>[]> {
    this.open();
    const prefix = `${namespace}:`;
    const out: StoredEntry<T>[] = [];
    for (const key of this.slots.keys()) {
      if (!key.startsWith(prefix)) continue;
      const slot = this.live(key);
      if (slot) out.push({ key, value: JSON.parse(slot.json) as T });
    }
    return out;
  }

  async delete(key: string): Promise<void> {
    this.open();
    if (this.slots.has(key)) this.remove(key);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Subclasses persist here; called after validation and before the change is visible. */
  protected record(_key: string, _slot: Slot | undefined): void {}

  private put(key: string, value: unknown, options: SetOptions | undefined): void {
    this.open();
    const json = toJson(key, value);
    const ttl = checkTtl(options);
    const slot: Slot = { json, expiresAt: ttl === undefined ? undefined : this.now() + ttl };
    this.record(key, slot);
    this.slots.delete(key); // re-insert: iteration order stays oldest-written first
    this.slots.set(key, slot);
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  private remove(key: string): void {
    this.record(key, undefined);
    this.slots.delete(key);
  }

  private live(key: string): Slot | undefined {
    this.open();
    const slot = this.slots.get(key);
    if (slot?.expiresAt !== undefined && slot.expiresAt <= this.now()) {
      this.slots.delete(key);
      return undefined;
    }
    return slot;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, slot] of this.slots)
      if (slot.expiresAt !== undefined && slot.expiresAt <= now) this.slots.delete(key);
  }

  private open(): void {
    if (this.closed) throw new Error('store: used after close()');
  }
}

export type { Slot };
