import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAuditLog } from '../../src/audit/log.js';
import { BUILTIN_CATALOG } from '../../src/diagnostics/catalog.js';
import { tempDir } from '../helpers.js';

const common = { requestId: 'r1', user: 'U1', platform: 'slack' };

describe('the audit file', () => {
  it('forces mode 0600 on an existing world-readable file', async () => {
    const file = path.join(tempDir(), 'audit.jsonl');
    writeFileSync(file, '', { mode: 0o644 });
    const log = new FileAuditLog(file);
    await log.append({ event: 'decision', ...common, decision: 'deny' });
    await log.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('escapes bidi overrides and cuts a 100,000-character diagnostic id', async () => {
    const file = path.join(tempDir(), 'audit.jsonl');
    const log = new FileAuditLog(file);
    await log.append({
      event: 'request',
      ...common,
      catalogId: 'x'.repeat(100_000),
      params: { host: 'web\u202Egnp.exe' },
      target: {},
    });
    await log.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('\u202E');
    expect(text).toContain('web\\u202egnp.exe');
    expect(text.length).toBeLessThan(1000);
    const rec = JSON.parse(text) as { catalogId: string; params: { host: string } };
    expect(rec.catalogId).toBe(`${'x'.repeat(256)}… (100000 characters)`);
    expect(rec.params.host).toBe('web\u202Egnp.exe');
  });
});

describe('catalog programs that interpret their own arguments', () => {
  it('http-probe passes --globoff so curl does not expand [1-20] or {a,b} into many requests', () => {
    const entry = BUILTIN_CATALOG.find((e) => e.id === 'http-probe');
    expect(entry?.argv).toContain('--globoff');
    expect(entry?.argv.indexOf('--globoff')).toBeLessThan(entry?.argv.indexOf('{{url}}') ?? -1);
  });
});
