import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appContext, buttonsOf, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, buttonClick, GENERAL, messageCreate, slashCommand } from '../fakes/discord/payloads.js';
import { BOT_ID } from '../fakes/discord/rest.js';
import { FileKeyValueStore } from '../../src/store/file.js';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { storesOn } from '../../src/store/stores.js';

const FIRST =
  'write tcp 10.0.0.7:443: write: broken pipe after context deadline exceeded on db-3.prod.internal at 2026-12-01T10:00:01Z';
const AGAIN =
  'write tcp 172.16.9.1:8443: write: broken pipe after context deadline exceeded on cache-2.example.com at 2025-03-04T05:06:07Z';

const fileStores = (dir: string) => storesOn(new FileKeyValueStore(dir), new MemoryKeyValueStore());

function mention(h: Harness, text: string): string {
  const msg = messageCreate({
    author: ALICE,
    channel: GENERAL,
    content: `<@${BOT_ID}> ${text}`,
    mentionsBot: true,
  });
  h.gateway.emit('MESSAGE_CREATE', msg);
  return msg.id as string;
}

const titleOf = (call: { message?: Record<string, unknown> }) =>
  (call.message?.embeds as { title: string }[] | undefined)?.[0]?.title;

describe('Discord: a correction teaches the next bot on the same store', () => {
  it('"Wrong guide" asks which fits; the chosen guide answers the variant first after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-discord-learn-'));
    const store = fileStores(dir);
    const h = await startHarness({ store });
    let chosen = '';
    try {
      const thread = mention(h, FIRST);
      const reply = await waitFor('guide', () => h.rest.inChannel(thread)[0]);
      const wrong = buttonsOf(reply).find((b) => b.label === 'Wrong guide')!;
      const click = buttonClick(wrong.custom_id, reply.message!, { user: ALICE, channel: thread });
      h.interact(click);
      const edit = await waitFor('question', () =>
        h.rest.calls.find(
          (c) => c.method === 'PATCH' && c.route.includes(`/${click.token as string}/messages/@original`),
        ),
      );
      const data = edit.body as {
        embeds: { title: string; description: string }[];
        components: { components: { custom_id: string; label: string }[] }[];
      };
      expect(data.embeds[0]?.title).toBe('Which guide fits this paste?');
      expect(data.embeds[0]?.description).toMatch(/^1\. /);
      const choices = data.components.flatMap((r) => r.components);
      expect(choices.map((c) => c.label)).toContain('None of these');
      const first = choices[0]!;
      chosen = first.custom_id.split('|')[2] ?? '';
      expect(chosen).not.toBe(wrong.custom_id.split('|')[2]);
      const pick = buttonClick(first.custom_id, edit.message ?? reply.message!, {
        user: ALICE,
        channel: thread,
      });
      h.interact(pick);
      await waitFor('ack', () => h.rest.callbacks(pick.id as string)[0]);
      expect((await store.learned.list()).map((e) => [e.verdict, e.guideId])).toContainEqual([
        'right',
        chosen,
      ]);
    } finally {
      await h.stop();
      await store.close();
    }

    const reopened = fileStores(dir);
    const h2 = await startHarness({ store: reopened });
    try {
      const thread = mention(h2, AGAIN);
      const reply = await waitFor('guide', () => h2.rest.inChannel(thread)[0]);
      expect(titleOf(reply)).toBe(appContext().knowledge.guides.find((g) => g.id === chosen)?.title);
    } finally {
      await h2.stop();
      await reopened.close();
    }
  }, 90_000);
});

const NO_GUIDE = 'the frobnicator refused to quuxify widget 42 on shelf 7';
const NO_GUIDE_AGAIN = 'the frobnicator refused to quuxify widget 977 on shelf 3';

describe('Discord: "no guide fits" -> Pick the right guide -> /fits with autocomplete over every guide', () => {
  it('searches all guides in autocomplete and learns the pick for the next bot on the store', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-discord-search-'));
    const store = fileStores(dir);
    const h = await startHarness({ store });
    const target = appContext().knowledge.guides.at(-1)!;
    try {
      const thread = mention(h, NO_GUIDE);
      const reply = await waitFor('no match', () => h.rest.inChannel(thread)[0]);
      expect(titleOf(reply)).toBe('No guide fits this paste well enough.');
      const pick = buttonsOf(reply).find((b) => b.label === 'Pick the right guide')!;
      expect(pick).toBeDefined();
      const click = buttonClick(pick.custom_id, reply.message!, { user: ALICE, channel: thread });
      h.interact(click);
      const question = await waitFor('question', () =>
        h.rest.calls.find(
          (c) => c.method === 'PATCH' && c.route.includes(`/${click.token as string}/messages/@original`),
        ),
      );
      const embed = (question.body as { embeds: { title: string; footer?: { text: string } }[] }).embeds[0];
      expect(embed?.title).toBe('Which guide fits this paste?');
      expect(embed?.footer?.text).toContain('Search every guide: /fits guide:');

      const typed = slashCommand(
        'fits',
        [{ name: 'guide', value: target.id, focused: true }],
        {
          user: ALICE,
          channel: thread,
        },
        true,
      );
      h.interact(typed);
      const cb = await waitFor('autocomplete', () => h.rest.callbacks(typed.id as string)[0]);
      expect(cb.body.type).toBe(8);
      const choices = (cb.body.data as { choices: { name: string; value: string }[] }).choices;
      expect(choices.map((c) => c.value)).toContain(target.id);
      expect(choices.at(-1)).toEqual({ name: 'None of these', value: 'none' });

      const fits = slashCommand('fits', [{ name: 'guide', value: target.id }], {
        user: ALICE,
        channel: thread,
      });
      h.interact(fits);
      const done = await waitFor('answer', () => h.rest.callbacks(fits.id as string)[0]);
      expect((done.body.data as { content: string }).content).toContain(`Pastes like this one will get`);
      expect((await store.learned.list()).map((e) => [e.verdict, e.guideId])).toContainEqual([
        'right',
        target.id,
      ]);
    } finally {
      await h.stop();
      await store.close();
    }

    const reopened = fileStores(dir);
    const h2 = await startHarness({ store: reopened });
    try {
      const thread = mention(h2, NO_GUIDE_AGAIN);
      const reply = await waitFor('guide', () => h2.rest.inChannel(thread)[0]);
      expect(titleOf(reply)).toBe(target.title);
    } finally {
      await h2.stop();
      await reopened.close();
    }
  }, 90_000);
});
