import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/store/kv.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What every `KeyValueStore` must do. Each implementation's test file calls this with a factory that
 * returns a fresh, empty store; the suite closes what it opens. Expiry is checked against the real clock
 * (a shared store keeps its own), with TTLs short enough to keep the suite fast but long enough that a
 * loaded two-core CI machine reads a value back before it expires (40 ms was not).
 */
export function storeContract(name: string, open: () => KeyValueStore | Promise<KeyValueStore>): void {
  describe(`${name}: the key-value store contract`, () => {
    const opened: KeyValueStore[] = [];
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('gives back what was set, as a copy, and nothing for a key never set', async () => {
      const s = await fresh();
      const value = { a: [1, 'two', null, { b: true }], n: 1.5 };
      await s.set('ns:k', value);
      value.n = 99;
      const got = await s.get<typeof value>('ns:k');
      expect(got).toEqual({ a: [1, 'two', null, { b: true }], n: 1.5 });
      if (got) got.n = 7;
      expect(await s.get('ns:k')).toEqual({ a: [1, 'two', null, { b: true }], n: 1.5 });
      expect(await s.get('ns:missing')).toBeUndefined();
    });

    it('keeps strings, numbers, booleans and null as they are', async () => {
      const s = await fresh();
      for (const [k, v] of [
        ['s', 'text'],
        ['n', 0],
        ['b', false],
        ['z', null],
      ] as const) {
        await s.set(`t:${k}`, v);
        expect(await s.get(`t:${k}`)).toBe(v);
      }
    });

    it('refuses undefined and non-JSON values', async () => {
      const s = await fresh();
      await expect(s.set('ns:k', undefined)).rejects.toThrow(/ns:k/);
      await expect(s.set('ns:k', () => 1)).rejects.toThrow(/not JSON/);
      await expect(s.set('ns:k', 1, { ttlMs: 0 })).rejects.toThrow(/ttlMs/);
    });

    it('overwrites, deletes, and lists one namespace only', async () => {
      const s = await fresh();
      await s.set('a:1', 'one');
      await s.set('a:1', 'uno');
      await s.set('a:2', 'two');
      await s.set('ab:3', 'other namespace sharing a prefix');
      await s.set('b:4', 'four');
      await s.delete('a:2');
      await s.delete('a:never-set');
      expect(await s.list('a')).toEqual([{ key: 'a:1', value: 'uno' }]);
      expect((await s.list('ab')).map((e) => e.key)).toEqual(['ab:3']);
      expect(await s.list('none')).toEqual([]);
    });

    it('forgets a value after its TTL: get, list, take and setIfAbsent all see it gone', async () => {
      const s = await fresh();
      await s.set('ttl:short', 'x', { ttlMs: 400 });
      await s.set('ttl:long', 'y', { ttlMs: 60_000 });
      await s.set('ttl:forever', 'z');
      expect(await s.get('ttl:short')).toBe('x');
      await sleep(600);
      expect(await s.get('ttl:short')).toBeUndefined();
      expect(await s.take('ttl:short')).toBeUndefined();
      expect((await s.list<string>('ttl')).map((e) => e.value).sort()).toEqual(['y', 'z']);
      expect(await s.setIfAbsent('ttl:short', 'again', { ttlMs: 60_000 })).toBe(true);
      expect(await s.get('ttl:short')).toBe('again');
    });

    it('drops an old TTL when a value is set again without one', async () => {
      const s = await fresh();
      await s.set('ttl:k', 1, { ttlMs: 400 });
      await s.set('ttl:k', 2);
      await sleep(600);
      expect(await s.get('ttl:k')).toBe(2);
    });

    it('setIfAbsent: true once, false while the value lives, and one winner of a race', async () => {
      const s = await fresh();
      expect(await s.setIfAbsent('once:k', 'first', { ttlMs: 60_000 })).toBe(true);
      expect(await s.setIfAbsent('once:k', 'second', { ttlMs: 60_000 })).toBe(false);
      expect(await s.get('once:k')).toBe('first');
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => s.setIfAbsent('once:race', `racer ${i}`, { ttlMs: 60_000 })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await s.get('once:race')).toBe(`racer ${results.indexOf(true)}`);
    });

    it('take: removes and returns, and of many concurrent takers exactly one gets the value', async () => {
      const s = await fresh();
      await s.set('take:k', { id: 'k' });
      const got = await Promise.all(Array.from({ length: 25 }, () => s.take('take:k')));
      expect(got.filter((g) => g !== undefined)).toEqual([{ id: 'k' }]);
      expect(await s.get('take:k')).toBeUndefined();
      expect(await s.take('take:never')).toBeUndefined();
    });

    it('closes cleanly', async () => {
      const s = await open();
      await s.set('c:k', 1);
      await expect(s.close()).resolves.toBeUndefined();
    });
  });
}
