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
    const [first] = await bot.receive(ev({ text: 'link lost happened\npipe gone happened' }));
    expect(first).toMatchObject({ kind: 'guide', guide: { id: 'link-lost' }, rank: 0 });
    expect(await bot.receive(ev({ text: 'more' }))).toMatchObject([
      { kind: 'guide', guide: { id: 'pipe-gone' }, rank: 1 },
    ]);
    expect((await bot.receive(ev({ text: 'more' })))[0]).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('No more guides'),
    });
    expect((await bot.receive(ev({ text: 'more', thread: 'T2' })))[0]).toMatchObject({
      kind: 'text',
      text: expect.stringContaining('no earlier paste'),
    });
  });

  it('answers a repeated delivery once', async () => {
    const { bot } = setup();
    expect(await bot.receive(ev({ eventId: 'E1' }))).toHaveLength(1);
    expect(await bot.receive(ev({ eventId: 'E1' }))).toEqual([]);
    expect(await bot.receive(ev({ eventId: 'E2' }))).toHaveLength(1);
  });

  it('never answers bots', async () => {
    const { bot } = setup();
    expect(await bot.receive(ev({ fromBot: true }))).toEqual([]);
  });

  it('listens passively only in incident channels, to what the engine confidently matches, once per guide per thread', async () => {
    const { bot } = setup();
    const passive = (over: Partial<InboundEvent>) =>
      bot.receive(ev({ trigger: 'passive', channel: 'C-INC', ...over }));
    expect(await passive({ channel: 'C-OTHER', text: 'error: link lost happened' })).toEqual([]);
    expect(await passive({ text: 'deploy finished, all good' })).toEqual([]);
    expect(await passive({ text: 'error: link lost happened' })).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
    expect(await passive({ text: 'error again: link lost happened' })).toEqual([]);
    expect(await passive({ text: 'error: link lost happened', thread: 'T9' })).toHaveLength(1);
    // A guide's own signature is an error even without an error word: the engine's notion, not a word list.
    expect(await passive({ text: 'link lost happened', thread: 'T10' })).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
    expect(await passive({ text: 'Every link lost happened', thread: 'T11' })).toHaveLength(1);
  });

  it('one entry point: a repeated delivery of a run command or an action gets nothing the second time', async () => {
    const { bot } = setup();
    expect(await bot.receive(ev({ eventId: 'R1', text: 'run uptime on web-1' }))).toHaveLength(1);
    expect(await bot.receive(ev({ eventId: 'R1', text: 'run uptime on web-1' }))).toEqual([]);
    await bot.receive(ev({ text: 'link lost happened\npipe gone happened' }));
    const next = { kind: 'next' as const, platform: 'test', user: 'U1', channel: 'C-DM', thread: 'T1' };
    expect((await bot.act({ ...next, eventId: 'A1' })).replies).toMatchObject([{ kind: 'guide' }]);
    expect(await bot.act({ ...next, eventId: 'A1' })).toEqual({ replies: [], privately: [] });
    expect(await bot.act({ ...next, kind: 'feedback', guideId: 'pipe-gone', verdict: 'helpful' })).toEqual({
      replies: [],
      privately: ['Thanks, noted.'],
    });
  });

  it('records feedback on the answer shown, without the paste', async () => {
    const { bot, store } = setup();
    await bot.receive(ev({ text: 'secret-token-123 link lost happened' }));
    await bot.receive(ev({ text: 'wrong' }));
    const [f] = await store.feedback.list();
    expect(f).toMatchObject({ guideId: 'link-lost', verdict: 'wrong', user: 'U1', platform: 'test' });
    expect(JSON.stringify(f)).not.toContain('secret-token');
  });

  it('reports events, matches and replies to its observer', async () => {
    const { bot, seen } = setup();
    await bot.receive(ev({}));
    await bot.receive(ev({ text: 'lunch?' }));
    expect(seen).toEqual([
      'event test mention',
      'matched link-lost',
      'replies 1',
      'event test mention',
      'matched null',
      'replies 1',
    ]);
  });

  it('answers listed bots passively, never unlisted ones, never itself, and listed bots only passively', async () => {
    const store = memoryStores();
    const bot = new Bot(
      engine,
      guides,
      store,
      botConfigSchema.parse({ incidentChannels: ['C-INC'], listenToBots: ['B-ALERTS'] }),
    );
    const text = 'error: link lost happened';
    const fromBot = (over: Partial<InboundEvent>) =>
      bot.receive(ev({ trigger: 'passive', channel: 'C-INC', text, fromBot: true, ...over }));
    expect(await fromBot({ botIds: ['B-OTHER'] })).toEqual([]);
    expect(await fromBot({ botIds: ['B-ALERTS'], fromSelf: true, thread: 'T2' })).toEqual([]);
    expect(await fromBot({ botIds: ['B-ALERTS'], trigger: 'mention', thread: 'T3' })).toEqual([]);
    expect(await fromBot({ botIds: ['B-ALERTS'], channel: 'C-OTHER', thread: 'T4' })).toEqual([]);
    expect(await fromBot({ botIds: ['A-APP', 'B-ALERTS'], thread: 'T5' })).toMatchObject([
      { kind: 'guide', guide: { id: 'link-lost' } },
    ]);
  });

  it('"mute here" keeps passive answers out of the thread, "mute channel" out of the channel, "unmute" undoes both', async () => {
    const { bot, store } = setup();
    const text = 'error: link lost happened';
    const passive = (thread: string) =>
      bot.receive(ev({ trigger: 'passive', channel: 'C-INC', text, thread }));
    const say = (t: string, thread: string) => bot.receive(ev({ channel: 'C-INC', text: t, thread }));
    expect(await say('mute here for 2h', 'T1')).toMatchObject([
      { kind: 'text', text: /Muted in this thread until/ },
    ]);
    expect(await passive('T1')).toEqual([]);
    // Asked directly, it still answers.
    expect(await say(text, 'T1')).toMatchObject([{ kind: 'guide' }]);
    const other = await passive('T2');
    expect(other).toMatchObject([{ kind: 'guide' }]);
    // Passive answers carry the button that does the same.
    expect(other[0]?.kind === 'guide' && other[0].actions.some((a) => a.kind === 'mute')).toBe(true);
    await say('mute channel', 'T3');
    expect(await passive('T4')).toEqual([]);
    expect(await say('unmute', 'T1')).toMatchObject([{ kind: 'text', text: /^Unmuted/ }]);
    expect(await passive('T5')).toHaveLength(1);
    expect(await passive('T1')).toHaveLength(1);
    expect(await say('mute here for 30d', 'T6')).toMatchObject([{ kind: 'error' }]);
    // The button, through Bot.act; remembered in the store.
    const res = await bot.act({ kind: 'mute', platform: 'test', user: 'U2', channel: 'C-INC', thread: 'T7' });
    expect(res.privately[0]).toMatch(/Muted in this thread/);
    expect(await store.incidents.mutedUntil(['test:thread:T7'])).toBeInstanceOf(Date);
    expect(await passive('T7')).toEqual([]);
  });

  it('a failed role lookup denies every decision, allow rules included', async () => {
    const { Policy } = await import('../../src/policy/policy.js');
    const { policyConfigSchema } = await import('../../src/policy/schema.js');
    const policy = new Policy(
      policyConfigSchema.parse({
        rules: [{ effect: 'allow', users: ['*'], diagnostics: ['*'], hosts: ['*'] }],
      }),
    );
    const target = { catalogId: 'uptime', host: { name: 'web-1', labels: [] } };
    expect(policy.decide({ platform: 'discord', user: 'U1' }, target).effect).toBe('allow');
    expect(policy.decide({ platform: 'discord', user: 'U1', rolesError: 'no member' }, target)).toMatchObject(
      { effect: 'deny', reason: expect.stringMatching(/could not look up/) },
    );
  });
});
