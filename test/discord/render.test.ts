import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDiscord, LIMITS } from '../../adapters/discord/render.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import type { Reply } from '../../src/reply/model.js';
import { appContext, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { limitProblems } from '../fakes/discord/limits.js';
import { ALICE, DM_CHANNEL, GENERAL, messageCreate, slashCommand } from '../fakes/discord/payloads.js';
import { BOT_ID, type RecordedCall } from '../fakes/discord/rest.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

function wire(m: ReturnType<typeof renderDiscord>): Record<string, unknown> {
  return { content: m.content, embeds: m.embeds, components: m.components };
}

function bigGuide(): Extract<Reply, { kind: 'guide' }> {
  const long = (n: number, w: string) =>
    Array.from({ length: n }, (_, i) => `${w} ${i} ${'x'.repeat(280)} end-${w}-${i}`);
  return {
    kind: 'guide',
    guide: {
      id: 'big-guide',
      title: 'T'.repeat(300),
      summary: 'S'.repeat(5000),
      meaning: 'M',
      causes: long(40, 'cause'),
      checklist: long(40, 'check'),
      commands: long(30, 'cmd').map((text) => ({ text })),
      diagnose: 'D',
      fix: 'F',
      faq: [],
      related: Array.from({ length: 30 }, (_, i) => ({ id: `related-${i}`, title: `Related ${i}` })),
      source: { file: 'knowledge/big-guide.md', builtin: true, hash: '0123456789ab' },
    },
    score: 0.9,
    evidence: { line: 3, text: 'E'.repeat(1000), signature: undefined },
    rank: 0,
    alternatives: [{ id: 'alt', title: 'Alt', score: 0.5 }],
    truncatedInput: true,
    actions: [
      { kind: 'next-match', label: 'Not this one' },
      { kind: 'feedback', verdict: 'helpful', guideId: 'big-guide', label: 'Helpful' },
      { kind: 'feedback', verdict: 'wrong', guideId: 'big-guide', label: 'Wrong guide' },
    ],
  };
}

describe('renderDiscord: limits, and nothing cut silently', () => {
  it('an oversized guide stays within every limit, and the whole guide travels as a file', () => {
    const m = renderDiscord(bigGuide(), '1300000000000000001');
    expect(limitProblems(wire(m))).toEqual([]);
    const file = m.files.find((f) => f.name === 'big-guide.md');
    expect(file, 'overflow file').toBeDefined();
    const text = file!.data.toString();
    for (let i = 0; i < 40; i++) {
      expect(text).toContain(`end-cause-${i}`);
      expect(text).toContain(`end-check-${i}`);
    }
    for (let i = 0; i < 30; i++) expect(text).toContain(`end-cmd-${i}`);
    const fields = m.embeds[0]?.fields ?? [];
    expect(fields.at(-1)?.name).toBe('More in the attached file');
    expect(m.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('text longer than 2,000 characters moves into an embed; longer than 4,096 into a file', () => {
    const mid = renderDiscord({ kind: 'text', text: 'a'.repeat(3000) }, 't');
    expect(mid.content).toBeUndefined();
    expect(mid.embeds[0]?.description).toHaveLength(3000);
    expect(mid.files).toHaveLength(0);
    const long = renderDiscord({ kind: 'text', text: `${'b'.repeat(9000)}THE-END` }, 't');
    expect(limitProblems(wire(long))).toEqual([]);
    expect(long.files[0]?.data.toString()).toContain('THE-END');
    expect(long.content).toMatch(/attached file/);
  });

  it('a diagnostic result of 500 lines shows its part and attaches the full output', () => {
    const full = Array.from({ length: 500 }, (_, i) => `line ${i} ${'y'.repeat(60)}`).join('\n');
    const reply: BotReply = {
      kind: 'diagnostic-result',
      catalogId: 'ss-established',
      host: 'db-1',
      params: {},
      exitCode: 0,
      shown: full.split('\n').slice(0, 40).join('\n'),
      full,
      truncatedAtSource: false,
      requester: '1300000000000000001',
      approvedBy: '1300000000000000002',
    };
    const m = renderDiscord(reply, 't');
    expect(limitProblems(wire(m))).toEqual([]);
    expect(m.files.map((f) => f.name)).toEqual(['ss-established-db-1.txt']);
    expect(m.files[0]?.data.toString()).toBe(full);
    expect(m.embeds[0]?.description).toContain('approved by <@1300000000000000002>');
  });

  it('at most 5 action rows of 5 buttons, custom ids within 100 characters', () => {
    const offers: BotReply = {
      kind: 'diagnostic-offers',
      guideId: 'g',
      offers: Array.from({ length: 40 }, (_, i) => ({
        catalogId: `diag-${i}`,
        description: 'd',
        hosts: ['h'],
        params: [],
        needsApproval: false,
      })),
    };
    const m = renderDiscord(offers, '1300000000000000001');
    expect(m.components.length).toBeLessThanOrEqual(LIMITS.actionRows);
    expect(limitProblems(wire(m))).toEqual([]);
  });
});

describe('Discord end to end: a 500-line paste, and mention safety', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const PASTE = [
    ...Array.from(
      { length: 250 },
      (_, i) => `2026-11-24T10:00:${String(i % 60).padStart(2, '0')}Z worker[${i}] processing batch ${i}`,
    ),
    DEADLINE,
    ...Array.from(
      { length: 249 },
      (_, i) => `2026-11-24T10:05:${String(i % 60).padStart(2, '0')}Z worker[${i}] retrying batch ${i}`,
    ),
  ].join('\n');

  it('a 500-line paste is answered within every Discord limit', async () => {
    expect(PASTE.split('\n')).toHaveLength(500);
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> ${PASTE}`,
      mentionsBot: true,
    });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const reply = await waitFor('reply', () => h.rest.inChannel(msg.id as string)[0]);
    expect(messageText(reply)).toMatch(/deadline/i);
    expect(limitProblems(reply.body)).toEqual([]);
    const thread = h.rest.calls.find((c) => c.route.endsWith(`/messages/${msg.id as string}/threads`));
    expect(String(thread?.body.name).length).toBeLessThanOrEqual(100);

    const cmd = slashCommand('explain', [{ name: 'text', value: PASTE }], { user: ALICE, channel: GENERAL });
    h.interact(cmd);
    const edited = await waitFor('edited', () =>
      h.rest.calls.find((c) => c.method === 'PATCH' && c.route.includes(cmd.token as string)),
    );
    expect(limitProblems(edited.body)).toEqual([]);
  });

  it('nothing the bot echoes pings anyone or links anywhere', async () => {
    const hostile = `@everyone @here <@1300000000000000003> <@&1200000000000000099> [login](https://evil.example/x) ${DEADLINE} https://evil.example/y`;
    const msg = messageCreate({
      author: ALICE,
      channel: GENERAL,
      content: `<@${BOT_ID}> ${hostile}`,
      mentionsBot: true,
    });
    h.gateway.emit('MESSAGE_CREATE', msg);
    const dm = messageCreate({ author: ALICE, channel: DM_CHANNEL, content: hostile });
    h.gateway.emit('MESSAGE_CREATE', dm);
    const cmd = slashCommand('explain', [{ name: 'text', value: hostile }], {
      user: ALICE,
      channel: GENERAL,
    });
    h.interact(cmd);
    const replies: RecordedCall[] = [
      await waitFor('thread reply', () => h.rest.inChannel(msg.id as string)[0]),
      await waitFor('dm reply', () =>
        h.rest
          .inChannel(DM_CHANNEL)
          .find((c) => (c.body.message_reference as { message_id?: string })?.message_id === dm.id),
      ),
      await waitFor('edited', () =>
        h.rest.calls.find((c) => c.method === 'PATCH' && c.route.includes(cmd.token as string)),
      ),
    ];
    // A guide's own commands are shown as written, URLs included, so that they can be copied.
    const own = new Set(appContext().knowledge.guides.flatMap((g) => g.commands));
    for (const r of replies) {
      const text = messageText(r)
        .split('\n')
        .filter((line) => !own.has(line))
        .join('\n');
      // The evidence line is echoed (so the test means something), but inert.
      expect(text).toMatch(/everyone/);
      expect(text).not.toMatch(/@everyone|@here|<@!?\d|<@&\d|https?:\/\/|\]\(/);
      expect(r.body.allowed_mentions).toMatchObject({ parse: [] });
    }
    expect(replies[1]!.body.allowed_mentions).toMatchObject({ parse: [], replied_user: false });
    // Every message the bot sent in this file carried allowed_mentions that ping nobody.
    for (const c of h.rest
      .messages()
      .filter((x) => x.method !== 'PATCH' || x.body.content !== undefined || x.body.embeds !== undefined)) {
      const am = (c.body.allowed_mentions ??
        (c.body.data as { allowed_mentions?: unknown } | undefined)?.allowed_mentions) as
        { parse?: unknown[] } | undefined;
      expect(am?.parse, `${c.method} ${c.route}`).toEqual([]);
    }
  });
});
