import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { Bot } from '../../src/bot/bot.js';
import type { Reply } from '../../src/reply/model.js';
import { fillCommands, pasteNames } from '../../src/reply/fill.js';
import { renderTerminal } from '../../src/reply/terminal.js';
import { memoryStores } from '../../src/store/stores.js';
import { tempDir } from '../helpers.js';

// The built-in guides, as a user meets them.
const ctx = createApp({ cwd: tempDir() });
const bot = new Bot(ctx.engine, ctx.knowledge.guides, memoryStores(), ctx.config.bot);
let n = 0;
const ask = (text: string): Promise<Reply> =>
  bot.explain({ platform: 'test', thread: `t${n++}`, user: 'u' }, text);
const plain = (r: Reply, width?: number) => renderTerminal(r, { color: false, ...(width ? { width } : {}) });

describe('what a reply shows', () => {
  it('the short reply keeps "How to fix it" and says how many more causes there are; full and show add "How to diagnose it"', async () => {
    const r = await ask('ECONNREFUSED 127.0.0.1:5432');
    expect(r.kind).toBe('guide');
    if (r.kind !== 'guide') return;
    expect(r.guide.causes.length).toBeGreaterThan(4);
    const short = plain(r);
    expect(short).toContain('How to fix it');
    expect(short).toContain(`…and ${r.guide.causes.length - 4} more in the full guide`);
    expect(short).not.toContain('How to diagnose it');
    const full = plain({ ...r, view: 'full' });
    expect(full).toContain('How to diagnose it');
    expect(full).toContain('What it means');
    for (const c of r.guide.causes) expect(full).toContain(c.slice(0, 40));
    const page = plain(bot.page('connection-refused'));
    expect(page).toContain('How to diagnose it');
    expect(page, 'one guide in full: no match line, no other candidates').not.toMatch(
      /% match|Other candidates/,
    );
  });

  it('the evidence is a window around the match with the match marked, not the start of a long line', async () => {
    const prefix = '2024-05-01T10:00:00.123Z INFO [worker-3] com.example.Service ' + 'k=v '.repeat(100);
    const r = await ask(
      `${prefix}resolving db.internal: socket.gaierror: [Errno -2] Name or service not known (retrying)`,
    );
    if (r.kind !== 'guide') throw new Error(`expected a guide, got ${r.kind}`);
    expect(r.guide.id).toBe('dns-resolution-failed');
    const meta = plain(r).split('\n')[1] ?? '';
    expect(meta).toMatch(/»[^«]*Name or service not known[^«]*«/i);
    expect(meta).toContain('…');
    expect(meta.length).toBeLessThan(320);
  });

  it('fills commands with what the paste names and leaves the rest as placeholders; labels OS-specific ones', async () => {
    const r = await ask(
      'psql: error: connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused',
    );
    if (r.kind !== 'guide') throw new Error(`expected a guide, got ${r.kind}`);
    const text = plain(r);
    expect(text).toContain('Test-NetConnection -ComputerName localhost -Port 5432');
    expect(text).not.toMatch(/-Port 5000|:8080/);
    expect(text).toMatch(/Commands to try on Windows\n(?:.*\n)*?\s+\$ Test-NetConnection/);
    expect(text).toMatch(/Commands to try on Linux\n(?:.*\n)*?\s+\$ ss -ltnp/);
    const pod = await ask(
      'Warning  BackOff  pod/api-7d9f8-x2x4  Back-off restarting failed container in pod api-7d9f8-x2x4',
    );
    if (pod.kind !== 'guide') throw new Error(`expected a guide, got ${pod.kind}`);
    const cmds = pod.guide.commands.map((c) => c.text).join('\n');
    expect(cmds).toContain('kubectl describe pod api-7d9f8-x2x4');
    expect(cmds, 'what the paste does not name stays a placeholder').toContain('<container>');
    expect(pasteNames('curl: (6) Could not resolve host: api.shop.internal')).toMatchObject({
      host: 'api.shop.internal',
    });
    expect(pasteNames('Failed to start nginx.service - A high performance web server')).toMatchObject({
      unit: 'nginx.service',
    });
    expect(
      fillCommands(['dig api.example.com', 'systemctl status <unit>', 'ss -ltn sport = :8080'], {
        host: 'db.x.io',
        unit: 'nginx.service',
        port: '6379',
      }),
    ).toEqual(['dig db.x.io', 'systemctl status nginx.service', 'ss -ltn sport = :6379']);
  });

  it('fills the address the paste names where the guide made one up, never the DNS server or a network', () => {
    const names = pasteNames('Error: connect ECONNREFUSED 10.0.4.11:5432\n    at TCPConnectWrap');
    expect(names).toMatchObject({ address: '10.0.4.11', port: '5432' });
    expect(names.host).toBeUndefined();
    expect(
      fillCommands(
        [
          'nc -vz 10.0.3.21 5432',
          'dig @10.96.0.10 api.example.com',
          'sudo iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT',
          'ping -c 3 <address>',
          'curl -v http://127.0.0.1:8080/healthz',
        ],
        names,
      ),
    ).toEqual([
      'nc -vz 10.0.4.11 5432',
      'dig @10.96.0.10 api.example.com',
      'sudo iptables -A INPUT -s 10.0.0.0/8 -j ACCEPT',
      'ping -c 3 10.0.4.11',
      'curl -v http://127.0.0.1:5432/healthz',
    ]);
    // Loopback and "any" are where the command already looks; the ping target, not the router that answered.
    expect(pasteNames('listen tcp 0.0.0.0:8080: bind: address already in use').address).toBeUndefined();
    expect(pasteNames('ECONNREFUSED 127.0.0.1:6379').address).toBeUndefined();
    // The client a server log names is not where the commands should look.
    expect(pasteNames('Failed password for root from 10.9.8.7 ssh2').address).toBeUndefined();
    expect(
      pasteNames(
        'PING 10.244.3.17 (10.244.3.17) 56(84) bytes of data.\nFrom 10.244.0.1 icmp_seq=1 Destination Host Unreachable',
      ).address,
    ).toBe('10.244.3.17');
  });

  it('wraps prose to the width, never a command', async () => {
    const r = await ask('write: broken pipe');
    for (const line of plain(r, 50).split('\n'))
      if (!line.trimStart().startsWith('$')) expect(line.length, line).toBeLessThanOrEqual(50);
  });

  it('lists other candidates only when they are close to the answer', async () => {
    for (const text of [
      'ECONNREFUSED 127.0.0.1:5432',
      'OSError: [Errno 28] No space left on device',
      'x509: certificate signed by unknown authority',
    ]) {
      const r = await ask(text);
      if (r.kind !== 'guide') throw new Error(`expected a guide, got ${r.kind}`);
      for (const a of r.alternatives) expect(a.score).toBeGreaterThanOrEqual(r.score - 0.15);
    }
  });

  it("a no-match's nearest guide has a score that reads against what an answer needs", async () => {
    const r = await ask('the nightly report was a bit slow and the numbers look off');
    if (r.kind !== 'no-match') throw new Error(`expected no match, got ${r.kind}`);
    expect(r.nearest.length).toBeGreaterThan(0);
    expect(plain(r)).toMatch(/resemblance \d+%; an answer needs \d+%/);
  });

  it('a cut paste keeps the end of the log and says how much was read of how much', async () => {
    const log = Array.from({ length: 30_000 }, (_, i) => `2024-05-01 INFO request ${i} served in 12ms`).join(
      '\n',
    );
    const r = await ask(
      `${log}\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory`,
    );
    if (r.kind !== 'guide') throw new Error(`expected a guide, got ${r.kind}`);
    expect(r.guide.id).toBe('node-heap-out-of-memory');
    expect(r.evidence.line).toBe(30_001);
    expect(plain(r)).toMatch(/The paste was too large: read 2\d\d KB of 1\.\d MB, its start and its end/);
  });
});
