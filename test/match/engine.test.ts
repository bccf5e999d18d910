import { describe, expect, it } from 'vitest';
import { MatchEngine } from '../../src/match/engine.js';
import { cleanPaste, maskVolatile } from '../../src/match/clean.js';
import { guide } from '../helpers.js';

const guides = [
  guide('broken-pipe', ['broken pipe', 'EPIPE', '/\\berrno[ =:]*32\\b/i']),
  guide('connection-reset', ['connection reset by peer', 'ECONNRESET']),
  guide('permission-denied', ['Permission denied', 'EACCES']),
  guide('ssh-publickey', ['Permission denied (publickey']),
  guide('no-space', ['No space left on device', 'ENOSPC']),
  guide('inotify', ['System limit for number of file watchers reached']),
  guide('refused', ['Connection refused', 'ECONNREFUSED']),
  guide('bad-gateway', ['502 Bad Gateway', 'while connecting to upstream']),
  guide('oom-killed', ['Out of memory: Killed process', 'OOMKilled'], { hints: ['exit code 137', 'Killed'] }),
  guide('segfault', ['Segmentation fault', 'SIGSEGV'], { hints: ['core dumped'] }),
];
const engine = new MatchEngine(guides);
const top = (text: string) => engine.match(text).matches[0];

describe('exact evidence', () => {
  it('finds a literal anywhere in a line, case-insensitively, and names the line', () => {
    const m = top('2024-05-01T10:00:00Z api[123]: write tcp 1.2.3.4:80: WRITE: BROKEN PIPE');
    expect(m?.id).toBe('broken-pipe');
    expect(m?.evidence).toMatchObject({ line: 1, signature: 'broken pipe' });
  });

  it('respects word boundaries: EPIPE does not match inside EPIPELINE', () => {
    expect(top('EPIPELINE stage ok')?.id).toBeUndefined();
    expect(top('write EPIPE')?.id).toBe('broken-pipe');
  });

  it('runs regex signatures', () => {
    expect(top('OSError: errno=32 while writing')?.id).toBe('broken-pipe');
  });

  it('lets the more specific signature win a shared line', () => {
    expect(top('git@github.com: Permission denied (publickey).')?.id).toBe('ssh-publickey');
    expect(top('open /etc/shadow: Permission denied')?.id).toBe('permission-denied');
    expect(top('Error: ENOSPC: System limit for number of file watchers reached, watch /app')?.id).toBe(
      'inotify',
    );
    expect(
      top(
        '2024/05/01 10:00:00 [error] 12#12: *7 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1',
      )?.id,
    ).toBe('bad-gateway');
  });

  it('ranks the earliest root symptom first when a paste has several errors', () => {
    const r = engine.match('read: connection reset by peer\nretrying...\nwrite: broken pipe');
    expect(r.matches.map((m) => m.id).slice(0, 2)).toEqual(['connection-reset', 'broken-pipe']);
    expect(r.matches[0]?.evidence.line).toBe(1);
    expect(r.matches[1]?.evidence.line).toBe(3);
  });

  it('does not let a weak summary line beat the real cause', () => {
    const r = engine.match('Program received SIGSEGV\nAborted (core dumped)\nexit code 137');
    expect(r.matches[0]?.id).toBe('segfault');
  });

  it('keeps hints alone below the threshold', () => {
    expect(engine.match('process exited with exit code 137').matches).toEqual([]);
  });
});

describe('pastes as people paste them', () => {
  it('strips code fences, quote marks, ANSI colours and CRLF', () => {
    const text = '> ```\r\n> \u001b[31mERROR\u001b[0m Conn\u001b[1mection refused\u001b[0m\r\n> ```';
    expect(top(text)?.id).toBe('refused');
  });

  it('reports line numbers of the paste as pasted, fences included', () => {
    const m = top('hey, this keeps happening:\n```\nfoo\nbar: Connection refused\n```');
    expect(m?.evidence.line).toBe(4);
  });

  it('unescapes HTML from exception mails', () => {
    expect(cleanPaste('a &lt;b&gt; &amp; &quot;c&quot;', 1000).lines[0]).toBe('a <b> & "c"');
  });

  it("caps a large paste, keeps its start and its end (where a log's error usually is), and says so", () => {
    const filler = (n: number) =>
      Array.from({ length: n }, (_, i) => `INFO request ${i} served ok`).join('\n');
    const atEnd = engine.match(`${filler(20_000)}\nConnection refused`);
    expect(atEnd.truncated).toBe(true);
    expect(atEnd.matches[0]?.id).toBe('refused');
    expect(atEnd.matches[0]?.evidence.line, 'lines count from the whole paste').toBe(20_001);
    expect(atEnd.readBytes).toBeLessThanOrEqual(256 * 1024);
    expect(atEnd.bytes).toBeGreaterThan(atEnd.readBytes);
    expect(engine.match(`Connection refused\n${filler(20_000)}`).matches[0]?.id).toBe('refused');
    expect(engine.match(`${filler(10_000)}\nConnection refused\n${filler(10_000)}`).matches).toEqual([]);
  });

  it('keeps chatter quiet', () => {
    for (const t of [
      'deploy is done, thanks all',
      'who is on call tonight?',
      'lunch at 12?',
      'PR #42 merged',
    ]) {
      expect(engine.match(t).matches, t).toEqual([]);
    }
  });

  it('tolerates a typo in a short paste', () => {
    expect(top('conection refused')?.id).toBe('refused');
  });

  it('masks volatile tokens', () => {
    expect(maskVolatile('2024-01-02 10:11:12 10.0.0.1:8080 0xdeadbeef /var/lib/x/y').trim()).toBe('');
  });
});

describe('scores', () => {
  it('are in [0, 1] and best first', () => {
    const r = engine.match('Connection refused\nbroken pipe\nPermission denied\nOOMKilled', { threshold: 0 });
    for (const m of r.matches) {
      expect(m.score).toBeGreaterThanOrEqual(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
    const scores = r.matches.map((m) => m.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
