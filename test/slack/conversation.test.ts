import { describe, expect, it } from 'vitest';
import { Bot, parseRunCommand } from '../../src/bot/bot.js';
import { memoryStores } from '../../src/store/stores.js';
import { appContext } from '../fakes/slack/harness.js';

describe('conversation layer pieces the Slack adapter relies on', () => {
  it('parses run commands and leaves pastes that start with "run" alone', () => {
    expect(parseRunCommand('run ss-summary on web-1')).toEqual({
      catalogId: 'ss-summary',
      host: 'web-1',
      params: {},
    });
    expect(parseRunCommand('run journalctl-unit on db-1 unit=postgresql since=-15m')).toEqual({
      catalogId: 'journalctl-unit',
      host: 'db-1',
      params: { unit: 'postgresql', since: '-15m' },
    });
    expect(parseRunCommand('Run failed: exit code 1')).toBeUndefined();
    expect(parseRunCommand('running out of memory on node 3')).toBeUndefined();
    expect(parseRunCommand('run')).toHaveProperty('error');
    expect(parseRunCommand('run x on h oops')).toHaveProperty('error');
  });

  it('without diagnostics, a run command says so and a guide reply carries no offers', async () => {
    const ctx = appContext();
    const bot = new Bot(ctx.engine, ctx.knowledge.guides, memoryStores(), ctx.config.bot);
    const base = { platform: 't', user: 'u', channel: 'c', trigger: 'mention' as const };
    expect(await bot.receive({ ...base, thread: 't1', text: 'run uptime on web-1' })).toEqual([
      { kind: 'text', text: 'Diagnostics are not set up for this bot.' },
    ]);
    const replies = await bot.receive({
      ...base,
      thread: 't2',
      text: 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe',
    });
    expect(replies.map((r) => r.kind)).toEqual(['guide']);
  });
});
