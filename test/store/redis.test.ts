import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnreachableError } from '../../src/store/kv.js';
import { RedisKeyValueStore } from '../../src/store/redis.js';
import { storeContract } from './contract.js';
import { freePort, requireRedisOrSkip, startRedis, type RedisProcess } from './redis-fixture.js';

const gate = requireRedisOrSkip();
let server: RedisProcess;
let n = 0;

describe.skipIf(gate.skip)('the Redis store', () => {
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  // Each store gets a prefix of its own: a fresh, empty store on the one server, as the contract wants.
  storeContract('redis store', () => RedisKeyValueStore.open({ url: server.url, prefix: `contract${++n}` }));

  it('keeps bots with different prefixes apart on one server', async () => {
    const a = await RedisKeyValueStore.open({ url: server.url, prefix: 'bot-a' });
    const b = await RedisKeyValueStore.open({ url: server.url, prefix: 'bot-b' });
    try {
      await a.set('ns:k', 'from a');
      expect(await b.get('ns:k')).toBeUndefined();
      expect(await b.list('ns')).toEqual([]);
      expect(await b.setIfAbsent('ns:k', 'from b')).toBe(true);
      expect(await a.take('ns:k')).toBe('from a');
      expect(await b.get('ns:k')).toBe('from b');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lists a namespace of thousands of keys across SCAN pages, skipping glob characters in names', async () => {
    const s = await RedisKeyValueStore.open({ url: server.url, prefix: 'many' });
    try {
      await Promise.all(Array.from({ length: 2500 }, (_, i) => s.set(`big:${i}`, i)));
      await s.set('b*g:x', 'a namespace that a glob would match');
      const values = (await s.list<number>('big')).map((e) => e.value).sort((x, y) => x - y);
      expect(values).toEqual(Array.from({ length: 2500 }, (_, i) => i));
      expect((await s.list('b*g')).map((e) => e.key)).toEqual(['b*g:x']);
    } finally {
      await s.close();
    }
  });

  it('keys expire in Redis itself, so every replica sees the same TTL', async () => {
    const s = await RedisKeyValueStore.open({ url: server.url, prefix: 'ttl' });
    const other = await RedisKeyValueStore.open({ url: server.url, prefix: 'ttl' });
    try {
      await s.set('t:k', 1, { ttlMs: 50 });
      expect(await other.get('t:k')).toBe(1);
      await new Promise((r) => setTimeout(r, 120));
      expect(await other.get('t:k')).toBeUndefined();
    } finally {
      await s.close();
      await other.close();
    }
  });
});

describe('opening a Redis store that is not there', () => {
  it('fails in one line naming the server and the cause, with the password hidden', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await RedisKeyValueStore.open({
      url: `redis://bot:s3cret@127.0.0.1:${port}/0`,
      connectTimeoutMs: 300,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnreachableError);
    const e = err as StoreUnreachableError;
    expect(e.message).toBe('state store unreachable, try again');
    expect(e.detail).toBe(
      `cannot reach redis at redis://bot:***@127.0.0.1:${port}/0: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    expect(e.detail).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
