import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { ProblemsError } from '../../src/util/problems.js';
import { FP } from './helpers.js';

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'faultline.yaml');
    return [];
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.map((p) => `${p.line}: ${p.message}`);
    throw e;
  }
}

const host = (extra = '') => `diagnostics:
  hosts:
    - name: web-1
      address: 10.0.0.1
      user: diag
      keyPath: keys/diag
      hostKeys: ["${FP('a')}"]
      labels: [web]
${extra}`;

describe('diagnostics and policy config', () => {
  it('accepts a full example and fills defaults', () => {
    const cfg = parseConfigText(
      `${host()}  catalog:
    - id: nginx-test
      description: nginx config check
      argv: [nginx, -t]
      needsApproval: true
policy:
  rules:
    - { effect: allow, roles: [oncall], diagnostics: ["*"], labels: [web] }
`,
      'f.yaml',
    );
    expect(cfg.diagnostics.hosts[0]).toMatchObject({ name: 'web-1', port: 22 });
    expect(cfg.diagnostics.pool.maxChannelsPerHost).toBe(4);
    expect(cfg.diagnostics.audit.path).toBe('.faultline/audit.jsonl');
    expect(cfg.diagnostics.catalog[0]?.timeoutSeconds).toBe(20);
    expect(cfg.policy.rules[0]?.requireApproval).toBe(false);
  });

  it('defaults to no hosts and no rules', () => {
    const cfg = parseConfigText('{}', 'f.yaml');
    expect(cfg.diagnostics.hosts).toEqual([]);
    expect(cfg.policy.rules).toEqual([]);
  });

  it('names a malformed fingerprint with its line', () => {
    const p = problems(host().replace(FP('a'), 'SHA256:short'));
    expect(p.join('\n')).toMatch(
      /^7: diagnostics\.hosts\.0\.hostKeys\.0: must be an OpenSSH SHA256 fingerprint/m,
    );
  });

  it('needs exactly one of keyPath or agent', () => {
    expect(problems(host().replace('      keyPath: keys/diag\n', '')).join('\n')).toMatch(
      /exactly one of keyPath or agent/,
    );
    expect(
      problems(
        host('      agent: true\n').replace('labels: [web]\n      agent', 'labels: [web]\n      agent'),
      ).join('\n'),
    ).toMatch(/exactly one of keyPath or agent|unknown field/);
  });

  it('rejects duplicate hosts, built-in id clashes and bad templates', () => {
    const dup = problems(`${host()}    - { name: web-1, local: true }\n`);
    expect(dup.join('\n')).toMatch(/host web-1 is defined twice/);
    const clash = problems(
      `diagnostics:\n  catalog:\n    - { id: uptime, description: x, argv: [uptime] }\n`,
    );
    expect(clash.join('\n')).toMatch(/catalog id uptime is already defined/);
    const undeclared = problems(
      `diagnostics:\n  catalog:\n    - { id: cat-file, description: x, argv: [cat, "{{path}}"] }\n`,
    );
    expect(undeclared.join('\n')).toMatch(/undeclared parameter \{\{path\}\}/);
    const program = problems(
      `diagnostics:\n  catalog:\n    - { id: any-prog, description: x, argv: ["{{p}}"], params: { p: { type: unit } } }\n`,
    );
    expect(program.join('\n')).toMatch(/program must be a literal/);
  });

  it('rejects a policy rule that names no one or no host', () => {
    expect(
      problems(`policy:\n  rules:\n    - { effect: allow, diagnostics: ["*"], hosts: ["*"] }\n`).join('\n'),
    ).toMatch(/needs users or roles/);
    expect(
      problems(`policy:\n  rules:\n    - { effect: allow, users: [a], diagnostics: ["*"] }\n`).join('\n'),
    ).toMatch(/needs hosts or labels/);
  });
});
