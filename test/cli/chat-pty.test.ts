import { afterEach, describe, expect, it } from 'vitest';
import { Pty } from './pty.js';

const HEAP = [
  '<--- Last few GCs --->',
  '',
  '[4211:0x5d1e0a0]    81234 ms: Mark-Compact 2040.1 (2085.3) -> 2038.9 (2086.1) MB',
  '',
  '<--- JS stacktrace --->',
  '',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
  ' 1: 0xb090e0 node::Abort() [node]',
].join('\n');

const CHAINED = [
  'Traceback (most recent call last):',
  '  File "client.py", line 12, in fetch',
  '    sock.connect((host, 443))',
  'ConnectionRefusedError: [Errno 111] Connection refused',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "client.py", line 20, in <module>',
  '    socket.getaddrinfo("db.internal", 5432)',
  'socket.gaierror: [Errno -2] Name or service not known',
].join('\n');

const GREETING = 'paste an error';
const count = (s: string, sub: string) => s.split(sub).length - 1;

let pty: Pty | undefined;
afterEach(() => pty?.kill());

async function chat(columns?: number): Promise<Pty> {
  pty = new Pty(['chat'], columns ? { columns } : {});
  await pty.waitFor('the greeting', (s) => s.includes(GREETING));
  return pty;
}

describe('faultline chat on a terminal (a real pseudo-terminal)', () => {
  it('takes a bracketed paste with empty lines as one paste: one reply, lines counted from the paste', async () => {
    const p = await chat();
    expect(p.screen, 'bracketed paste mode is switched on').toContain('\x1b[?2004h');
    const from = p.mark();
    p.paste(HEAP);
    await p.waitFor('the reply', (s) => s.slice(from).includes('[node-heap-out-of-memory]'));
    p.type('quit\r');
    expect(await p.exited).toBe(0);
    const reply = p.since(from);
    expect(count(reply, '[node-heap-out-of-memory]')).toBe(1);
    expect(reply).toMatch(/line 7: »?FATAL ERROR/);
    expect(p.screen, 'bracketed paste mode is switched off again').toContain('\x1b[?2004l');
  });

  it('without paste markers, one empty line stays inside the paste and a short pause ends it', async () => {
    const p = await chat();
    const from = p.mark();
    p.type(CHAINED.replace(/\n/g, '\r') + '\r');
    await p.waitFor('the reply', (s) => / match; line \d+/.test(s.slice(from)));
    await new Promise((r) => setTimeout(r, 1500));
    const reply = p.since(from);
    expect(count(reply, ' match; line '), 'one reply for the whole paste').toBe(1);
    expect(reply).not.toContain('No guide fits');
    p.type('quit\r');
    expect(await p.exited).toBe(0);
  });

  it('answers a one-line paste after a pause, with no second Enter', async () => {
    const p = await chat();
    const from = p.mark();
    p.type('write: broken pipe\r');
    await p.waitFor('the reply', (s) => s.slice(from).includes('[broken-pipe]'));
    p.type('quit\r');
    expect(await p.exited).toBe(0);
  });

  it('Ctrl-D ends a pending paste without quitting; on an empty line it quits', async () => {
    const p = await chat();
    const from = p.mark();
    p.type('EPIPE\r\x04');
    await p.waitFor('the reply', (s) => s.slice(from).includes('[broken-pipe]'));
    const after = p.mark();
    p.type('more\r');
    await p.waitFor('the answer to more', (s) => s.length > after + 40);
    p.type('\x04');
    expect(await p.exited).toBe(0);
    expect(p.since(after)).toContain('bye');
  });

  it('help lists every command; show ID and full work inside the bot; quit prints no logs', async () => {
    const p = await chat(60);
    let from = p.mark();
    p.type('help\r');
    await p.waitFor('the help', (s) => s.slice(from).includes('quit'));
    const help = p.since(from);
    for (const cmd of [
      'more',
      'full',
      'show <guide-id>',
      'helpful',
      'wrong',
      'run <diagnostic> on <host>',
      'mute here',
      'unmute',
      'approve <request-id>',
      'reject <request-id>',
      'quit',
    ])
      expect(help).toContain(cmd);
    from = p.mark();
    p.type('show broken-pipe\r');
    await p.waitFor('the guide', (s) => s.slice(from).includes('How to fix it'));
    expect(p.since(from)).toContain('How to diagnose it');
    expect(p.since(from)).not.toContain('% match');
    from = p.mark();
    p.type('ECONNREFUSED 127.0.0.1:5432\r');
    await p.waitFor('the reply', (s) => s.slice(from).includes(' match; line 1'));
    from = p.mark();
    p.type('full\r');
    await p.waitFor('the full guide', (s) => s.slice(from).includes('How to fix it'));
    expect(p.since(from)).toContain('What it means');
    p.type('quit\r');
    expect(await p.exited).toBe(0);
    const longest = Math.max(
      ...p.screen
        .split('\n')
        .filter((l) => !l.includes('$ ') && !l.includes('\x1b'))
        .map((l) => l.length),
    );
    expect(longest, 'prose is wrapped to the 60 columns of the terminal').toBeLessThanOrEqual(60);
  });

  it('faultline start with no platform runs the terminal bot, and quit prints no JSON logs', async () => {
    pty = new Pty(['start']);
    const p = pty;
    await p.waitFor('the greeting', (s) => s.includes(GREETING));
    p.type('quit\r');
    expect(await p.exited).toBe(0);
    expect(p.screen).toContain('bye');
    expect(p.screen).not.toContain('{"level"');
  });
});
