import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { runChoicesFrom } from '../../src/bot/run-choices.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { FakeExecutor } from '../diagnostics/helpers.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from '../fakes/discord/harness.js';
import { limitProblems } from '../fakes/discord/limits.js';
import {
  ALICE,
  BOB,
  buttonClick,
  GENERAL,
  MALLORY,
  messageCreate,
  modalSubmit,
  slashCommand,
} from '../fakes/discord/payloads.js';
import { BOT_ID, type RecordedCall } from '../fakes/discord/rest.js';

/** May run uptime on web-1 only: the run button then needs no form. */
const CAROL = '1300000000000000004';
const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

const runs: { host: string; argv: readonly string[] }[] = [];

/** Runs nothing: answers like the real commands would, and records what it was asked to run. */
function fakeExecutor(hostName: string): FakeExecutor {
  return new FakeExecutor(hostName, (spec) => {
    runs.push({ host: hostName, argv: spec.argv });
    let out: string;
    if (spec.argv[0] === 'uptime')
      out = ` 18:00:00 up 3 days,  load average: 0.10, 0.20, 0.30 host=${hostName}`;
    else if (spec.argv.includes('established'))
      out = [
        'Recv-Q Send-Q Local Address:Port Peer Address:Port',
        ...Array.from({ length: 500 }, (_, i) => `0 0 10.0.0.1:5432 10.0.9.${i % 250}:${40000 + i}`),
        'DB_PASSWORD=hunter2 @everyone',
      ].join('\n');
    else if (spec.argv.includes('-s'))
      out = 'Total: 42\nTCP:   17 (estab 9, closed 2, orphaned 0, timewait 1)';
    else out = `ran ${spec.argv.join(' ')}`;
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
      roles: { oncall: [ALICE, BOB], solo: [CAROL] },
      rules: [
        { effect: 'allow', roles: ['solo'], diagnostics: ['uptime'], hosts: ['web-1'] },
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
    baseDir: mkdtempSync(path.join(os.tmpdir(), 'faultline-discord-diag-')),
    audit,
    executorFor: (host) => fakeExecutor(host.name),
  });
  h = await startHarness({ diagnostics: port, choices: runChoicesFrom(port, port.catalog.list()) });
});
afterAll(async () => {
  await h?.stop();
  await port?.close();
});

function mention(user: string, text: string): Record<string, unknown> {
  const msg = messageCreate({
    author: user,
    channel: GENERAL,
    content: `<@${BOT_ID}> ${text}`,
    mentionsBot: true,
  });
  h.gateway.emit('MESSAGE_CREATE', msg);
  return msg;
}

function webhookMessages(token: string): RecordedCall[] {
  return h.rest.messages().filter((c) => c.route.includes(`/${token}`));
}

/** `/run`; returns the interaction (its token keys the answers). */
function run(user: string, diagnostic: string, host: string, params?: string): Record<string, unknown> {
  const cmd = slashCommand(
    'run',
    [
      { name: 'diagnostic', value: diagnostic },
      { name: 'host', value: host },
      ...(params ? [{ name: 'params', value: params }] : []),
    ],
    { user, channel: GENERAL },
  );
  h.interact(cmd);
  return cmd;
}

function click(user: string, msg: RecordedCall, label: string): Record<string, unknown> {
  const b = buttonsOf(msg).find((x) => x.label === label);
  if (!b) throw new Error(`no button "${label}" in ${messageText(msg)}`);
  const payload = buttonClick(b.custom_id, msg.message!, { user, channel: msg.channelId ?? GENERAL });
  h.interact(payload);
  return payload;
}

describe('the diagnostic flow in Discord (real DiagnosticsService and policy, fake executor)', () => {
  it("offers the guide's diagnostics on the user's hosts, and nothing to someone with no rights", async () => {
    const msg = mention(ALICE, DEADLINE);
    const offers = await waitFor('offers', () =>
      h.rest.inChannel(msg.id as string).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    const labels = buttonsOf(offers).map((b) => b.label);
    expect(labels).toEqual(
      expect.arrayContaining(['Run uptime', 'Run ss-established', 'Run journalctl-unit']),
    );
    expect(messageText(offers)).toContain('web-1');

    const m2 = mention(MALLORY, DEADLINE);
    const line = await waitFor('handled', () =>
      h.logs.find((l) => l.msg === 'discord message handled' && l.message === m2.id),
    );
    expect(line.replies).toBe(1);
    expect(
      h.rest.inChannel(m2.id as string).some((c) => messageText(c).includes('Diagnostics you can run')),
    ).toBe(false);
  });

  it('a run button opens a form (host, parameters); its result shows a part and attaches the redacted full output', async () => {
    const msg = mention(ALICE, DEADLINE);
    const offers = await waitFor('offers', () =>
      h.rest.inChannel(msg.id as string).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    const clicked = click(ALICE, offers, 'Run ss-established');
    const modal = await waitFor('modal', () => h.rest.callbacks(clicked.id as string)[0]);
    expect(modal.body.type).toBe(9);
    const data = modal.body.data as {
      custom_id: string;
      components: { components: { custom_id: string }[] }[];
    };
    expect(data.components.flatMap((r) => r.components.map((c) => c.custom_id))).toEqual(['host']);
    const submit = modalSubmit(data.custom_id, { host: 'web-2' }, { user: ALICE, channel: msg.id as string });
    h.interact(submit);
    const result = await waitFor('result', () =>
      webhookMessages(submit.token as string).find((c) => messageText(c).includes('ss-established')),
    );
    const text = messageText(result);
    expect(text).toContain('Recv-Q');
    expect(text).toContain('`web-2`');
    expect(text).not.toContain('10.0.9.249:40499'); // the last of 500 lines is only in the file
    expect(limitProblems(result.body)).toEqual([]);
    const file = result.files.find((f) => f.text.includes('10.0.9.249:40499'));
    expect(file?.name).toBe('ss-established-web-2.txt');
    expect(file?.text).toContain('DB_PASSWORD=[REDACTED]');
    expect(file?.text).not.toContain('hunter2');
    expect(runs.some((r) => r.host === 'web-2' && r.argv.includes('established'))).toBe(true);
  });

  it('a run button with one host and no open parameters runs at once, on that host', async () => {
    const msg = mention(CAROL, DEADLINE);
    const offers = await waitFor('offers', () =>
      h.rest.inChannel(msg.id as string).find((c) => messageText(c).includes('Diagnostics you can run')),
    );
    expect(buttonsOf(offers).map((b) => b.label)).toEqual(['Run uptime']);
    const clicked = click(CAROL, offers, 'Run uptime');
    const result = await waitFor('result', () =>
      webhookMessages(clicked.token as string).find((c) => messageText(c).includes('load average')),
    );
    expect(h.rest.callbacks(clicked.id as string).map((c) => c.body.type)).toEqual([5]);
    expect(messageText(result)).toContain('host=web-1');
  });

  it('refuses by policy: the requester hears why, and nothing runs', async () => {
    const before = runs.length;
    const cmd = run(MALLORY, 'uptime', 'web-1');
    const reply = await waitFor('refusal', () => webhookMessages(cmd.token as string)[0]);
    expect(messageText(reply)).toMatch(/Refused by policy/);
    expect(runs.length).toBe(before);
  });

  it('/run with parameters runs them; a bad parameter is refused; spaces in the host are refused', async () => {
    const cmd = run(ALICE, 'journalctl-unit', 'web-1', 'unit=nginx.service since=-1h');
    const reply = await waitFor('result', () => webhookMessages(cmd.token as string)[0]);
    expect(messageText(reply)).toContain('journalctl-unit');
    expect(runs.some((r) => r.argv.includes('--unit=nginx.service'))).toBe(true);

    const bad = run(ALICE, 'journalctl-unit', 'web-1', 'unit=$(reboot) since=-1h');
    const refusal = await waitFor('invalid', () => webhookMessages(bad.token as string)[0]);
    expect(messageText(refusal)).toMatch(/Cannot run that/);
    expect(runs.some((r) => r.argv.some((a) => a.includes('reboot')))).toBe(false);

    const spaced = run(ALICE, 'uptime', 'web-1 unit=x');
    const cb = await waitFor('ephemeral', () => h.rest.callbacks(spaced.id as string)[0]);
    expect((cb.body.data as { flags: number }).flags & 64).toBe(64);
  });

  it('autocomplete offers catalog ids and hosts the user may use, and nothing to others', async () => {
    const ask = (user: string, focused: 'diagnostic' | 'host', diagnostic: string, host = '') => {
      const p = slashCommand(
        'run',
        [
          { name: 'diagnostic', value: diagnostic, ...(focused === 'diagnostic' ? { focused: true } : {}) },
          { name: 'host', value: host, ...(focused === 'host' ? { focused: true } : {}) },
        ],
        { user, channel: GENERAL },
        true,
      );
      h.interact(p);
      return p;
    };
    const choices = async (p: Record<string, unknown>) => {
      const cb = await waitFor('autocomplete', () => h.rest.callbacks(p.id as string)[0]);
      expect(cb.body.type).toBe(8);
      return ((cb.body.data as { choices: { value: string }[] }).choices ?? []).map((c) => c.value);
    };
    expect((await choices(ask(ALICE, 'diagnostic', 'ss'))).sort()).toEqual(['ss-established', 'ss-summary']);
    expect(await choices(ask(ALICE, 'host', 'uptime'))).toEqual(['web-1', 'web-2']);
    expect(await choices(ask(ALICE, 'host', 'uptime', '2'))).toEqual(['web-2']);
    expect(await choices(ask(MALLORY, 'diagnostic', ''))).toEqual([]);
  });

  it('approval: not by the requester; a second person approves and it runs; the request loses its buttons', async () => {
    const before = runs.filter((r) => r.argv.includes('-s')).length;
    const cmd = run(ALICE, 'ss-summary', 'web-1');
    const request = await waitFor('approval request', () =>
      webhookMessages(cmd.token as string).find((c) => buttonsOf(c).some((b) => b.label === 'Approve')),
    );
    expect(messageText(request)).toContain(`<@${ALICE}>`);
    expect(request.body.allowed_mentions).toMatchObject({ parse: [] });

    const self = click(ALICE, request, 'Approve');
    await waitFor('self-approval refused', () =>
      webhookMessages(self.token as string).find((c) => messageText(c).includes('cannot approve your own')),
    );
    expect(runs.filter((r) => r.argv.includes('-s')).length).toBe(before);

    const approve = click(BOB, request, 'Approve');
    const result = await waitFor('result', () =>
      webhookMessages(approve.token as string).find((c) => messageText(c).includes('Total: 42')),
    );
    expect(h.rest.callbacks(approve.id as string)[0]?.body.type).toBe(6);
    expect(messageText(result)).toContain(`approved by <@${BOB}>`);
    const updated = webhookMessages(approve.token as string).find((c) => c.method === 'PATCH');
    expect(updated?.body.components).toEqual([]);
    expect(String(updated?.body.content)).toMatch(/Approved by/);
    expect(runs.filter((r) => r.argv.includes('-s')).length).toBe(before + 1);
    expect(audit.records.some((r) => r.event === 'approval' && r.approver === BOB)).toBe(true);

    // A second click on the (stale) request runs nothing again.
    const again = click(BOB, request, 'Approve');
    await waitFor('no longer pending', () =>
      webhookMessages(again.token as string).find((c) => messageText(c).includes('no longer pending')),
    );
    expect(runs.filter((r) => r.argv.includes('-s')).length).toBe(before + 1);
  });

  it('reject: the request is rejected by a second person and nothing runs', async () => {
    const before = runs.length;
    const cmd = run(ALICE, 'ss-summary', 'web-2');
    const request = await waitFor('approval request', () =>
      webhookMessages(cmd.token as string).find((c) => buttonsOf(c).some((b) => b.label === 'Reject')),
    );
    const reject = click(BOB, request, 'Reject');
    const note = await waitFor('rejected', () =>
      webhookMessages(reject.token as string).find((c) => messageText(c).includes('was rejected')),
    );
    expect(messageText(note)).toContain('ss-summary');
    const updated = webhookMessages(reject.token as string).find((c) => c.method === 'PATCH');
    expect(String(updated?.body.content)).toMatch(/Rejected by/);
    expect(runs.length).toBe(before);
  });
});
