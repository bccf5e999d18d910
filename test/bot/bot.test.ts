import { describe, expect, it } from 'vitest';
import { Bot, type InboundEvent } from '../../src/bot/bot.js';
import type { BotObserver } from '../../src/bot/observer.js';
import { botConfigSchema } from '../../src/config/schema.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import type { Guide } from '../../src/knowledge/schema.js';
import { MatchEngine } from '../../src/match/engine.js';
import { memoryStores } from '../../src/store/stores.js';
import { guideFile } from '../helpers.js';

function loaded(id: string): Guide {
  const { guide, problems } = parseGuide(guideFile(id), `${id}.md`);
  if (!guide) throw new Error(JSON.stringify(problems));
  return guide;
}

const guides = [loaded('link-lost'), loaded('pipe-gone')];
const engine = new MatchEngine(guides);

function setup() {
  const store = memoryStores();
  const bot = new Bot(
    engine,
    guides,
    store,
    botConfigSchema.parse({ incidentChannels: ['C-INC'], passiveThreshold: 0.7 }),
  );
  const seen: string[] = [];
  const observer: BotObserver = {
    eventReceived: (p, t) => seen.push(`event ${p} ${t}`),
    matched: (_p, id) => seen.push(`matched ${id}`),
    repliesReturned: (_p, n) => seen.push(`replies ${n}`),
    diagnosticOutcome: (o) => seen.push(`diagnostic ${o}`),
  };
  bot.observe(observer);
  return { bot, store, seen };
}

const ev = (over: Partial<InboundEvent>): InboundEvent => ({
  platform: 'test',
  user: 'U1',
  channel: 'C-DM',
  thread: 'T1',
  text: 'link lost happened',
  trigger: 'mention',
  ...over,
});

describe('the conversation layer', () => {
  it('answers a paste with the best guide and "more" with the next, in the same thread only', async () => {
    const { bot } = setup();
    const [first] = await bot.handle(ev({ text: 'link lost happened\npipe gone happened' }));
    expect(first).toMatchObject({ kind: 'guide', guide: { id: 'link-lost' }, rank: 0 });
    expect(await bot.handle(ev({ text: 'more' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'pipe-gone' }, rank: 1 },
    ]);
    expect((await bot.handle(ev({ text: 'more' })))[0]).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('No more guides'),
    });
    expect((await bot.handle(ev({ text: 'more', thread: 'T2' })))[0]).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('no earlier paste'),
    });
  });

  it('answers a repeated delivery once', async () => {
    const { bot } = setup();
    expect(await bot.handle(ev({ eventId: 'E1' }))).toHaveLength(1);
    expect(await bot.handle(ev({ eventId: 'E1' }))).toEqual([]);
    expect(await bot.handle(ev({ eventId: 'E2' }))).toHaveLength(1);
  });

  it('never answers bots', async () => {
    const { bot } = setup();
    expect(await bot.handle(ev({ fromBot: true }))).toEqual([]);
  });

  it('listens passively only in incident channels, only to errors, once per guide per thread', async () => {
    const { bot } = setup();
    const passive = (over: Partial<InboundEvent>) =>
      bot.handle(ev({ trigger: 'passive', channel: 'C-INC', ...over }));
    expect(await passive({ channel: 'C-OTHER', text: 'error: link lost happened' })).toEqual([]);
    expect(await passive({ text: 'link lost happened' })).toEqual([]); // reads like no error
    expect(await passive({ text: 'deploy finished, all good' })).toEqual([]);
    expect(await passive({ text: 'error: link lost happened' })).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
    expect(await passive({ text: 'error again: link lost happened' })).toEqual([]);
    expect(await passive({ text: 'error: link lost happened', thread: 'T9' })).toHaveLength(1);
    // Capitalised and coded errors read as errors too; ordinary capitalised words do not.
    expect(await passive({ text: 'Error: link lost happened', thread: 'T10' })).toHaveLength(1);
    expect(await passive({ text: 'ECONNABORTED link lost happened', thread: 'T11' })).toHaveLength(1);
    expect(await passive({ text: 'Every link lost happened', thread: 'T12' })).toEqual([]);
  });

  it('records feedback on the answer shown, without the paste', async () => {
    const { bot, store } = setup();
    await bot.handle(ev({ text: 'secret-token-123 link lost happened' }));
    await bot.handle(ev({ text: 'wrong' }));
    const [f] = await store.feedback.list();
    expect(f).toMatchObject({ guideId: 'link-lost', verdict: 'wrong', user: 'U1', platform: 'test' });
    expect(JSON.stringify(f)).not.toContain('secret-token');
  });

  it('reports events, matches and replies to its observer', async () => {
    const { bot, seen } = setup();
    await bot.handle(ev({}));
    await bot.handle(ev({ text: 'lunch?' }));
    expect(seen).toEqual([
      'event test mention',
      'matched link-lost',
      'replies 1',
      'event test mention',
      'matched null',
      'replies 1',
    ]);
  });
});
