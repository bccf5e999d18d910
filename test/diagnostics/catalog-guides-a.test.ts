import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/diagnostics/local.js';
import { harness, threeHosts } from './helpers.js';

// Catalog entries added with the second-wave guides (part a): HTTP redirect chains, shared libraries and
// runtime versions.
const everyone = { rules: [{ effect: 'allow' as const, users: ['*'], diagnostics: ['*'], hosts: ['*'] }] };
const who = { user: 'U1', platform: 'test', channel: 'C1' };
const local = {
  ...threeHosts,
  hosts: [{ name: 'here', local: true as const, labels: ['local'] }],
};
const localHarness = () =>
  harness(local, everyone, {
    executorFor: (host) => new LocalExecutor(host as { name: string; local: true; labels: string[] }),
  });

describe('http-redirect-chain and ldd-binary refuse hostile parameters', () => {
  // Hostile values against both: in hostile.test.ts, with the rest of the catalog.

  it.each([
    ['a relative path', 'bin/app'],
    ['a home directory', '/home/deploy/app'],
    ['a temporary directory', '/tmp/x/app'],
    ['a path that climbs out of a root', '/usr/../tmp/app'],
    ['a root that is only a prefix', '/usrlocal/app'],
  ])('ldd-binary refuses %s', async (_n, path) => {
    const h = harness(threeHosts, everyone);
    const out = await h.service.request({ ...who, catalogId: 'ldd-binary', host: 'web-1', params: { path } });
    expect(out.status).toBe('invalid');
    expect(h.created).toEqual([]);
  });

  it.each([
    ['a file URL', 'file:///etc/passwd'],
    ['credentials in the URL', 'https://user:secret@example.com/'],
    ['a gopher URL', 'gopher://example.com/'],
  ])('http-redirect-chain refuses %s', async (_n, url) => {
    const h = harness(threeHosts, everyone);
    const out = await h.service.request({
      ...who,
      catalogId: 'http-redirect-chain',
      host: 'web-1',
      params: { url },
    });
    expect(out.status).toBe('invalid');
  });

  it('builds the argv: curl with --globoff and a redirect limit, ldd with the path after --', async () => {
    const h = harness(threeHosts, everyone);
    await h.service.request({
      ...who,
      catalogId: 'http-redirect-chain',
      host: 'web-1',
      params: { url: 'https://example.com/a[1]?b={c}' },
    });
    const curl = h.executors.get('web-1')?.runs[0]?.argv ?? [];
    expect(curl[0]).toBe('curl');
    expect(curl).toContain('--globoff');
    expect(curl.slice(curl.indexOf('--max-redirs'), curl.indexOf('--max-redirs') + 2)).toEqual([
      '--max-redirs',
      '15',
    ]);
    expect(curl[curl.length - 1]).toBe(new URL('https://example.com/a[1]?b={c}').href);
    await h.service.request({
      ...who,
      catalogId: 'ldd-binary',
      host: 'web-1',
      params: { path: '/usr//bin/./ls' },
    });
    expect(h.executors.get('web-1')?.runs[1]?.argv).toEqual(['ldd', '--', '/usr/bin/ls']);
  });

  it.each(['glibc-version', 'java-version', 'node-version', 'python-version'])(
    '%s takes no parameters',
    async (id) => {
      const h = harness(threeHosts, everyone);
      const out = await h.service.request({ ...who, catalogId: id, host: 'web-1', params: { path: '/usr' } });
      expect(out).toMatchObject({
        status: 'invalid',
        reason: expect.stringMatching(/unknown parameter "path"/),
      });
    },
  );
});

describe('http-redirect-chain against a real server (local executor)', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      // /loop/N redirects to /loop/N+1 forever; /hop/N counts down to a 204.
      const [, kind, n] = /^\/(loop|hop)\/(\d+)$/.exec(req.url ?? '') ?? [];
      const i = Number(n);
      if (kind === 'loop') res.writeHead(302, { location: `/loop/${i + 1}` }).end();
      else if (kind === 'hop' && i > 0) res.writeHead(301, { location: `/hop/${i - 1}` }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports the final status, the number of redirects and the final URL', async () => {
    const out = await localHarness().service.request({
      ...who,
      catalogId: 'http-redirect-chain',
      host: 'here',
      params: { url: `${base}/hop/2` },
    });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(out.results[0]?.full).toMatch(new RegExp(`^status=204 redirects=2 final=${base}/hop/0 `));
  });

  it('stops a redirect loop at the limit and says so', async () => {
    const out = await localHarness().service.request({
      ...who,
      catalogId: 'http-redirect-chain',
      host: 'here',
      params: { url: `${base}/loop/0` },
    });
    if (out.status !== 'ran') throw new Error(out.status);
    const text = out.results[0]?.full ?? '';
    expect(text).toMatch(/redirects=15 final=\S+\/loop\/15 /);
    expect(text).toMatch(/Maximum \(15\) redirects followed/);
  });
});

describe('ldd-binary on a real binary (local executor)', () => {
  it('lists the libraries of /usr/bin/ls', async () => {
    const out = await localHarness().service.request({
      ...who,
      catalogId: 'ldd-binary',
      host: 'here',
      params: { path: '/usr/bin/ls' },
    });
    if (out.status !== 'ran') throw new Error(out.status);
    expect(out.results[0]?.full).toMatch(/libc\.so\.6 => \S+/);
  });
});
