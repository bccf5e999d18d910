import {
  diagnosticsConfigSchema,
  type DiagnosticsConfigInput,
  type HostConfig,
} from '../../src/diagnostics/config.js';
import type { Executor, RawResult, RunSpec } from '../../src/diagnostics/executor.js';
import { policyConfigSchema, type PolicyConfigInput } from '../../src/policy/schema.js';
import { MemoryAuditLog } from '../../src/audit/log.js';
import { DiagnosticsService, type DiagnosticsServiceOptions } from '../../src/diagnostics/service.js';

export const FP = (c: string): string => `SHA256:${c.repeat(43)}`;

/** An executor that runs nothing and records what it was asked. */
export class FakeExecutor implements Executor {
  readonly runs: RunSpec[] = [];
  constructor(
    readonly hostName: string,
    private readonly respond: (spec: RunSpec) => Partial<RawResult> | Error = () => ({}),
  ) {}
  async run(spec: RunSpec): Promise<RawResult> {
    this.runs.push(spec);
    const r = this.respond(spec);
    if (r instanceof Error) throw r;
    return {
      command: spec.argv.join(' '),
      exitCode: 0,
      signal: null,
      output: Buffer.from(`ran ${spec.argv.join(' ')}\n`),
      bytes: 0,
      truncated: false,
      timedOut: false,
      aborted: false,
      durationMs: 1,
      fingerprint: FP('f'),
      ...r,
    };
  }
  async check(): Promise<{ fingerprint: string }> {
    return { fingerprint: FP('f') };
  }
  async close(): Promise<void> {}
}

export interface Harness {
  service: DiagnosticsService;
  audit: MemoryAuditLog;
  executors: Map<string, FakeExecutor>;
  created: string[];
}

export function harness(
  diagnostics: DiagnosticsConfigInput,
  policy: PolicyConfigInput,
  opts: Partial<DiagnosticsServiceOptions> & {
    respond?: (host: HostConfig, spec: RunSpec) => Partial<RawResult> | Error;
  } = {},
): Harness {
  const audit = new MemoryAuditLog();
  const executors = new Map<string, FakeExecutor>();
  const created: string[] = [];
  const service = new DiagnosticsService({
    diagnostics: diagnosticsConfigSchema.parse(diagnostics),
    policy: policyConfigSchema.parse(policy),
    baseDir: '/nonexistent',
    audit,
    executorFor: (host) => {
      created.push(host.name);
      const ex = new FakeExecutor(host.name, (spec) => (opts.respond ? opts.respond(host, spec) : {}));
      executors.set(host.name, ex);
      return ex;
    },
    ...opts,
  });
  return { service, audit, executors, created };
}

export const threeHosts: DiagnosticsConfigInput = {
  hosts: [
    {
      name: 'web-1',
      address: '10.0.0.1',
      user: 'diag',
      keyPath: 'k',
      hostKeys: [FP('a')],
      labels: ['web', 'prod'],
    },
    {
      name: 'web-2',
      address: '10.0.0.2',
      user: 'diag',
      keyPath: 'k',
      hostKeys: [FP('b')],
      labels: ['web', 'prod'],
    },
    {
      name: 'db-1',
      address: '10.0.0.3',
      user: 'diag',
      keyPath: 'k',
      hostKeys: [FP('c')],
      labels: ['db', 'prod'],
    },
  ],
};

/** Values an attacker might type as a parameter. */
export const HOSTILE: Array<[string, string]> = [
  ['semicolon', '; id'],
  ['command substitution', '$(id)'],
  ['backticks', '`id`'],
  ['pipe', '| id'],
  ['and', '&& id'],
  ['newline', 'a\nid'],
  ['carriage return', 'a\rid'],
  ['NUL', 'a\0id'],
  ['quote breakout', `'; id; '`],
  ['IFS', '${IFS}id'],
  ['glob', '*'],
  ['glob class', '/etc/[p]asswd'],
  ['tilde', '~root'],
  ['redirection', '> /tmp/owned'],
  ['input redirection', '< /etc/shadow'],
  ['process substitution', '<(id)'],
  ['--help', '--help'],
  ['ProxyCommand', '-o ProxyCommand=id'],
  ['--follow', '--follow'],
  ['empty', ''],
  ['space', ' '],
  ['fullwidth semicolon', '\uFF1B id'],
  ['fullwidth dollar', '\uFF04(id)'],
  ['bidi override', 'nginx\u202E;di\u202C'],
  ['zero width', 'ngi\u200Bnx'],
  ['100,000 characters', 'a'.repeat(100_000)],
  ['path traversal', '../../etc/shadow'],
  ['backslash newline', 'a\\\nb'],
];

/** Values that must be refused even by a catalog entry that accepts any printable text. */
export const ALWAYS_REJECTED = new Set([
  'newline',
  'carriage return',
  'NUL',
  '--help',
  'ProxyCommand',
  '--follow',
  'empty',
  'bidi override',
  'zero width',
  '100,000 characters',
  'backslash newline',
]);
