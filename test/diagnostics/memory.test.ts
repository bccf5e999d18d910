import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run.js';

const CAP = 16 * 1024 * 1024;

/**
 * Peak RSS growth of a fresh process that runs a flood to a 16 MiB cap through the local executor and
 * the same cleaning the service does (strip, redact, trim). A fresh process, since vitest's own peak
 * would hide the figure.
 */
function peakGrowthMiB(): number {
  const script = `
    const { LocalExecutor } = await import(${JSON.stringify(`${ROOT}/dist/src/diagnostics/local.js`)});
    const { stripControl, redactSecrets, trimForChat } = await import(${JSON.stringify(`${ROOT}/dist/src/diagnostics/output.js`)});
    const base = process.resourceUsage().maxRSS;
    const ex = new LocalExecutor({ name: 'here', local: true, labels: [] }, 1);
    const raw = await ex.run({ argv: ['yes', 'faultline flood line'], timeoutSeconds: 30, maxOutputBytes: ${CAP} });
    if (!raw.truncated) throw new Error('the flood did not reach the cap');
    const full = redactSecrets(stripControl(raw.output.toString('utf8')));
    trimForChat(full, 3000, 'tail');
    console.log((process.resourceUsage().maxRSS - base) / 1024);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return Number(r.stdout.trim());
}

describe('memory of a large output cap', () => {
  it('stays within a small multiple of a 16 MiB cap', () => {
    const growth = peakGrowthMiB();
    // The chunks and their one concatenation are 2x; cleaning used to add about 10x more.
    expect(growth).toBeLessThan(4 * (CAP / 2 ** 20));
  }, 60_000);
});
