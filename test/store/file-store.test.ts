import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApprovalStore } from '../../src/store/approvals.js';
import { FileKeyValueStore, StoreLockedError } from '../../src/store/file.js';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { storesOn } from '../../src/store/stores.js';
import { harness, threeHosts } from '../diagnostics/helpers.js';
import { tempDir } from '../helpers.js';
import { storeContract } from './contract.js';

storeContract('file store', () => new FileKeyValueStore(tempDir()));

/** Opens, runs `body`, and closes, so that the next open in the same folder gets the lock. */
async function withStore<T>(
  dir: string,
  body: (s: FileKeyValueStore) => Promise<T>,
  warn?: (m: string) => void,
): Promise<T> {
  const s = new FileKeyValueStore(dir, warn ? { warn } : {});
  try {
    return await body(s);
  } finally {
    await s.close();
  }
}

describe('the file store across restarts', () => {
  it('keeps values, deletes and TTLs, and compacts the file at start', async () => {
    const dir = tempDir();
    await withStore(dir, async (a) => {
      await a.set('ns:k1', { n: 1 });
      await a.set('ns:k2', { n: 2 });
      await a.set('ns:k3', { n: 3 }, { ttlMs: 30 });
      await a.delete('ns:k1');
    });
    await new Promise((r) => setTimeout(r, 80));
    await withStore(dir, async (b) => {
      expect(await b.get('ns:k1')).toBeUndefined();
      expect(await b.list('ns')).toEqual([{ key: 'ns:k2', value: { n: 2 } }]);
    });
    expect(readFileSync(path.join(dir, 'values.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('after a torn last line, the first record written after the restart is kept', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    await withStore(dir, (a) => a.set('ns:k1', 'one'));
    appendFileSync(path.join(dir, 'values.jsonl'), '{"key":"ns:k2","val');
    await withStore(
      dir,
      (b) => b.set('ns:after', 'written after the crash'),
      (m) => warnings.push(m),
    );
    await withStore(dir, async (c) => {
      expect(await c.get('ns:after')).toBe('written after the crash');
      expect(await c.get('ns:k1')).toBe('one');
    });
    expect(warnings).toEqual([]);
  });

  it('skips a line that is JSON but not a record, naming file:line, and starts', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'values.jsonl');
    writeFileSync(file, '{"key":"ns:a","value":1}\nnull\n{"nope":1}\n[1]\n{"key":"ns:b","value":2}\n');
    const warnings: string[] = [];
    await withStore(
      dir,
      async (s) => expect((await s.list('ns')).map((e) => e.value)).toEqual([1, 2]),
      (m) => warnings.push(m),
    );
    expect(warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not a store record`),
      ),
      expect.stringMatching(/values\.jsonl:3: not a store record/),
      expect.stringMatching(/values\.jsonl:4: not a store record/),
    ]);
  });

  it('names a line in the middle that is not JSON at all', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'values.jsonl'), 'garbage\n{"key":"ns:b","value":2}\n');
    const warnings: string[] = [];
    await withStore(
      dir,
      async (s) => expect(await s.get('ns:b')).toBe(2),
      (m) => warnings.push(m),
    );
    expect(warnings).toEqual([expect.stringMatching(/values\.jsonl:1: not JSON; line skipped/)]);
  });
});

describe('the file store serves one process', () => {
  it('refuses a second store on the same folder while the first is open, and allows it after close', async () => {
    const dir = tempDir();
    const a = new FileKeyValueStore(dir);
    expect(() => new FileKeyValueStore(dir)).toThrow(StoreLockedError);
    expect(() => new FileKeyValueStore(dir)).toThrow(/already open in this process/);
    await a.close();
    expect(existsSync(path.join(dir, 'lock'))).toBe(false);
    await new FileKeyValueStore(dir).close();
  });

  it('refuses a folder locked by another live process, naming its pid', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path.join(dir, 'lock'), `${other.pid}\n`);
      expect(() => new FileKeyValueStore(dir)).toThrow(
        new RegExp(`in use by process ${other.pid} .*one process only`),
      );
    } finally {
      other.kill();
    }
  });

  it('takes over a stale lock left by a process that is gone', async () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(path.join(dir, 'lock'), `${gone.stdout.toString()}\n`);
    const s = new FileKeyValueStore(dir);
    expect(readFileSync(path.join(dir, 'lock'), 'utf8').trim()).toBe(String(process.pid));
    await s.close();
  });
});

describe('pending approvals in the file store', () => {
  const policy = {
    rules: [
      {
        effect: 'allow' as const,
        users: ['alice', 'bob'],
        diagnostics: ['*'],
        hosts: ['*'],
        requireApproval: true,
        mayApprove: true,
      },
    ],
  };

  it('survive a restart of the bot: requested before, approved after', async () => {
    const dir = tempDir();
    const first = storesOn(new FileKeyValueStore(dir), new MemoryKeyValueStore());
    const before = harness(threeHosts, policy, { approvals: first.approvals });
    const req = await before.service.request({
      user: 'alice',
      platform: 'slack',
      catalogId: 'uptime',
      host: 'web-1',
    });
    if (req.status !== 'needs-approval') throw new Error(req.status);
    await before.service.close();
    await first.close();

    const second = storesOn(new FileKeyValueStore(dir), new MemoryKeyValueStore());
    const after = harness(threeHosts, policy, { approvals: second.approvals });
    expect((await after.service.pending()).map((p) => p.id)).toEqual([req.requestId]);
    const ok = await after.service.approve(req.requestId, { user: 'bob', platform: 'slack' });
    expect(ok).toMatchObject({ status: 'ran', results: [{ host: 'web-1', status: 'ok' }] });
    await second.close();
    await withStore(dir, async (kv) => expect(await new ApprovalStore(kv).list()).toEqual([]));
  });
});
