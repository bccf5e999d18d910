import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { FakeExecutor } from '../diagnostics/helpers.js';
import { eventCallback, mention } from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, GENERAL, startHarness, type Harness } from '../fakes/slack/harness.js';

/** The policy names a Slack user group by handle, and denies one by id. */
const policy = policyConfigSchema.parse({
  rules: [
    { effect: 'allow', roles: ['oncall-payments'], diagnostics: ['uptime'], hosts: ['web-1'] },
    { effect: 'deny', roles: ['S0CONTRACT'], diagnostics: ['*'], hosts: ['*'] },
  ],
});

let h: Harness;
beforeAll(async () => {
  const service = new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse({ hosts: [{ name: 'web-1', local: true }] }),
    policy,
    audit: new MemoryAuditLog(),
    baseDir: process.cwd(),
    executorFor: (host) =>
      new FakeExecutor(host.name, () => ({
        output: Buffer.from('up 3 days'),
        bytes: 9,
        fingerprint: 'local',
      })),
  });
  h = await startHarness({ mode: 'socket', diagnostics: service, policy });
  h.api.userGroups = [
    { id: 'S0PAY', handle: 'oncall-payments', name: 'Payments on-call', users: [ALICE, BOB] },
    { id: 'S0CONTRACT', handle: 'contractors', name: 'Contractors', users: [BOB] },
  ];
});
afterAll(async () => {
  await h.stop();
});

async function ask(user: string, text: string): Promise<RecordedCall> {
  const ev = mention({ user, channel: GENERAL, text: `<@${BOT_USER}> ${text}` });
  const body = eventCallback(ev);
  h.socket!.send('events_api', body);
  return waitFor('reply', () =>
    h.api.posted().find((c) => c.args.channel === GENERAL && c.args.thread_ts === ev.ts),
  );
}

describe('Slack: roles from user groups (usergroups:read)', () => {
  it('denies when the user group lookup fails, even someone a group would allow', async () => {
    h.api.fail('usergroups.list', { status: 500 });
    const reply = await ask(ALICE, 'run uptime on web-1');
    expect(messageText(reply)).toMatch(/Refused by policy: could not look up the groups and roles of UALICE/);
  });

  it('allows by group handle, and a deny rule naming a group id wins', async () => {
    expect(messageText(await ask(ALICE, 'run uptime on web-1'))).toMatch(/up 3 days/);
    expect(messageText(await ask(BOB, 'run uptime on web-1'))).toMatch(
      /Refused by policy: denied by policy rule 2/,
    );
    expect(h.api.callsOf('usergroups.list').at(-1)?.args.include_users).toBe('true');
  });
});
