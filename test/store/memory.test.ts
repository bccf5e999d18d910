import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { SessionStore } from '../../src/store/sessions.js';
import { memoryStores } from '../../src/store/stores.js';
import { storeContract } from './contract.js';

storeContract('memory store', () => new MemoryKeyValueStore());

describe('domain stores over the memory store', () => {
  it('dedupe: a key is new once within its TTL', async () => {
    const s = memoryStores();
    expect(await s.dedupe.firstSeen('event:slack:E1', 60_000)).toBe(true);
    expect(await s.dedupe.firstSeen('event:slack:E1', 60_000)).toBe(false);
    expect(await s.dedupe.firstSeen('event:slack:E2', 60_000)).toBe(true);
  });

  it('feedback lists in the order it was given', async () => {
    const s = memoryStores();
    const f = (at: string, guideId: string) =>
      ({ at, platform: 'cli', user: 'u', pasteHash: 'h', guideId, verdict: 'helpful' }) as const;
    await s.feedback.add(f('2026-01-02T00:00:00.000Z', 'b'));
    await s.feedback.add(f('2026-01-01T00:00:00.000Z', 'a'));
    expect((await s.feedback.list()).map((x) => x.guideId)).toEqual(['a', 'b']);
  });

  it('sessions expire', async () => {
    let now = 0;
    const kv = new MemoryKeyValueStore(() => now);
    const sessions = new SessionStore(kv, 1000);
    const session = {
      pasteHash: 'h',
      matchIds: ['a'],
      scores: [1],
      shown: 0,
      evidence: [],
      truncatedInput: false,
    };
    await sessions.set('slack:T1', session);
    now = 999;
    expect(await sessions.get('slack:T1')).toEqual(session);
    now = 1000;
    expect(await sessions.get('slack:T1')).toBeUndefined();
  });
});
