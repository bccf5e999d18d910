import { describe, expect, it } from 'vitest';
import { Bot, type InboundEvent } from '../../src/bot/bot.js';
import { botConfigSchema } from '../../src/config/schema.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import type { Guide } from '../../src/knowledge/schema.js';
import { MatchEngine } from '../../src/match/engine.js';
import { memoryStores, storesOn, type Stores } from '../../src/store/stores.js';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { guideFile } from '../helpers.js';

function loaded(id: string): Guide {
  const { guide, problems } = parseGuide(guideFile(id), `${id}.md`);
  if (!guide) throw new Error(JSON.stringify(problems));
  return guide;
}

const guides = [loaded('link-lost'), loaded('pipe-gone')];
const engine = new MatchEngine(guides);
const botOn = (store: Stores, recordGaps = true) =>
  new Bot(engine, guides, store, botConfigSchema.parse({}), undefined, { recordGaps });

const ev = (text: string, over: Partial<InboundEvent> = {}): InboundEvent => ({
  platform: 'test',
  user: 'U1',
  channel: 'C1',
  thread: 'T1',
  text,
  trigger: 'mention',
  ...over,
});

const first = 'link lost happened on db-3.prod.internal at 2026-12-01T10:00:01Z (attempt 4)';
const again = 'link lost happened on cache-7.example.com at 2025-01-09T08:30:00Z (attempt 12)';

describe('corrections the bot learns from', () => {
  it('"wrong" asks which guide fits; the answer makes the same paste with other details get it first, in another bot on the store', async () => {
    const store = memoryStores();
    const bot = botOn(store);
    expect(await bot.receive(ev(first))).toMatchObject([{ kind: 'guide', guide: { id: 'link-lost' } }]);
    const [question] = await bot.receive(ev('wrong'));
    expect(question).toMatchObject({ kind: 'choose-guide', wrong: 'link-lost' });
    expect(await bot.receive(ev('pipe-gone'))).toMatchObject([
      { kind: 'text', text: expect.stringContaining('`pipe-gone` first') },
    ]);
    const learned = await store.learned.list();
    expect(learned.map((e) => [e.verdict, e.guideId])).toEqual([
      ['wrong', 'link-lost'],
      ['right', 'pipe-gone'],
    ]);
    expect(learned[1]?.sample).not.toContain('prod.internal');

    const other = botOn(store);
    expect(await other.receive(ev(again, { thread: 'T2', user: 'U2' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'pipe-gone' } },
    ]);
  });

  it('buttons: "Wrong guide" puts the question in the thread, a choice records it, an unknown id records nothing', async () => {
    const store = memoryStores();
    const bot = botOn(store);
    await bot.receive(ev(first));
    const ctx = { platform: 'test', user: 'U1', channel: 'C1', thread: 'T1' };
    const asked = await bot.act({ ...ctx, kind: 'feedback', guideId: 'link-lost', verdict: 'wrong' });
    expect(asked.replies).toMatchObject([{ kind: 'choose-guide' }]);
    expect((await bot.act({ ...ctx, kind: 'correct', guideId: 'no-such' })).privately[0]).toContain(
      'unknown guide',
    );
    expect((await store.learned.list()).filter((e) => e.verdict === 'right')).toHaveLength(0);
    await bot.act({ ...ctx, kind: 'correct', guideId: 'pipe-gone' });
    expect((await store.learned.list()).filter((e) => e.verdict === 'right')).toHaveLength(1);
  });

  it('"none of these" teaches quiet and records the paste as a gap, redacted', async () => {
    const store = memoryStores();
    const bot = botOn(store);
    await bot.receive(ev(first));
    await bot.receive(ev('wrong'));
    expect(await bot.receive(ev('none'))).toMatchObject([
      { kind: 'text', text: expect.stringContaining('stay quiet') },
    ]);
    expect(await botOn(store).receive(ev(again, { thread: 'T3' }))).toMatchObject([{ kind: 'no-match' }]);
    const gaps = await store.gaps.list();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.count).toBe(2);
    expect(gaps[0]?.sample).toContain('<host>');
  });

  it('records no gaps with learning.recordGaps false', async () => {
    const store = memoryStores();
    await botOn(store, false).receive(ev('the weather is nice today'));
    expect(await store.gaps.list()).toEqual([]);
  });

  it('a store that is down: the answer comes from the guides, the correction says it was not recorded', async () => {
    const store = memoryStores();
    const bot = botOn(store);
    await bot.receive(ev(first));
    store.learned.list = () => Promise.reject(new Error('connection refused'));
    store.learned.add = () => Promise.reject(new Error('connection refused'));
    expect(await bot.receive(ev(again, { thread: 'T9' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
    expect(await bot.receive(ev('wrong', { thread: 'T9' }))).toMatchObject([
      { kind: 'error', text: expect.stringContaining('store is unavailable') },
    ]);
  });

  it('a store that is down: answers still come from the guides; a correction says it was not recorded', async () => {
    // The durable store (Redis, say) refuses every call; sessions live in this process's memory.
    class DownStore extends MemoryKeyValueStore {
      override get<T>(): Promise<T | undefined> {
        return Promise.reject(new Error('connection refused'));
      }
      override set(): Promise<void> {
        return Promise.reject(new Error('connection refused'));
      }
      override list<T>(): Promise<never[] & T[]> {
        return Promise.reject(new Error('connection refused'));
      }
    }
    const bot = botOn(storesOn(new DownStore(), new MemoryKeyValueStore()));
    expect(await bot.receive(ev(first))).toMatchObject([{ kind: 'guide', guide: { id: 'link-lost' } }]);
    expect(await bot.receive(ev('the weather is lovely', { thread: 'T2' }))).toMatchObject([
      { kind: 'no-match' },
    ]);
    const [wrong] = await bot.receive(ev('wrong'));
    expect(wrong).toMatchObject({ kind: 'error', text: expect.stringContaining('store is unavailable') });
    const res = await bot.act({ ...ev(''), eventId: 'e1', kind: 'correct', guideId: 'pipe-gone' });
    expect(res.privately[0]).toContain('not recorded: the store is unavailable (connection refused)');
    expect(
      (await bot.act({ ...ev(''), eventId: 'e2', kind: 'correct', guideId: 'no-such' })).privately[0],
    ).toBe('unknown guide "no-such": nothing was recorded');
  });
});
