import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { runChoicesFrom } from '../../src/bot/run-choices.js';
import type { DiagnosticsService } from '../../src/diagnostics/service.js';
import { sshdDiagnostics } from '../fakes/sshd-diagnostics.js';
import { requireSshdOrSkip, startSshd, type SshdFixture } from '../diagnostics/sshd-fixture.js';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { ALICE, BOB, buttonClick, GENERAL, MALLORY, slashCommand } from '../fakes/discord/payloads.js';
import type { RecordedCall } from '../fakes/discord/rest.js';

const { skip, reason } = requireSshdOrSkip();

describe.skipIf(skip)('Discord → bot → policy → SSH to a real sshd → channel', () => {
  let f: SshdFixture;
  let h: Harness;
  let audit: MemoryAuditLog;
  let port: DiagnosticsService;

  beforeAll(async () => {
    if (reason) throw new Error(`the sshd end-to-end test cannot run: ${reason}`);
    f = await startSshd({ hosts: 2 });
    audit = new MemoryAuditLog();
    port = sshdDiagnostics(f, audit, [ALICE, BOB]);
    h = await startHarness({ diagnostics: port, choices: runChoicesFrom(port, port.catalog.list()) });
  });
  afterAll(async () => {
    await h?.stop();
    await port?.close();
    await f?.stop();
  });

  const webhook = (token: unknown): RecordedCall[] =>
    h.rest.messages().filter((c) => c.route.includes(`/${String(token)}`));
  const run = (user: string, diagnostic: string, host: string) => {
    const cmd = slashCommand(
      'run',
      [
        { name: 'diagnostic', value: diagnostic },
        { name: 'host', value: host },
      ],
      { user, channel: GENERAL },
    );
    h.interact(cmd);
    return cmd;
  };

  it('/run uptime runs over SSH with the pinned host key and answers in the channel', async () => {
    const host = f.hosts[1]!.name;
    const cmd = run(ALICE, 'uptime', host);
    const result = await waitFor(
      'result',
      () => webhook(cmd.token).find((c) => messageText(c).includes('uptime')),
      30_000,
    );
    expect(messageText(result)).toContain('exit 0');
    expect(messageText(result)).toMatch(/load average/);
    expect(audit.records.find((r) => r.event === 'result' && r.host === host)).toMatchObject({
      user: ALICE,
      platform: 'discord',
      channel: GENERAL,
      exitCode: 0,
      fingerprint: f.hostKeyFingerprint,
    });
  });

  it('an approval by a second on-call person runs it over SSH; a refusal by policy runs nothing', async () => {
    const host = f.hosts[0]!.name;
    const cmd = run(ALICE, 'ss-summary', host);
    const request = await waitFor('approval request', () =>
      webhook(cmd.token).find((c) => buttonsOf(c).some((b) => b.label === 'Approve')),
    );
    const approve = buttonsOf(request).find((b) => b.label === 'Approve')!;
    const click = buttonClick(approve.custom_id, request.message!, { user: BOB, channel: GENERAL });
    h.interact(click);
    const result = await waitFor(
      'approved result',
      () => webhook(click.token).find((c) => messageText(c).includes('Total:')),
      30_000,
    );
    expect(messageText(result)).toContain(`approved by <@${BOB}>`);

    const results = audit.records.filter((r) => r.event === 'result').length;
    const refused = run(MALLORY, 'uptime', host);
    const refusal = await waitFor('refusal', () => webhook(refused.token)[0]);
    expect(messageText(refusal)).toMatch(/Refused by policy/);
    expect(audit.records.filter((r) => r.event === 'result').length).toBe(results);
  });
});
