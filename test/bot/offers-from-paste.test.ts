import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { Bot, type InboundEvent } from '../../src/bot/bot.js';
import type { BotReply } from '../../src/bot/diagnostics.js';
import { botConfigSchema } from '../../src/config/schema.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { parseGuide } from '../../src/knowledge/parse.js';
import type { Guide } from '../../src/knowledge/schema.js';
import { MatchEngine } from '../../src/match/engine.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { toDocument } from '../../src/reply/document.js';
import { memoryStores } from '../../src/store/stores.js';
import { guideFile } from '../helpers.js';

function guide(id: string, front: Record<string, string>): Guide {
  const { guide: g, problems } = parseGuide(guideFile(id, front), `${id}.md`);
  if (!g) throw new Error(JSON.stringify(problems));
  return g;
}

const GUIDES = [
  guide('unit-gremlins', { diagnostics: '["systemctl-status"]' }),
  guide('tls-gremlins', { diagnostics: '["tls-check"]' }),
];

function setup() {
  const service = new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse({ hosts: [{ name: 'web-1', local: true }] }),
    policy: policyConfigSchema.parse({
      rules: [{ effect: 'allow', users: ['*'], diagnostics: ['*'], hosts: ['*'] }],
    }),
    baseDir: '/',
    audit: new MemoryAuditLog(),
  });
  const bot = new Bot(new MatchEngine(GUIDES), GUIDES, memoryStores(), botConfigSchema.parse({}), service);
  return { bot, service };
}

const paste = (text: string, thread = 'T1'): InboundEvent => ({
  platform: 'test',
  user: 'U1',
  channel: 'C1',
  thread,
  text,
  trigger: 'mention',
});

function offersOf(replies: BotReply[]) {
  const o = replies.find((r) => r.kind === 'diagnostic-offers');
  if (o?.kind !== 'diagnostic-offers') throw new Error(`no offers in ${JSON.stringify(replies)}`);
  return o;
}

describe("a run offer's parameters are filled from the paste", () => {
  it('a pasted unit pre-fills the unit, is shown in the offer, and makes the Run button ready', async () => {
    const { bot, service } = setup();
    try {
      const replies = await bot.receive(
        paste('Dec 06 web-1 systemd[1]: nginx.service: unit gremlins happened'),
      );
      const offers = offersOf(replies);
      expect(offers.offers[0]?.params).toEqual([
        expect.objectContaining({ name: 'unit', suggested: 'nginx.service' }),
      ]);
      const shown = JSON.stringify(toDocument(offers));
      expect(shown).toContain('run systemctl-status on web-1 unit=nginx.service');
      const clicked = await bot.act({
        platform: 'test',
        user: 'U1',
        channel: 'C1',
        thread: 'T1',
        kind: 'run',
        guideId: 'unit-gremlins',
        catalogId: 'systemctl-status',
      });
      expect(clicked.form).toBeUndefined();
      expect(clicked.then).toMatchObject({
        kind: 'form-submit',
        host: 'web-1',
        params: { unit: 'nginx.service' },
      });
    } finally {
      await service.close();
    }
  });

  it('a host and port from the paste fill a TLS check; what the paste does not name stays open', async () => {
    const { bot, service } = setup();
    try {
      const named = offersOf(
        await bot.receive(
          paste('tls gremlins happened dialing https://api.internal.example.org:8443/v1', 'T2'),
        ),
      );
      expect(named.offers[0]?.params).toEqual([
        expect.objectContaining({ name: 'host', suggested: 'api.internal.example.org' }),
        expect.objectContaining({ name: 'port', suggested: '8443' }),
      ]);
      const bare = offersOf(await bot.receive(paste('tls gremlins happened', 'T3')));
      expect(bare.offers[0]?.params.map((p) => p.suggested)).toEqual([undefined, undefined]);
      const open = await bot.act({
        platform: 'test',
        user: 'U1',
        channel: 'C1',
        thread: 'T3',
        kind: 'run',
        guideId: 'tls-gremlins',
        catalogId: 'tls-check',
      });
      expect(open.form).toBeDefined();
    } finally {
      await service.close();
    }
  });
});
