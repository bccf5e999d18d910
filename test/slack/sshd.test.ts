import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODAL } from '../../adapters/slack/app.js';
import { ACTION } from '../../adapters/slack/blocks.js';
import { MemoryAuditLog } from '../../src/audit/log.js';
import type { DiagnosticsService } from '../../src/diagnostics/service.js';
import { sshdDiagnostics } from '../fakes/sshd-diagnostics.js';
import { requireSshdOrSkip, startSshd, type SshdFixture } from '../diagnostics/sshd-fixture.js';
import {
  buttonClick,
  eventCallback,
  formBody,
  interactiveBody,
  mention,
  postSigned,
  slashCommand,
  viewSubmission,
} from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, MALLORY, SIGNING_SECRET, startHarness, type Harness } from '../fakes/slack/harness.js';

const { skip, reason } = requireSshdOrSkip();
const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';
const FORM = { contentType: 'application/x-www-form-urlencoded' };

describe.skipIf(skip)('Slack → bot → policy → SSH to a real sshd → thread (HTTP mode)', () => {
  let f: SshdFixture;
  let h: Harness;
  let audit: MemoryAuditLog;
  let port: DiagnosticsService;

  beforeAll(async () => {
    if (reason) throw new Error(`the sshd end-to-end test cannot run: ${reason}`);
    f = await startSshd({ hosts: 2 });
    audit = new MemoryAuditLog();
    port = sshdDiagnostics(f, audit, [ALICE, BOB]);
    h = await startHarness({ mode: 'http', diagnostics: port });
  });
  afterAll(async () => {
    await h?.stop();
    await port?.close();
    await f?.stop();
  });

  const thread = (channel: string, ts: string): RecordedCall[] =>
    h.api.posted().filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
  const buttonsOf = (c: RecordedCall) =>
    (c.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).flatMap((b) =>
      b.type === 'actions' ? (b.elements ?? []) : [],
    );
  const click = async (user: string, channel: string, msg: RecordedCall, actionId: string) => {
    const b = buttonsOf(msg).find((x) => x.action_id === actionId);
    if (!b) throw new Error(`no ${actionId} button`);
    const res = await postSigned(
      h.eventsUrl!,
      SIGNING_SECRET,
      interactiveBody(
        buttonClick({ user, channel, messageTs: msg.args.ok_ts as string, actionId, value: b.value }),
      ),
      FORM,
    );
    expect(res.status).toBe(200);
  };
  const slashRun = async (user: string, channel: string, text: string): Promise<string> => {
    await postSigned(
      h.eventsUrl!,
      SIGNING_SECRET,
      formBody(slashCommand({ user, channel, text: `run ${text}`, responseUrl: `${h.api.url}/response/r` })),
      FORM,
    );
    const header = await waitFor('header', () =>
      h.api.posted().find((c) => c.args.channel === channel && c.args.thread_ts === undefined),
    );
    return header.args.ok_ts as string;
  };

  it('offers, asks for the host in a form, runs over SSH with the pinned key, and answers in the thread', async () => {
    const ev = mention({ user: ALICE, channel: 'CSSH1', text: `<@${BOT_USER}> ${DEADLINE}` });
    await postSigned(h.eventsUrl!, SIGNING_SECRET, JSON.stringify(eventCallback(ev)));
    const offers = await waitFor('offers', () =>
      thread('CSSH1', ev.ts as string).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    expect(messageText(offers)).toContain('sshd-1');
    await click(ALICE, 'CSSH1', offers, `${ACTION.run}_ss-established`);
    const open = await waitFor('form', () => h.api.callsOf('views.open')[0]);
    const view = open.args.view as { private_metadata: string };
    const submit = viewSubmission({
      user: ALICE,
      callbackId: MODAL,
      privateMetadata: view.private_metadata,
      values: { host: { v: { type: 'static_select', selected_option: { value: 'sshd-2' } } } },
    });
    expect((await postSigned(h.eventsUrl!, SIGNING_SECRET, interactiveBody(submit), FORM)).status).toBe(200);
    const result = await waitFor(
      'result',
      () => thread('CSSH1', ev.ts as string).find((c) => messageText(c).includes('on `sshd-2`')),
      30_000,
    );
    expect(messageText(result)).toContain('exit 0');
    expect(messageText(result)).toMatch(/Recv-Q/);
    const ran = audit.records.find((r) => r.event === 'result' && r.host === 'sshd-2');
    expect(ran).toMatchObject({
      user: ALICE,
      platform: 'slack',
      channel: 'CSSH1',
      exitCode: 0,
      fingerprint: f.hostKeyFingerprint,
    });
  });

  it('an approval by a second on-call person runs it over SSH; a refusal by policy runs nothing', async () => {
    const ts = await slashRun(ALICE, 'CSSH2', 'ss-summary on sshd-1');
    const request = await waitFor('approval request', () =>
      thread('CSSH2', ts).find((c) => buttonsOf(c).some((b) => b.action_id === ACTION.approve)),
    );
    await click(BOB, 'CSSH2', request, ACTION.approve);
    const result = await waitFor(
      'approved result',
      () => thread('CSSH2', ts).find((c) => messageText(c).includes('Total:')),
      30_000,
    );
    expect(messageText(result)).toContain(`approved by <@${BOB}>`);

    const results = audit.records.filter((r) => r.event === 'result').length;
    const ts2 = await slashRun(MALLORY, 'CSSH3', 'uptime on sshd-1');
    const refusal = await waitFor('refusal', () => thread('CSSH3', ts2)[0]);
    expect(messageText(refusal)).toMatch(/Refused by policy/);
    expect(audit.records.filter((r) => r.event === 'result').length).toBe(results);
  });
});
