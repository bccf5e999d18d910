/**
 * Wherever a paste is kept or echoed it goes through the one redaction: the session in the store, the
 * reply and its overflow file, feedback records, and log lines. Each test pastes a real-looking token and
 * looks for it where the text ends up.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { renderDiscord } from '../../adapters/discord/render.js';
import { renderSlack } from '../../adapters/slack/blocks.js';
import { Bot } from '../../src/bot/bot.js';
import { botConfigSchema } from '../../src/config/schema.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import type { Guide } from '../../src/knowledge/schema.js';
import { DEFAULT_MATCH_OPTIONS, MatchEngine } from '../../src/match/engine.js';
import { encodeMarkdown } from '../../src/reply/markdown.js';
import { toDocument } from '../../src/reply/document.js';
import { REDACTING_LOG_OPTIONS } from '../../src/redact/log.js';
import { FileKeyValueStore } from '../../src/store/file.js';
import { memoryStores, storesOn } from '../../src/store/stores.js';
import { guideFile, tempDir } from '../helpers.js';

function loaded(id: string, front: Record<string, string> = {}): Guide {
  const { guide, problems } = parseGuide(guideFile(id, front), `${id}.md`);
  if (!guide) throw new Error(JSON.stringify(problems));
  return guide;
}

// A Slack bot token only gitleaks' imported rule knows the exact shape of, and a GitHub token of ours.
const SLACK = 'xoxb-2218743619-4513328209154-Zx7Qm2Lp9Rt4Vw8Ny3Kd6Hs1';
const GITHUB = 'ghp_4Tq9Zx2Lm7Rv5Nw8Yk3Hp6Jd1Fs0Gb2Ct9Ae';
const guides = [loaded('link-lost')];
const ref = { platform: 'test', thread: 'T1', user: 'U1' };
const paste = `12:00 start\nlink lost happened for ${SLACK} and ${GITHUB}\n12:01 retrying`;

describe('pastes are redacted wherever they are kept or echoed', () => {
  it('the session in the store, the reply, its overflow file and the rendered messages hold no token', async () => {
    const dir = tempDir();
    const store = storesOn(new FileKeyValueStore(dir));
    const bot = new Bot(new MatchEngine(guides), guides, store, botConfigSchema.parse({}));
    const reply = await bot.explain(ref, paste);
    expect(reply).toMatchObject({ kind: 'guide', evidence: { line: 2 } });
    if (reply.kind !== 'guide') throw new Error('no guide');
    expect(reply.evidence.text).toContain('link lost happened for [REDACTED]');
    const places = {
      session: JSON.stringify(await store.sessions.get('test:T1')),
      reply: JSON.stringify(reply),
      overflowFile: encodeMarkdown(toDocument(reply, { full: true })),
      slack: JSON.stringify(renderSlack(reply, { thread: 'C1/T1' })),
      discord: JSON.stringify(renderDiscord(reply, 'T1')),
    };
    for (const [where, text] of Object.entries(places)) {
      expect(text, where).not.toContain(SLACK.slice(5));
      expect(text, where).not.toContain(GITHUB.slice(4));
    }
    // What the file store wrote to disk.
    const { readdirSync, readFileSync } = await import('node:fs');
    const onDisk = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(`${e.parentPath}/${e.name}`, 'utf8'))
      .join('\n');
    expect(onDisk).toContain('[REDACTED]');
    expect(onDisk).not.toContain(SLACK.slice(5));
    await store.close();
  });

  it('a feedback record keeps the paste as a hash only', async () => {
    const store = memoryStores();
    const bot = new Bot(new MatchEngine(guides), guides, store, botConfigSchema.parse({}));
    await bot.explain(ref, paste);
    await bot.act({ kind: 'feedback', ...ref, channel: 'C1', guideId: 'link-lost', verdict: 'helpful' });
    const records = await store.feedback.list();
    expect(records).toHaveLength(1);
    expect(JSON.stringify(records)).not.toContain(SLACK.slice(5));
    expect(records[0]?.pasteHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a log line with a token in its message, its fields, or an error is written redacted', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = pino(REDACTING_LOG_OPTIONS, sink);
    log.warn(
      { undelivered: { text: paste }, error: new Error(`refused ${SLACK}`) },
      `could not post ${SLACK}`,
    );
    log.info(`plain message with ${GITHUB}`);
    expect(out).not.toContain(SLACK.slice(5));
    expect(out).not.toContain(GITHUB.slice(4));
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(4);
    const first = JSON.parse(out.split('\n')[0] ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject({ level: 40, msg: 'could not post [REDACTED]' });
  });
});

describe('a reply says when signatures were skipped', () => {
  it('names the count in the reply document when the regex budget ran out, and says nothing otherwise', async () => {
    const cubic = loaded('team-cubic', { signatures: '["/error.*:.*:.*failed$/i", "team cubic happened"]' });
    // A budget already spent, as the redos test forces it: the regex signature cannot run at all.
    const engine = new MatchEngine([...guides, cubic], { ...DEFAULT_MATCH_OPTIONS, regexBudgetMs: -1 });
    const bot = new Bot(engine, [...guides, cubic], memoryStores(), botConfigSchema.parse({}));
    const hostile = 'link lost happened\nerror: disk: write failed';
    const reply = await bot.explain(ref, hostile);
    expect(reply).toMatchObject({ kind: 'guide', skippedSignatures: 1 });
    const doc = JSON.stringify(toDocument(reply));
    expect(doc).toContain('1 regex signature was skipped');
    const plain = await bot.explain({ ...ref, thread: 'T2' }, 'link lost happened');
    expect(plain).not.toHaveProperty('skippedSignatures');
    expect(JSON.stringify(toDocument(plain))).not.toContain('skipped');
  });
});
