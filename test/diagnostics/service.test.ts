import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectError } from '../../src/diagnostics/executor.js';
import type { AuditRecord, AuditSink } from '../../src/audit/log.js';
import { FP, harness, threeHosts } from './helpers.js';

const alice = { user: 'alice', platform: 'slack', channel: 'C-inc' };
const bob = { user: 'bob', platform: 'slack', channel: 'C-inc' };
const mallory = { user: 'mallory', platform: 'slack', channel: 'C-inc' };

describe('policy', () => {
  it('denies by default', async () => {
    const h = harness(threeHosts, {});
    const out = await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' });
    expect(out).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/no policy rule allows alice/),
    });
    expect(h.created).toEqual([]);
  });

  it('allows by user, by platform role, and by configured role; deny rules win', async () => {
    const h = harness(threeHosts, {
      roles: { sre: ['carol'] },
      rules: [
        { effect: 'allow', users: ['alice'], diagnostics: ['uptime'], hosts: ['web-1'] },
        { effect: 'allow', roles: ['oncall'], diagnostics: ['*'], labels: ['web'] },
        { effect: 'allow', roles: ['sre'], diagnostics: ['df-blocks'], labels: ['prod'] },
        {
          effect: 'deny',
          users: ['*'],
          diagnostics: ['*'],
          labels: ['db'],
          note: 'no one touches the database',
        },
      ],
    });
    expect((await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' })).status).toBe('ran');
    expect((await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-2' })).status).toBe('denied');
    expect((await h.service.request({ ...alice, catalogId: 'df-blocks', host: 'web-1' })).status).toBe(
      'denied',
    );
    expect(
      (await h.service.request({ ...bob, roles: ['oncall'], catalogId: 'free-mem', host: 'web-2' })).status,
    ).toBe('ran');
    expect((await h.service.request({ ...bob, catalogId: 'free-mem', host: 'web-2' })).status).toBe('denied');
    expect(
      (await h.service.request({ user: 'carol', platform: 'discord', catalogId: 'df-blocks', host: 'web-2' }))
        .status,
    ).toBe('ran');
    const db = await h.service.request({
      user: 'carol',
      platform: 'discord',
      catalogId: 'df-blocks',
      host: 'db-1',
    });
    expect(db).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/no one touches the database/),
    });
  });

  it('restricts by channel and platform', async () => {
    const h = harness(threeHosts, {
      rules: [
        {
          effect: 'allow',
          users: ['alice'],
          channels: ['C-inc'],
          platforms: ['slack'],
          diagnostics: ['*'],
          hosts: ['*'],
        },
      ],
    });
    expect((await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' })).status).toBe('ran');
    expect(
      (await h.service.request({ ...alice, channel: 'C-random', catalogId: 'uptime', host: 'web-1' })).status,
    ).toBe('denied');
    expect(
      (await h.service.request({ ...alice, platform: 'discord', catalogId: 'uptime', host: 'web-1' })).status,
    ).toBe('denied');
  });

  it('runs a label fan-out only where allowed and reports the rest as denied', async () => {
    const h = harness(threeHosts, {
      rules: [{ effect: 'allow', users: ['alice'], diagnostics: ['uptime'], labels: ['web'] }],
    });
    const out = await h.service.request({ ...alice, catalogId: 'uptime', label: 'prod' });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(Object.fromEntries(out.results.map((r) => [r.host, r.status]))).toEqual({
      'web-1': 'ok',
      'web-2': 'ok',
      'db-1': 'denied',
    });
    expect(h.created.sort()).toEqual(['web-1', 'web-2']);
  });
});

describe('approvals', () => {
  const policy = {
    rules: [
      { effect: 'allow' as const, users: ['alice', 'bob'], diagnostics: ['*'], hosts: ['*'] },
      { effect: 'allow' as const, users: ['mallory'], diagnostics: ['uptime'], hosts: ['*'] },
      {
        effect: 'allow' as const,
        users: ['alice'],
        diagnostics: ['df-inodes'],
        hosts: ['*'],
        requireApproval: true,
      },
    ],
  };
  const catalog = {
    ...threeHosts,
    catalog: [
      {
        id: 'heap-dump',
        description: 'big and slow',
        argv: ['jcmd', '{{pid}}', 'GC.heap_info'],
        params: { pid: { type: 'pid' as const } },
        needsApproval: true,
      },
    ],
  };

  it('waits for a second authorised person', async () => {
    const h = harness(catalog, policy);
    const req = await h.service.request({
      ...alice,
      catalogId: 'heap-dump',
      host: 'web-1',
      params: { pid: 42 },
    });
    if (req.status !== 'needs-approval') throw new Error(req.status);
    expect(req.commands['web-1']).toBe(`'timeout' '-k' '5s' '20s' 'jcmd' '42' 'GC.heap_info'`);
    expect(h.created).toEqual([]);

    const self = await h.service.approve(req.requestId, alice);
    expect(self).toMatchObject({ status: 'denied', reason: expect.stringMatching(/second person/) });
    const unauthorised = await h.service.approve(req.requestId, mallory);
    expect(unauthorised).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/mallory may not approve/),
    });
    expect(h.created).toEqual([]);

    const ok = await h.service.approve(req.requestId, bob);
    expect(ok).toMatchObject({ status: 'ran', results: [{ host: 'web-1', status: 'ok' }] });
    expect(h.executors.get('web-1')?.runs[0]?.argv).toEqual(['jcmd', '42', 'GC.heap_info']);
    const again = await h.service.approve(req.requestId, bob);
    expect(again.status).toBe('invalid');

    const approvals = h.audit.records.filter((r) => r.event === 'approval');
    expect(approvals.map((a) => (a.event === 'approval' ? [a.approver, a.decision] : []))).toEqual([
      ['alice', 'refused'],
      ['mallory', 'refused'],
      ['bob', 'approved'],
      ['bob', 'refused'],
    ]);
  });

  const heapDump = { catalogId: 'heap-dump', host: 'web-1', params: { pid: 42 } };

  it('an unauthorised click does not use up the request: the right person approving at the same moment runs it', async () => {
    const h = harness(catalog, policy);
    const req = await h.service.request({ ...alice, ...heapDump });
    const [outsider, approver] = await Promise.all([
      h.service.approve(req.requestId, mallory),
      h.service.approve(req.requestId, bob),
    ]);
    expect(outsider).toMatchObject({ status: 'denied', refusal: 'not-allowed' });
    expect(approver).toMatchObject({ status: 'ran', approvedBy: 'bob', results: [{ status: 'ok' }] });
  });

  it('approving is a right of its own: needing approval to run something is no right to grant it', async () => {
    const needsApproval = {
      effect: 'allow' as const,
      users: ['alice', 'carol'],
      diagnostics: ['uptime'],
      hosts: ['*'],
      requireApproval: true,
    };
    const h = harness(threeHosts, { rules: [needsApproval] });
    const carol = { user: 'carol', platform: 'slack', channel: 'C-inc' };
    const req = await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' });
    const refused = await h.service.approve(req.requestId, carol);
    expect(refused).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/carol may not approve uptime on web-1: they need approval/),
    });
    expect((await h.service.pending()).map((p) => p.id)).toEqual([req.requestId]);

    const granted = harness(threeHosts, {
      rules: [{ ...needsApproval, mayApprove: true }],
    });
    const req2 = await granted.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' });
    expect(await granted.service.approve(req2.requestId, carol)).toMatchObject({ status: 'ran' });
  });

  it('a deny rule takes the right to approve away too', async () => {
    const h = harness(catalog, {
      rules: [
        ...policy.rules,
        { effect: 'deny' as const, users: ['bob'], diagnostics: ['heap-dump'], hosts: ['web-1'] },
      ],
    });
    const req = await h.service.request({ ...alice, ...heapDump });
    expect(await h.service.approve(req.requestId, bob)).toMatchObject({
      status: 'denied',
      reason: expect.stringMatching(/bob may not approve heap-dump on web-1: denied by policy rule 4/),
    });
  });

  it('an attempt on an unknown or used id leaves an audit line', async () => {
    const h = harness(catalog, policy);
    expect(await h.service.approve('no-such-id', bob)).toMatchObject({
      status: 'invalid',
      refusal: 'unknown',
    });
    expect(await h.service.reject('no-such-id', mallory)).toMatchObject({ status: 'invalid' });
    expect(h.audit.records).toEqual([
      expect.objectContaining({
        event: 'approval',
        requestId: 'no-such-id',
        approver: 'bob',
        decision: 'refused',
      }),
      expect.objectContaining({
        event: 'approval',
        requestId: 'no-such-id',
        approver: 'mallory',
        decision: 'refused',
      }),
    ]);
  });

  it('rejects beside approve: an outsider is refused and audited, an approver rejects, and nothing runs', async () => {
    const h = harness(catalog, {
      ...policy,
      rules: [
        ...policy.rules,
        { effect: 'allow' as const, users: ['alice'], diagnostics: ['*'], hosts: ['*'] },
      ],
    });
    const origin = { platform: 'slack', channel: 'C-inc', thread: 'C-inc:1.2' };
    const req = await h.service.request({ ...alice, ...heapDump, origin });
    expect(await h.service.reject(req.requestId, mallory)).toMatchObject({
      status: 'denied',
      refusal: 'not-allowed',
    });
    expect((await h.service.pending())[0]?.origin).toEqual(origin);
    expect(await h.service.reject(req.requestId, bob)).toMatchObject({
      status: 'rejected',
      by: 'bob',
      catalogId: 'heap-dump',
      hosts: ['web-1'],
      origin,
    });
    expect(await h.service.approve(req.requestId, bob)).toMatchObject({ status: 'invalid' });
    expect(h.created).toEqual([]);
    const decisions = h.audit.records.flatMap((r) =>
      r.event === 'approval' ? [[r.approver, r.decision]] : [],
    );
    expect(decisions).toEqual([
      ['mallory', 'refused'],
      ['bob', 'rejected'],
      ['bob', 'refused'],
    ]);
  });

  it('the requester may withdraw their own request', async () => {
    const h = harness(catalog, policy);
    const req = await h.service.request({ ...alice, ...heapDump });
    expect(await h.service.reject(req.requestId, alice)).toMatchObject({ status: 'rejected', by: 'alice' });
    expect(h.audit.records.at(-1)).toMatchObject({
      decision: 'rejected',
      reason: 'withdrawn by the requester',
    });
    expect(await h.service.pending()).toEqual([]);
  });

  it('a rule can require approval for an entry that does not', async () => {
    const h = harness(catalog, policy);
    const req = await h.service.request({ ...alice, catalogId: 'df-inodes', host: 'web-1' });
    expect(req.status).toBe('needs-approval');
    const plain = await h.service.request({ ...bob, catalogId: 'df-inodes', host: 'web-1' });
    expect(plain.status).toBe('ran');
  });

  it('expires pending requests', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const h = harness(catalog, { ...policy, approvalTtlMinutes: 5 }, { now: () => now });
    const req = await h.service.request({
      ...alice,
      catalogId: 'heap-dump',
      host: 'web-1',
      params: { pid: 42 },
    });
    now = new Date('2026-01-01T00:06:00Z');
    const late = await h.service.approve(req.requestId, bob);
    expect(late).toMatchObject({ status: 'denied', reason: expect.stringMatching(/expired/) });
    expect(h.created).toEqual([]);
    expect(await h.service.pending()).toEqual([]);
  });
});

describe('audit and results', () => {
  const everyone = { rules: [{ effect: 'allow' as const, users: ['*'], diagnostics: ['*'], hosts: ['*'] }] };

  it('writes request, decision and result with a hash of the output and the exact command', async () => {
    const h = harness(threeHosts, everyone, {
      respond: () => ({ output: Buffer.from('secret=hunter2\nok\n'), command: 'CMD' }),
    });
    const out = await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(out.results[0]?.text).toBe('secret=[REDACTED]\nok\n');
    const events = h.audit.records.map((r) => r.event);
    expect(events).toEqual(['request', 'decision', 'result']);
    const result = h.audit.records[2] as Extract<AuditRecord, { event: 'result' }>;
    expect(result).toMatchObject({
      requestId: out.requestId,
      user: 'alice',
      platform: 'slack',
      channel: 'C-inc',
      host: 'web-1',
      fingerprint: FP('f'),
      command: 'CMD',
      exitCode: 0,
    });
    expect(result.outputSha256).toBe(createHash('sha256').update('secret=hunter2\nok\n').digest('hex'));
    expect(JSON.stringify(h.audit.records)).not.toContain('hunter2');
  });

  it('does not show a result whose audit line could not be written', async () => {
    const failing: AuditSink = {
      append: async (r) => {
        if (r.event === 'result') throw new Error('disk full');
      },
      close: async () => undefined,
    };
    const h = harness(threeHosts, everyone, { audit: failing });
    await expect(h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' })).rejects.toThrow(
      'disk full',
    );
  });

  it('refuses to run anything when the request cannot be audited', async () => {
    const failing: AuditSink = {
      append: async () => {
        throw new Error('disk full');
      },
      close: async () => undefined,
    };
    const h = harness(threeHosts, everyone, { audit: failing });
    await expect(h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1' })).rejects.toThrow(
      'disk full',
    );
    expect(h.created).toEqual([]);
  });

  it('keeps other hosts when one cannot be reached, and audits the failure', async () => {
    const h = harness(threeHosts, everyone, {
      respond: (host) =>
        host.name === 'web-2' ? new ConnectError('cannot connect to web-2: ECONNREFUSED') : {},
    });
    const out = await h.service.request({ ...alice, catalogId: 'uptime', label: 'web' });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(out.results.map((r) => [r.host, r.status])).toEqual([
      ['web-1', 'ok'],
      ['web-2', 'error'],
    ]);
    const failures = h.audit.records.filter((r) => r.event === 'result' && r.error);
    expect(failures).toHaveLength(1);
  });

  it('reports unknown ids, hosts and labels, and needs exactly one target', async () => {
    const h = harness(threeHosts, everyone);
    expect(await h.service.request({ ...alice, catalogId: 'rm-rf', host: 'web-1' })).toMatchObject({
      status: 'invalid',
      reason: 'unknown diagnostic "rm-rf"',
    });
    expect(await h.service.request({ ...alice, catalogId: 'uptime', host: 'nope' })).toMatchObject({
      status: 'invalid',
      reason: 'unknown host "nope"',
    });
    expect(await h.service.request({ ...alice, catalogId: 'uptime', label: 'nope' })).toMatchObject({
      status: 'invalid',
    });
    expect(await h.service.request({ ...alice, catalogId: 'uptime' })).toMatchObject({
      status: 'invalid',
      reason: 'give exactly one of host, hosts or label',
    });
    expect(
      await h.service.request({ ...alice, catalogId: 'uptime', host: 'web-1', label: 'web' }),
    ).toMatchObject({ status: 'invalid' });
    expect(h.created).toEqual([]);
  });

  it('offers only what the user may run, with the guide parameters', () => {
    const h = harness(threeHosts, {
      rules: [{ effect: 'allow', users: ['alice'], diagnostics: ['df-inodes', 'lsof-pid'], labels: ['web'] }],
    });
    const offers = h.service.offersFor(
      ['df-inodes', { id: 'lsof-pid', params: {} }, 'uptime', 'not-in-catalog'],
      alice,
    );
    expect(offers.map((o) => [o.catalogId, o.hosts.map((x) => x.name), o.missingParams])).toEqual([
      ['df-inodes', ['web-1', 'web-2'], []],
      ['lsof-pid', ['web-1', 'web-2'], ['pid']],
    ]);
    expect(h.service.offersFor(['df-inodes'], mallory)).toEqual([]);
  });
});
