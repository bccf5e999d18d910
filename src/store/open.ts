import path from 'node:path';
import type { StoreConfig } from '../config/schema.js';
import { FileKeyValueStore } from './file.js';
import { MemoryKeyValueStore } from './memory.js';
import { StoreUnreachableError } from './kv.js';
import { memoryStores, redisStores, storesOn, type Stores } from './stores.js';

/** The Redis URL: `FAULTLINE_REDIS_URL` wins over the config, so that a password need not be in a file. */
export function redisUrl(config: StoreConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.FAULTLINE_REDIS_URL || config.url;
}

/**
 * The stores `store.kind` asks for. Redis is connected before this returns, so a wrong URL or a server that
 * is down stops start-up with one line naming it, instead of the first event finding out.
 */
export async function openStores(
  config: StoreConfig,
  baseDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  if (config.kind === 'memory') return memoryStores();
  if (config.kind === 'file')
    return storesOn(new FileKeyValueStore(path.resolve(baseDir, config.dir)), new MemoryKeyValueStore());
  const url = redisUrl(config, env);
  if (!url && !config.sentinel)
    throw new Error('store.kind is redis but no URL is set: give store.url or FAULTLINE_REDIS_URL');
  if (url && !/^rediss?:\/\//.test(url))
    throw new Error('FAULTLINE_REDIS_URL must start with redis:// or rediss://');
  // node-redis loads only for this store kind: every other command starts without it.
  const { RedisKeyValueStore } = await import('./redis.js');
  try {
    return redisStores(
      await RedisKeyValueStore.open({ url, sentinel: config.sentinel, prefix: config.prefix }),
    );
  } catch (e) {
    // At start-up the person reading is an operator: say where and why, not "try again".
    if (e instanceof StoreUnreachableError) throw new Error(e.detail);
    throw e;
  }
}
