import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import type { Executor, RawResult, RunSpec } from '../../src/diagnostics/executor.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import { slashCommand } from '../fakes/slack/payloads.js';
import { messageText, waitFor } from '../fakes/slack/web-api.js';
import { ALICE, startHarness } from '../fakes/slack/harness.js';

/** An executor that holds every run until the test opens the gate. */
class GatedExecutor implements Executor {
  started = 0;
  private open!: () => void;
  readonly gate = new Promise<void>((r) => (this.open = r));
  constructor(readonly hostName: string) {}
  release(): void {
    this.open();
  }
  async run(spec: RunSpec): Promise<RawResult> {
    this.started++;
    await this.gate;
    const out = 'load average: 0.01, 0.02, 0.03';
    return {
      command: spec.argv.join(' '),
      exitCode: 0,
      signal: null,
      output: Buffer.from(out),
      bytes: out.length,
      truncated: false,
      timedOut: false,
      aborted: false,
      durationMs: 1,
      fingerprint: 'local',
    };
  }
  async check(): Promise<{ fingerprint: string }> {
    return { fingerprint: 'local' };
  }
  async close(): Promise<void> {}
}

describe('slow work and shutdown', () => {
  it('acks a command before its slow diagnostic finishes, and stop() waits for the run and its reply', async () => {
    const ex = new GatedExecutor('web-1');
    const port = new DiagnosticsService({
      diagnostics: diagnosticsConfigSchema.parse({ hosts: [{ name: 'web-1', local: true }] }),
      policy: policyConfigSchema.parse({
        rules: [{ effect: 'allow', users: [ALICE], diagnostics: ['uptime'], hosts: ['*'] }],
      }),
      baseDir: mkdtempSync(path.join(os.tmpdir(), 'faultline-slack-life-')),
      audit: new MemoryAuditLog(),
      executorFor: () => ex,
    });
    const h = await startHarness({ mode: 'socket', diagnostics: port });
    const env = h.socket!.send(
      'slash_commands',
      slashCommand({
        user: ALICE,
        channel: 'CLIFE',
        text: 'run uptime on web-1',
        responseUrl: `${h.api.url}/response/l`,
      }),
    );
    await waitFor('run started', () => ex.started > 0);
    // The command is still running, and Slack already has its ack.
    expect(h.socket!.acked(env)).toBe(true);
    expect(h.api.posted().some((c) => messageText(c).includes('load average'))).toBe(false);
    const stopping = h.stop();
    ex.release();
    await stopping;
    expect(
      h.api.posted().some((c) => c.args.channel === 'CLIFE' && messageText(c).includes('load average')),
    ).toBe(true);
    await port.close();
  });
});
