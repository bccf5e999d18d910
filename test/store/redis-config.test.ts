import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { RedisKeyValueStore } from '../../src/store/redis.js';
import { parse } from 'yaml';
import { faultline, ROOT } from '../cli/run.js';
import { tempDir } from '../helpers.js';
import { freePort, requireRedisOrSkip, startRedis, type RedisProcess } from './redis-fixture.js';

describe('store config for Redis', () => {
  it('accepts a URL, Sentinels and a prefix', () => {
    const c = parseConfigText(
      [
        'store:',
        '  kind: redis',
        '  url: rediss://bot:pw@redis.internal:6380/2',
        '  prefix: team-a',
        '  sentinel:',
        '    name: faultline',
        '    nodes: [{ host: s1 }, { host: s2, port: 26380 }]',
      ].join('\n'),
      'f.yaml',
    );
    expect(c.store).toMatchObject({
      kind: 'redis',
      prefix: 'team-a',
      sentinel: {
        nodes: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26380 },
        ],
      },
    });
  });

  it('the config in compose.yaml is valid for faultline', () => {
    const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as {
      configs: { faultline: { content: string } };
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const c = parseConfigText(compose.configs.faultline.content, 'compose.yaml');
    expect(c.store.kind).toBe('redis');
    expect(compose.services['faultline-2']?.environment?.FAULTLINE_REDIS_URL).toBe('redis://redis:6379/0');
  });

  it('names file and line of a URL that is not a Redis one, and of a bad prefix', () => {
    expect(() => parseConfigText('store:\n  kind: redis\n  url: http://redis:6379\n', 'f.yaml')).toThrow(
      /^f\.yaml:3: .*store\.url.*redis:\/\/ or rediss:\/\//,
    );
    expect(() => parseConfigText('store:\n  prefix: "a b"\n', 'f.yaml')).toThrow(
      /^f\.yaml:2: .*store\.prefix/,
    );
  });
});

const gate = requireRedisOrSkip();

describe.skipIf(gate.skip)('faultline with store.kind redis', () => {
  let server: RedisProcess;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  function configDir(store: string): string {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'faultline.yaml'), `store:\n${store}`);
    return dir;
  }

  it('keeps the conversation in Redis under the prefix, with the URL from FAULTLINE_REDIS_URL', async () => {
    const cwd = configDir('  kind: redis\n  prefix: cli-test\n');
    const r = faultline(['chat'], {
      cwd,
      input: 'write: broken pipe\n',
      env: { FAULTLINE_REDIS_URL: server.url },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Broken pipe');
    const kv = await RedisKeyValueStore.open({ url: server.url, prefix: 'cli-test' });
    try {
      expect((await kv.list('session')).length).toBe(1);
    } finally {
      await kv.close();
    }
  });

  it('stops at start-up with one line naming the server when Redis is not there', async () => {
    const port = await freePort();
    const cwd = configDir(`  kind: redis\n  url: redis://:hunter2@127.0.0.1:${port}/0\n`);
    const r = faultline(['chat'], { cwd, input: 'write: broken pipe\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `faultline: cannot reach redis at redis://:***@127.0.0.1:${port}/0: connect ECONNREFUSED 127.0.0.1:${port}\n`,
    );
  });

  it('says what is missing when no URL is given', () => {
    const r = faultline(['chat'], { cwd: configDir('  kind: redis\n'), env: { FAULTLINE_REDIS_URL: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'faultline: store.kind is redis but no URL is set: give store.url or FAULTLINE_REDIS_URL\n',
    );
  });
});
