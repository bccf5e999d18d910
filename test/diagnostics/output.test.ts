import { describe, expect, it } from 'vitest';
import { redactSecrets, stripControl, summarizeTlsCerts, trimForChat } from '../../src/diagnostics/output.js';

describe('stripControl', () => {
  it('removes colours, cursor moves, OSC titles and hyperlinks, and control characters', () => {
    const raw =
      '\x1b[31mred\x1b[0m \x1b]0;title\x07\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x1b[2Kbell\x07 \x00nul del\x7f';
    expect(stripControl(raw)).toBe('red link bell nul del');
  });
  it('normalises line endings and keeps tabs', () => {
    expect(stripControl('a\r\nb\rc\td')).toBe('a\nb\nc\td');
  });
  it('drops bidi overrides and zero-width characters', () => {
    expect(stripControl('safe\u202Eexe.txt\u200B')).toBe('safeexe.txt');
  });
});

describe('redactSecrets', () => {
  it.each([
    ['env dump', 'DB_PASSWORD=s3cr3t\nHOME=/root', 'DB_PASSWORD=[REDACTED]\nHOME=/root'],
    ['yaml', 'api_key: abcdef123456', 'api_key: [REDACTED]'],
    ['url credentials', 'postgres://app:hunter2@db:5432/x', 'postgres://[REDACTED]@db:5432/x'],
    ['query token', 'GET /cb?token=abc123&x=1', 'GET /cb?token=[REDACTED]&x=1'],
    [
      'bearer',
      'Authorization: Bearer eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl',
      'Authorization: Bearer [REDACTED]',
    ],
    ['slack token', 'xoxb-1234567890-abcdefghij', '[REDACTED]'],
    ['github token', 'ghp_' + 'a'.repeat(36), '[REDACTED]'],
    ['aws key id', 'AKIAABCDEFGHIJKLMNOP', '[REDACTED]'],
    [
      'private key',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\nafter',
      '[REDACTED PRIVATE KEY]\nafter',
    ],
    [
      'truncated private key',
      'x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA',
      'x\n[REDACTED PRIVATE KEY]',
    ],
  ])('%s', (_n, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });
  it('leaves ordinary diagnostics alone', () => {
    const text =
      'Filesystem Size Used Avail Use% Mounted on\n/dev/sda1 20G 19G 1G 95% /\nState Recv-Q Send-Q Local Address:Port';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('trimForChat', () => {
  const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
  it('keeps the head and says how much is left out', () => {
    const t = trimForChat(lines, 300, 'head');
    expect(t.trimmed).toBe(true);
    expect(t.text.length).toBeLessThanOrEqual(300);
    expect(t.text.startsWith('line 0\nline 1\n')).toBe(true);
    expect(t.text).toMatch(/… \d+ more lines in the full output$/);
  });
  it('keeps the tail for logs', () => {
    const t = trimForChat(lines, 300, 'tail');
    expect(t.text.endsWith('line 498\nline 499')).toBe(true);
    expect(t.text).toMatch(/^… \d+ more lines/);
  });
  it('leaves short text untouched', () => {
    expect(trimForChat('short', 300, 'head')).toEqual({ text: 'short', trimmed: false });
  });
  it('cuts a single huge line', () => {
    const t = trimForChat('x'.repeat(10_000), 300, 'head');
    expect(t.text.length).toBeLessThanOrEqual(300);
  });
});

describe('summarizeTlsCerts', () => {
  it('says when no certificate came back', () => {
    expect(summarizeTlsCerts('connect: Connection refused\nVerify return code: 0 (ok)')).toContain(
      'no certificate received',
    );
  });
});
