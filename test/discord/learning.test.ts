import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appContext, buttonsOf, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, buttonClick, GENERAL, messageCreate } from '../fakes/discord/payloads.js';
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
