import { describe, expect, it } from 'vitest';
import { redactSecrets, TOKEN_RULES } from '../../src/redact/index.js';

const rep = (c: string, n: number) => c.repeat(n);
const mixed = (n: number) => 'aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0zA'.repeat(4).slice(0, n);

/** Per token rule: a fake secret of its shape, and a near miss that must be left alone. */
const CASES: Record<string, [string, string]> = {
  'slack-token': ['xoxe-1-' + mixed(40), 'xoxz-1234567890-abcdefghij'],
  'slack-app-token': ['xapp-1-A0123456789-' + mixed(20), 'xapp-short'],
  'slack-webhook': [
    'https://hooks.slack.com/services/T0000000/B0000000/' + mixed(24),
    'https://hooks.slack.com/services/',
  ],
  'discord-webhook': [
    'https://discord.com/api/webhooks/123456789012345678/' + mixed(68),
    'https://discord.com/api/webhooks/123456789012345678',
  ],
  'discord-bot-token': ['MTA' + mixed(23) + '.Gh1jKl.' + mixed(38), 'MTA' + mixed(23) + '.Gh1jKl'],
  'github-token': ['ghp_' + mixed(36), 'ghp_short'],
  'github-fine-grained-pat': ['github_pat_' + mixed(82).replace(/\d/g, '_'), 'github_pat_short'],
  'gitlab-pat': ['glpat-' + mixed(20), 'glpat-short'],
  'aws-access-key-id': ['AKIA' + rep('Q', 16), 'AKIA' + rep('Q', 15)],
  'openai-style-key': ['sk-' + mixed(48), 'sk-short'],
  'stripe-key': ['sk_live_' + mixed(24), 'sk_live_short'],
  'npm-token': ['npm_' + mixed(36), 'npm_' + mixed(20)],
  'sendgrid-key': ['SG.' + mixed(22) + '.' + mixed(43), 'SG.' + mixed(22)],
  'google-api-key': ['AIza' + mixed(35), 'AIza' + mixed(20)],
  'vault-token': ['hvs.' + mixed(90), 'hvs.short'],
  'shopify-token': ['shpat_' + rep('a1', 16), 'shpat_' + rep('a1', 8)],
  'huggingface-token': ['hf_' + mixed(34), 'hf_' + mixed(10)],
  'digitalocean-token': ['dop_v1_' + rep('ab12', 16), 'dop_v1_' + rep('ab12', 8)],
  jwt: ['eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl', 'eyJhbGci.short'],
};

describe('redactSecrets', () => {
  it('has a positive and a near miss for every token rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(TOKEN_RULES.map((r) => r.id).sort());
  });

  it.each(Object.entries(CASES))('%s: redacts the secret, leaves the near miss', (_id, [secret, near]) => {
    expect(redactSecrets(`token in log: ${secret} end`)).toBe('token in log: [REDACTED] end');
    expect(redactSecrets(`seen ${near} here`)).toBe(`seen ${near} here`);
  });

  it.each([
    ['bare bearer', 'curl: > Bearer ' + mixed(32), 'curl: > Bearer [REDACTED]'],
    [
      'url password with @',
      'https://bob:p@ss@db.example.com:5432/app',
      'https://[REDACTED]@db.example.com:5432/app',
    ],
    ['url password with /', 'redis://bob:pa/ss@cache:6379', 'redis://[REDACTED]@cache:6379'],
  ])('%s', (_n, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary ids alone: hex ids, commit hashes, UUIDs, digests', () => {
    const corpus = [
      'commit 3f9c2a1b7e4d5c6f8a9b0c1d2e3f4a5b6c7d8e9f',
      'request id 550e8400-e29b-41d4-a716-446655440000',
      'container 4e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f',
      'image sha256:' + rep('0123456789abcdef', 4),
      'trace_id=0af7651916cd43dd8448eb211c80319c span 00f067aa0ba902b7',
      'pod web-7f9c5d8b6-x2k4p restarted; node ip-10-0-1-23.ec2.internal',
      'Bearer realm="registry"',
    ].join('\n');
    expect(redactSecrets(corpus)).toBe(corpus);
  });
});

describe('faultline redact', () => {
  it('filters standard input, or a file, through the same redaction', async () => {
    const { faultline } = await import('../cli/run.js');
    const { tempDir } = await import('../helpers.js');
    const { writeFileSync } = await import('node:fs');
    const path = await import('node:path');
    const log =
      'ok\nDB_PASSWORD=hunter2\nhook https://hooks.slack.com/services/T0000000/B0000000/' + mixed(24) + '\n';
    const expected = 'ok\nDB_PASSWORD=[REDACTED]\nhook [REDACTED]\n';
    const piped = faultline(['redact'], { input: log });
    expect(piped).toMatchObject({ code: 0, stdout: expected });
    const file = path.join(tempDir(), 'app.log');
    writeFileSync(file, log);
    expect(faultline(['redact', file])).toMatchObject({ code: 0, stdout: expected });
    const missing = faultline(['redact', file + '.nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('app.log.nope');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
