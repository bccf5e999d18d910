// Slack's harness is imported first on purpose: its SDK's undici 7 then registers the process-wide
// dispatcher before discord.js's undici 6 loads, the order in which Discord uploads used to fail.
import { startHarness as startSlackHarness, type Harness as SlackHarness } from '../fakes/slack/harness.js';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { runChoicesFrom } from '../../src/bot/run-choices.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { FakeExecutor } from '../diagnostics/helpers.js';
import { startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, GENERAL, slashCommand } from '../fakes/discord/payloads.js';
import { eventCallback, mention } from '../fakes/slack/payloads.js';

const LINES = 500;

let slack: SlackHarness;
let discord: Harness;
let service: DiagnosticsService;

beforeAll(async () => {
  slack = await startSlackHarness({ mode: 'socket' });
  service = new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse({ hosts: [{ name: 'web-1', local: true }] }),
    policy: policyConfigSchema.parse({
      roles: { oncall: [ALICE] },
      rules: [{ effect: 'allow', roles: ['oncall'], diagnostics: ['ss-established'], hosts: ['*'] }],
    }),
    baseDir: mkdtempSync(path.join(os.tmpdir(), 'faultline-both-')),
    audit: new MemoryAuditLog(),
    executorFor: (host) =>
      new FakeExecutor(host.name, () => {
        const out = Array.from({ length: LINES }, (_, i) => `0 0 10.0.0.1:5432 10.0.9.1:${40000 + i}`).join(
          '\n',
        );
        return { output: Buffer.from(out), bytes: out.length, fingerprint: 'local' };
      }),
  });
  discord = await startHarness({
    diagnostics: service,
    choices: runChoicesFrom(service, service.catalog.list()),
  });
});

afterAll(async () => {
  await discord?.stop();
  await slack?.stop();
  await service?.close();
});

describe('Slack and Discord in one process', () => {
  it('a Discord answer with an attachment is delivered while the Slack adapter is loaded and connected', async () => {
    const cmd = slashCommand(
      'run',
      [
        { name: 'diagnostic', value: 'ss-established' },
        { name: 'host', value: 'web-1' },
      ],
      { user: ALICE, channel: GENERAL },
    );
    discord.interact(cmd);
    const failed = () => discord.logs.filter((l) => l.msg === 'discord reply not delivered');
    const result = await waitFor('result with its file, or a failed delivery', () =>
      failed().length
        ? 'failed'
        : discord.rest
            .messages()
            .find((c) => c.route.includes(`/${cmd.token as string}`) && c.files.length > 0),
    );
    expect(failed().map((l) => l.error)).toEqual([]);
    expect(result !== 'failed' && result.files[0]?.text).toContain(`10.0.9.1:${40000 + LINES - 1}`);
  });

  it('Slack answers in the same process', async () => {
    // Under load the client may be between two Socket Mode connections.
    await waitFor('slack connected', () => slack.socket!.connected);
    slack.socket!.send(
      'events_api',
      eventCallback(mention({ user: 'UALICE', channel: 'CGENERAL', text: 'write: broken pipe' })),
    );
    const reply = await waitFor('slack reply', () => slack.api.posted()[0]);
    expect(JSON.stringify(reply.args)).toMatch(/broken pipe/i);
  });
});
