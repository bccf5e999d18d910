import { keyIn, type KeyValueStore } from './kv.js';

/** Remembers keys for a while: duplicate deliveries, "once per thread" answers. */
export class DedupeStore {
  constructor(private readonly kv: KeyValueStore) {}

  /** True the first time `key` is seen within `ttlMs`; false for a repeat. Atomic across replicas. */
  firstSeen(key: string, ttlMs: number): Promise<boolean> {
    return this.kv.setIfAbsent(keyIn('seen', key), 1, { ttlMs });
  }
}
