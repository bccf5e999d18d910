import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION, MODAL_CALLBACK } from './helpers.js';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { FakeExecutor } from '../diagnostics/helpers.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import {
  buttonClick,
  eventCallback,
  mention,
  slashCommand,
  viewSubmission,
} from '../fakes/slack/payloads.js';
import { BOT_USER, messageText, waitFor, type RecordedCall } from '../fakes/slack/web-api.js';
import { ALICE, BOB, MALLORY, startHarness, type Harness } from '../fakes/slack/harness.js';

const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

const runs: { host: string; argv: readonly string[] }[] = [];

/** Runs nothing: answers like the real commands would, and records what it was asked to run. */
function fakeExecutor(hostName: string): FakeExecutor {
  return new FakeExecutor(hostName, (spec) => {
    runs.push({ host: hostName, argv: spec.argv });
    let out: string;
    if (spec.argv[0] === 'uptime')
      out = ` 18:00:00 up 3 days,  2:01,  0 users,  load average: 0.10, 0.20, 0.30 host=${hostName}`;
    else if (spec.argv.includes('established'))
      out = [
        'Recv-Q Send-Q Local Address:Port Peer Address:Port',
        ...Array.from({ length: 500 }, (_, i) => `0 0 10.0.0.1:5432 10.0.9.${i % 250}:${40000 + i}`),
        'DB_PASSWORD=hunter2 <!channel>',
      ].join('\n');
    else if (spec.argv.includes('-s'))
      out = 'Total: 42\nTCP:   17 (estab 9, closed 2, orphaned 0, timewait 1)';
    else out = 'ok';
    return { output: Buffer.from(out), bytes: out.length, fingerprint: 'local' };
  });
}

let h: Harness;
let audit: MemoryAuditLog;
let port: DiagnosticsService;

beforeAll(async () => {
  audit = new MemoryAuditLog();
  port = new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse({
      hosts: [
        { name: 'web-1', local: true },
        { name: 'web-2', local: true },
      ],
    }),
    policy: policyConfigSchema.parse({
      roles: { oncall: [ALICE, BOB] },
      rules: [
        {
          effect: 'allow',
          roles: ['oncall'],
          diagnostics: ['uptime', 'ss-established', 'journalctl-unit'],
          hosts: ['*'],
        },
        {
          effect: 'allow',
          roles: ['oncall'],
          diagnostics: ['ss-summary'],
          hosts: ['*'],
          requireApproval: true,
          mayApprove: true,
        },
      ],
    }),
    baseDir: mkdtempSync(path.join(os.tmpdir(), 'faultline-slack-diag-')),
    audit,
    executorFor: (host) => fakeExecutor(host.name),
  });
  // The first output that holds a secret's keyword compiles those redaction rules (about 0.1 s each),
  // longer than the short test ping timeout allows on a busy machine.
  h = await startHarness({ mode: 'socket', diagnostics: port, socketReconnectMs: 5000 });
});
afterAll(async () => {
  await h.stop();
  await port.close();
});

function thread(channel: string, ts: string): RecordedCall[] {
  return h.api.posted().filter((c) => c.args.channel === channel && c.args.thread_ts === ts);
}

function buttons(call: RecordedCall): { action_id: string; value: string }[] {
  const out: { action_id: string; value: string }[] = [];
  for (const b of (call.args.blocks as {
    type: string;
    elements?: { action_id: string; value: string }[];
  }[]) ?? [])
    if (b.type === 'actions') out.push(...(b.elements ?? []));
  return out;
}

async function ask(user: string, channel: string, text: string): Promise<string> {
  const ev = mention({ user, channel, text: `<@${BOT_USER}> ${text}` });
  h.socket!.send('events_api', eventCallback(ev));
  await waitFor('guide reply', () => thread(channel, ev.ts as string)[0]);
  return ev.ts as string;
}

/** How many replies the bot decided on for the (only) mention in `channel`. */
async function replyCount(channel: string): Promise<number> {
  const log = await waitFor('handled', () =>
    h.logs.find((l) => l.msg === 'slack event handled' && l.channel === channel && l.trigger === 'mention'),
  );
  return Number(log.replies);
}

/** `/faultline run ...`; returns the ts of the header message the answers thread under. */
async function slashRun(user: string, channel: string, text: string): Promise<string> {
  const env = h.socket!.send(
    'slash_commands',
    slashCommand({ user, channel, text: `run ${text}`, responseUrl: `${h.api.url}/response/run` }),
  );
  await waitFor('ack', () => h.socket!.acked(env));
  const header = await waitFor('header', () =>
    h.api
      .posted()
      .find(
        (c) => c.args.channel === channel && c.args.thread_ts === undefined && messageText(c).includes(text),
      ),
  );
  return header.args.ok_ts as string;
}

function click(user: string, channel: string, msg: RecordedCall, actionId: string | RegExp): void {
  const b = buttons(msg).find((x) =>
    typeof actionId === 'string' ? x.action_id === actionId : actionId.test(x.action_id),
  );
  if (!b) throw new Error(`no button ${String(actionId)} in ${messageText(msg)}`);
  h.socket!.send(
    'interactive',
    buttonClick({
      user,
      channel,
      messageTs: msg.args.ok_ts as string,
      actionId: b.action_id,
      value: b.value,
    }),
  );
}

describe('the diagnostic flow in Slack (real DiagnosticsService and policy, fake executor)', () => {
  it("offers the guide's diagnostics on the hosts the user may use, and nothing to someone with no rights", async () => {
    const ts = await ask(ALICE, 'CDIAG1', DEADLINE);
    const offers = await waitFor('offers', () =>
      thread('CDIAG1', ts).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    const ids = buttons(offers).map((b) => b.action_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        `${ACTION.run}_uptime`,
        `${ACTION.run}_ss-established`,
        `${ACTION.run}_journalctl-unit`,
      ]),
    );
    expect(ids).not.toContain(`${ACTION.run}_http-probe`);
    expect(messageText(offers)).toContain('web-1');

    expect(await replyCount('CDIAG1')).toBe(2);
    const ts2 = await ask(MALLORY, 'CDIAG2', DEADLINE);
    // The bot decided on one reply (the guide) for Mallory: no offers.
    expect(await replyCount('CDIAG2')).toBe(1);
    expect(thread('CDIAG2', ts2).some((c) => messageText(c).includes('Diagnostics you can run'))).toBe(false);
  });

  it('runs a chosen diagnostic through a form (host and parameters), and posts the trimmed result with the full output as a file', async () => {
    const ts = await ask(ALICE, 'CDIAG3', DEADLINE);
    const offers = await waitFor('offers', () =>
      thread('CDIAG3', ts).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    const opened = h.api.callsOf('views.open').length;
    click(ALICE, 'CDIAG3', offers, `${ACTION.run}_ss-established`);
    const open = await waitFor('views.open', () => h.api.callsOf('views.open')[opened]);
    const view = open.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string }[];
    };
    expect(view.callback_id).toBe(MODAL_CALLBACK);
    expect(view.blocks.map((b) => b.block_id)).toContain('host');
    h.socket!.send(
      'interactive',
      viewSubmission({
        user: ALICE,
        callbackId: MODAL_CALLBACK,
        privateMetadata: view.private_metadata,
        values: { host: { v: { type: 'static_select', selected_option: { value: 'web-2' } } } },
      }),
    );
    const result = await waitFor('result', () =>
      thread('CDIAG3', ts).find((c) => messageText(c).includes('`ss-established` on `web-2`')),
    );
    const text = messageText(result);
    expect(text).toContain('Recv-Q');
    expect(text).not.toContain('10.0.9.249:40499'); // the last of 500 lines is only in the file
    const upload = await waitFor('file', () =>
      h.api.uploads.find((u) => u.content.includes('10.0.9.249:40499')),
    );
    expect(upload.content).toContain('DB_PASSWORD=[REDACTED]');
    expect(upload.content).not.toContain('hunter2');
    const complete = await waitFor('upload completed', () =>
      h.api
        .callsOf('files.completeUploadExternal')
        .find((c) => JSON.stringify(c.args.files).includes(upload.fileId)),
    );
    expect(complete.args).toMatchObject({ channel_id: 'CDIAG3', thread_ts: ts });
    expect(h.api.rejected).toEqual([]);
    expect(runs.some((r) => r.host === 'web-2' && r.argv.includes('established'))).toBe(true);
  });

  it('refuses by policy: the requester hears why, nothing runs, and the audit log has the decision', async () => {
    const before = runs.length;
    const ts = await slashRun(MALLORY, 'CDIAG4', 'uptime on web-1');
    const reply = await waitFor('refusal', () => thread('CDIAG4', ts)[0]);
    expect(messageText(reply)).toMatch(/Refused by policy: no policy rule allows UMALLORY/);
    expect(runs.length).toBe(before);
    expect(
      audit.records.some((r) => r.event === 'decision' && r.user === MALLORY && r.decision === 'deny'),
    ).toBe(true);
  });

  it('needs a second authorised person: the requester and an unauthorised user cannot approve; another on-call can, and the result lands in the thread', async () => {
    const ts = await slashRun(ALICE, 'CDIAG5', 'ss-summary on web-1');
    const request = await waitFor('approval request', () =>
      thread('CDIAG5', ts).find((c) => buttons(c).some((b) => b.action_id === ACTION.approve)),
    );
    // The approver sees the exact command that will run.
    expect(messageText(request)).toContain("'ss' '-s'");
    const runsBefore = runs.length;

    click(ALICE, 'CDIAG5', request, ACTION.approve);
    await waitFor('self-approval refused', () =>
      h.api
        .callsOf('chat.postEphemeral')
        .find((c) => c.args.user === ALICE && String(c.args.text).includes('cannot approve your own')),
    );
    click(MALLORY, 'CDIAG5', request, ACTION.approve);
    await waitFor('unauthorised refused', () =>
      h.api
        .callsOf('chat.postEphemeral')
        .find((c) => c.args.user === MALLORY && String(c.args.text).includes('Not approved')),
    );
    expect(runs.length).toBe(runsBefore);

    click(BOB, 'CDIAG5', request, ACTION.approve);
    const result = await waitFor('result', () =>
      thread('CDIAG5', ts).find((c) => messageText(c).includes('Total: 42')),
    );
    expect(messageText(result)).toContain(`approved by <@${BOB}>`);
    const update = await waitFor('request updated', () =>
      h.api.callsOf('chat.update').find((c) => c.args.ts === request.args.ok_ts),
    );
    expect(messageText(update)).toContain(`Approved by <@${BOB}>`);
    expect(JSON.stringify(update.args.blocks)).not.toContain(ACTION.approve);
    expect(
      audit.records.some((r) => r.event === 'approval' && r.approver === BOB && r.decision === 'approved'),
    ).toBe(true);
    expect(
      audit.records.some((r) => r.event === 'approval' && r.approver === MALLORY && r.decision === 'refused'),
    ).toBe(true);

    // A second click does not run it twice.
    click(BOB, 'CDIAG5', request, ACTION.approve);
    await waitFor('already handled', () =>
      h.api
        .callsOf('chat.postEphemeral')
        .find((c) => c.args.user === BOB && String(c.args.text).includes('no longer pending')),
    );
    expect(runs.filter((r) => r.argv.includes('-s'))).toHaveLength(1);
  });

  it('a pending request can be rejected by another authorised person, and is then gone', async () => {
    const ts = await slashRun(ALICE, 'CDIAG6', 'ss-summary on web-2');
    const request = await waitFor('approval request', () =>
      thread('CDIAG6', ts).find((c) => buttons(c).some((b) => b.action_id === ACTION.reject)),
    );
    const pendingNotes = () =>
      h.api
        .callsOf('chat.postEphemeral')
        .filter((c) => c.args.user === BOB && String(c.args.text).includes('no longer pending')).length;
    const notesBefore = pendingNotes();
    click(BOB, 'CDIAG6', request, ACTION.reject);
    await waitFor('rejected', () =>
      thread('CDIAG6', ts).find((c) => messageText(c).includes(`rejected by ${BOB}`)),
    );
    click(BOB, 'CDIAG6', request, ACTION.approve);
    await waitFor('gone', () => pendingNotes() > notesBefore);
    expect(runs.filter((r) => r.host === 'web-2' && r.argv.includes('-s'))).toHaveLength(0);
  });

  it('refuses parameters that fail validation before anything runs', async () => {
    const before = runs.length;
    const ts = await slashRun(ALICE, 'CDIAG7', 'journalctl-unit on web-1 unit=nginx;reboot since=-15m');
    const reply = await waitFor('invalid', () => thread('CDIAG7', ts)[0]);
    expect(messageText(reply)).toMatch(/Cannot run that/);
    expect(runs.length).toBe(before);
  });
});
