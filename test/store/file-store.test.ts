import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreApprovalStore } from '../../src/store/approvals.js';
import { FileStore } from '../../src/store/store.js';
import { harness, threeHosts } from '../diagnostics/helpers.js';
import { tempDir } from '../helpers.js';

describe('the file store', () => {
  it('keeps feedback and values across a restart, and drops a torn last line', async () => {
    const dir = tempDir();
    const a = new FileStore(dir);
    await a.addFeedback({
      at: 'now',
      platform: 'slack',
      user: 'U1',
      pasteHash: 'h',
      guideId: 'broken-pipe',
      verdict: 'helpful',
    });
    await a.setValue('ns', 'k1', { n: 1 });
    await a.setValue('ns', 'k2', { n: 2 });
    await a.setValue('ns', 'k1', undefined);
    appendFileSync(path.join(dir, 'values.jsonl'), '{"ns":"ns","key":"k3","val');
    const b = new FileStore(dir);
    expect(await b.listFeedback()).toHaveLength(1);
    expect(await b.getValue('ns', 'k1')).toBeUndefined();
    expect(await b.listValues('ns')).toEqual([{ n: 2 }]);
    // compacted at start: only the live value is left in the file
    expect(readFileSync(path.join(dir, 'values.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('hands a value to one taker only', async () => {
    const s = new FileStore(tempDir());
    await s.setValue('ns', 'k', 'v');
    const [x, y] = await Promise.all([s.takeValue('ns', 'k'), s.takeValue('ns', 'k')]);
    expect([x, y].filter(Boolean)).toEqual(['v']);
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
      },
    ],
  };

  it('survive a restart of the bot: requested before, approved after', async () => {
    const dir = tempDir();
    const before = harness(threeHosts, policy, { approvals: new StoreApprovalStore(new FileStore(dir)) });
    const req = await before.service.request({
      user: 'alice',
      platform: 'slack',
      catalogId: 'uptime',
      host: 'web-1',
    });
    if (req.status !== 'needs-approval') throw new Error(req.status);
    await before.service.close();

    const after = harness(threeHosts, policy, { approvals: new StoreApprovalStore(new FileStore(dir)) });
    expect((await after.service.pending()).map((p) => p.id)).toEqual([req.requestId]);
    const ok = await after.service.approve(req.requestId, { user: 'bob', platform: 'slack' });
    expect(ok).toMatchObject({ status: 'ran', results: [{ host: 'web-1', status: 'ok' }] });
    expect(await new StoreApprovalStore(new FileStore(dir)).list()).toEqual([]);
  });
});
