import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION } from './helpers.js';
import { SEARCH_BLOCK } from '../../adapters/slack/blocks.js';
import { FileKeyValueStore } from '../../src/store/file.js';
import { MemoryKeyValueStore } from '../../src/store/memory.js';
import { storesOn } from '../../src/store/stores.js';
import { blockSuggestion, buttonClick, eventCallback, mention, selectPick } from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, appContext, startHarness, type Harness } from '../fakes/slack/harness.js';

const FIRST =
  'write tcp 10.0.0.7:443: write: broken pipe after context deadline exceeded on db-3.prod.internal at 2026-12-01T10:00:01Z';
const AGAIN =
  'write tcp 172.16.9.1:8443: write: broken pipe after context deadline exceeded on cache-2.example.com at 2025-03-04T05:06:07Z';

function buttons(call: RecordedCall): { action_id: string; value: string; text: string }[] {
  const out: { action_id: string; value: string; text: string }[] = [];
  for (const b of (call.args.blocks as {
    type: string;
    elements?: { action_id: string; value: string; text?: { text: string } }[];
  }[]) ?? [])
    if (b.type === 'actions')
      out.push(
        ...(b.elements ?? []).map((e) => ({
          action_id: e.action_id,
          value: e.value,
          text: e.text?.text ?? '',
        })),
      );
  return out;
}

async function ask(h: Harness, channel: string, text: string): Promise<{ ts: string; reply: RecordedCall }> {
  const ev = mention({ user: ALICE, channel, text: `<@${BOT_USER}> ${text}` });
  h.socket!.send('events_api', eventCallback(ev));
  const reply = await waitFor('guide reply', () =>
    h.api.posted().find((c) => c.args.channel === channel && c.args.thread_ts === ev.ts),
  );
  return { ts: ev.ts as string, reply };
}

function click(h: Harness, channel: string, msg: RecordedCall, actionId: string): void {
  const b = buttons(msg).find((x) => x.action_id === actionId);
  if (!b) throw new Error(`no button ${actionId} in ${messageText(msg)}`);
  h.socket!.send(
    'interactive',
    buttonClick({ user: ALICE, channel, messageTs: msg.args.ok_ts as string, actionId, value: b.value }),
  );
}

const fileStores = (dir: string) => storesOn(new FileKeyValueStore(dir), new MemoryKeyValueStore());

describe('Slack: a correction teaches the next bot on the same store', () => {
  it('"Wrong guide" asks which fits in the thread; the chosen guide answers the variant first after a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-slack-learn-'));
    const store = fileStores(dir);
    const h = await startHarness({ mode: 'socket', store });
    let chosen: string;
    try {
      const { ts, reply } = await ask(h, 'CLEARN', FIRST);
      const shown = buttons(reply).find((b) => b.action_id === ACTION.wrong);
      expect(shown).toBeDefined();
      click(h, 'CLEARN', reply, ACTION.wrong);
      const question = await waitFor('question', () =>
        h.api
          .posted()
          .find((c) => c.args.thread_ts === ts && messageText(c).includes('Which guide fits this paste?')),
      );
      const choice = buttons(question).find((b) => b.action_id === `${ACTION.correct}_0`);
      expect(choice).toBeDefined();
      expect(buttons(question).some((b) => b.text === 'None of these')).toBe(true);
      chosen = (JSON.parse(choice!.value) as { guide: string }).guide;
      click(h, 'CLEARN', question, `${ACTION.correct}_0`);
      for (let i = 0; i < 500; i++) {
        if ((await store.learned.list()).some((e) => e.verdict === 'right' && e.guideId === chosen)) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await store.learned.list()).map((e) => [e.verdict, e.guideId])).toContainEqual([
        'right',
        chosen,
      ]);
    } finally {
      await h.stop();
      await store.close();
    }

    const reopened = fileStores(dir);
    const h2 = await startHarness({ mode: 'socket', store: reopened });
    try {
      const { reply } = await ask(h2, 'CLEARN2', AGAIN);
      const title = appContext().knowledge.guides.find((g) => g.id === chosen)?.title ?? '?';
      expect(String(reply.args.text)).toContain(title);
    } finally {
      await h2.stop();
      await reopened.close();
    }
  }, 60_000);
});

const NO_GUIDE = 'the frobnicator refused to quuxify widget 42 on shelf 7';
const NO_GUIDE_AGAIN = 'the frobnicator refused to quuxify widget 977 on shelf 3';

describe('Slack: "no guide fits" -> Pick the right guide -> a search over every guide', () => {
  it('searches all guides in an external select and learns the pick for the next bot on the store', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-slack-search-'));
    const store = fileStores(dir);
    const h = await startHarness({ mode: 'socket', store });
    const target = appContext().knowledge.guides.at(-1)!;
    try {
      const { ts, reply } = await ask(h, 'CSEARCH', NO_GUIDE);
      expect(messageText(reply)).toContain('No guide fits');
      click(h, 'CSEARCH', reply, ACTION.choose);
      const question = await waitFor('question', () =>
        h.api
          .posted()
          .find((c) => c.args.thread_ts === ts && messageText(c).includes('Which guide fits this paste?')),
      );
      const blocks = question.args.blocks as {
        type: string;
        block_id?: string;
        elements?: { type: string }[];
      }[];
      const search = blocks.find((b) => b.block_id?.startsWith(SEARCH_BLOCK));
      expect(search?.elements?.[0]?.type).toBe('external_select');
      expect(search?.block_id).toBe(`${SEARCH_BLOCK}CSEARCH/${ts}`);
      const where = { user: ALICE, channel: 'CSEARCH', messageTs: question.args.ok_ts as string };
      const env = h.socket!.send(
        'interactive',
        blockSuggestion({ ...where, actionId: ACTION.search, blockId: search!.block_id!, value: target.id }),
      );
      const ack = await waitFor('options', () => h.socket!.acks.find((a) => a.envelope_id === env));
      const options = (ack.payload as { options: { value: string; text: { text: string } }[] }).options;
      expect(options.map((o) => o.value)).toContain(target.id);
      h.socket!.send(
        'interactive',
        selectPick({
          ...where,
          actionId: ACTION.search,
          blockId: search!.block_id!,
          value: target.id,
          text: target.title,
        }),
      );
      const learned = async () => (await store.learned.list()).map((e) => [e.verdict, e.guideId]);
      for (let i = 0; i < 500 && !JSON.stringify(await learned()).includes(target.id); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await learned()).toContainEqual(['right', target.id]);
    } finally {
      await h.stop();
      await store.close();
    }

    const reopened = fileStores(dir);
    const h2 = await startHarness({ mode: 'socket', store: reopened });
    try {
      const { reply } = await ask(h2, 'CSEARCH2', NO_GUIDE_AGAIN);
      expect(String(reply.args.text)).toContain(target.title);
    } finally {
      await h2.stop();
      await reopened.close();
    }
  }, 60_000);
});
