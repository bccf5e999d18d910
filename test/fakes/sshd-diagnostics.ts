import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditSink } from '../../src/audit/log.js';
import { DiagnosticsService } from '../../src/diagnostics/service.js';
import { diagnosticsConfigSchema } from '../../src/diagnostics/config.js';
import { policyConfigSchema } from '../../src/policy/schema.js';
import type { SshdFixture } from '../diagnostics/sshd-fixture.js';

/**
 * The diagnostics the chat front ends' end-to-end tests run against the real sshd fixture: its hosts
 * (label `db`) and a policy where `oncall` may run `ss-established` and `uptime`, and `ss-summary` only
 * with a second person's approval. Anyone else is denied.
 */
export function sshdDiagnostics(f: SshdFixture, audit: AuditSink, oncall: string[]): DiagnosticsService {
  return new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse({
      hosts: f.hosts.map((x) => ({
        name: x.name,
        address: x.address,
        port: x.port,
        user: f.user,
        keyPath: f.keyPath,
        hostKeys: [f.hostKeyFingerprint],
        labels: ['db'],
      })),
    }),
    policy: policyConfigSchema.parse({
      roles: { oncall },
      rules: [
        { effect: 'allow', roles: ['oncall'], diagnostics: ['ss-established', 'uptime'], labels: ['db'] },
        {
          effect: 'allow',
          roles: ['oncall'],
          diagnostics: ['ss-summary'],
          labels: ['db'],
          requireApproval: true,
          mayApprove: true,
        },
      ],
    }),
    baseDir: mkdtempSync(path.join(os.tmpdir(), 'faultline-sshd-')),
    audit,
  });
}
