import { describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/diagnostics/local.js';
import { ALWAYS_REJECTED, HOSTILE, harness, threeHosts } from './helpers.js';

const everyone = { rules: [{ effect: 'allow' as const, users: ['*'], diagnostics: ['*'], hosts: ['*'] }] };
const who = { user: 'U1', platform: 'test', channel: 'C1' };

describe('hostile parameter values against the built-in catalog', () => {
  const targets: Array<[string, string, Record<string, string>]> = [
    ['systemctl-status', 'unit', {}],
    ['journalctl-unit', 'unit', { since: '-15m' }],
    ['journalctl-unit', 'since', { unit: 'nginx.service' }],
    ['getent-hosts', 'name', {}],
    ['lsof-pid', 'pid', {}],
    ['proc-limits', 'pid', {}],
    ['http-probe', 'url', {}],
    ['tls-check', 'host', { port: '443' }],
    ['tls-check', 'port', { host: 'example.com' }],
    ['kubectl-get-pvc', 'namespace', {}],
    ['kubectl-describe-pvc', 'claim', { namespace: 'default' }],
    ['kubectl-auth-can-i', 'resource', { namespace: 'default', verb: 'get' }],
    ['kubectl-auth-can-i', 'verb', { namespace: 'default', resource: 'pods' }],
    [
      'kubectl-auth-can-i-as',
      'serviceAccount',
      { namespace: 'default', accountNamespace: 'ci', verb: 'get', resource: 'pods' },
    ],
    ['kubectl-describe-node', 'node', {}],
    ['es-cluster-health', 'baseUrl', {}],
    ['es-cat-allocation', 'baseUrl', {}],
    ['smartctl-health', 'device', {}],
    ['helm-status', 'release', { namespace: 'default' }],
    ['helm-history', 'namespace', { release: 'api' }],
    ['http-redirect-chain', 'url', {}],
    ['ldd-binary', 'path', {}],
  ];
  for (const [id, param, rest] of targets) {
    it.each(HOSTILE)(`${id} ${param}: %s is refused before any connection`, async (_name, value) => {
      const h = harness(threeHosts, everyone);
      const out = await h.service.request({
        ...who,
        catalogId: id,
        host: 'web-1',
        params: { ...rest, [param]: value },
      });
      expect(out.status).toBe('invalid');
      expect(h.created).toEqual([]);
      expect(h.audit.records.map((r) => r.event)).toEqual(['request', 'decision']);
    });
  }

  it.each([
    ['0', 0],
    ['-1', -1],
    ['99999999999', 99999999999],
    ['1.5', 1.5],
    ['1e3', '1e3'],
    ['0x10', '0x10'],
    ['leading space', ' 12'],
  ])('pid %s is refused', async (_n, pid) => {
    const h = harness(threeHosts, everyone);
    const out = await h.service.request({ ...who, catalogId: 'lsof-pid', host: 'web-1', params: { pid } });
    expect(out.status).toBe('invalid');
    expect(h.created).toEqual([]);
  });

  it('refuses undeclared extra parameters, and missing ones', async () => {
    const h = harness(threeHosts, everyone);
    const extra = await h.service.request({
      ...who,
      catalogId: 'df-blocks',
      host: 'web-1',
      params: { path: '/' },
    });
    expect(extra).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/unknown parameter "path"/),
    });
    const missing = await h.service.request({ ...who, catalogId: 'lsof-pid', host: 'web-1', params: {} });
    expect(missing).toMatchObject({ status: 'invalid', reason: 'missing parameter pid' });
    expect(h.created).toEqual([]);
  });

  it('accepts good values and builds the expected argv', async () => {
    const h = harness(threeHosts, everyone);
    const out = await h.service.request({
      ...who,
      catalogId: 'journalctl-unit',
      host: 'web-1',
      params: { unit: 'nginx.service', since: '-15m' },
    });
    expect(out.status).toBe('ran');
    expect(h.executors.get('web-1')?.runs[0]?.argv).toEqual([
      'journalctl',
      '--unit=nginx.service',
      '--since=-15m',
      '--no-pager',
    ]);
    const p = await h.service.request({
      ...who,
      catalogId: 'lsof-pid',
      host: 'web-1',
      params: { pid: 4242 },
    });
    expect(p.status).toBe('ran');
    expect(h.executors.get('web-1')?.runs[1]?.argv).toEqual(['lsof', '-n', '-P', '-p', '4242']);
  });
});

describe('hostile values against a permissive team entry', () => {
  const echo = {
    ...threeHosts,
    hosts: [{ name: 'here', local: true as const, labels: ['local'] }],
    catalog: [
      {
        id: 'echo-arg',
        description: 'prints its argument',
        argv: ['printf', '<%s>\\n', '{{value}}'],
        params: { value: { type: 'pattern' as const, pattern: '.*', maxLength: 1024 } },
      },
    ],
  };
  it.each(HOSTILE)(
    '%s is refused or arrives as one literal argument (local executor)',
    async (name, value) => {
      const h = harness(echo, everyone, {
        executorFor: (host) => new LocalExecutor(host as { name: string; local: true; labels: string[] }),
      });
      const out = await h.service.request({ ...who, catalogId: 'echo-arg', host: 'here', params: { value } });
      if (ALWAYS_REJECTED.has(name) || value.length > 1024) {
        expect(out.status).toBe('invalid');
        return;
      }
      expect(out.status).toBe('ran');
      if (out.status !== 'ran') return;
      // printf repeats its format per argument, so two arguments would print two lines.
      expect(out.results[0]?.full).toBe(`<${value}>\n`);
    },
  );
});
