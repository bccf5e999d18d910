import type { PolicyConfig, PolicyRule } from './schema.js';

/** Who is asking, in platform-neutral terms. */
export interface Principal {
  user: string;
  /** Roles or groups the platform reports; the policy's own `roles` map adds more. */
  roles?: readonly string[];
  /**
   * Set when the platform could not say which groups or roles this person has: every decision is then a
   * denial, since a deny rule on a group cannot be honoured without knowing the groups.
   */
  rolesError?: string;
  channel?: string;
  platform: string;
  /** The operating-system account behind a command-line user, for the audit log (the policy ignores it). */
  osUser?: string;
}

export interface PolicyTarget {
  catalogId: string;
  host: { name: string; labels: readonly string[] };
}

/**
 * The one self-approval rule: the same user id is the same person, whatever the platform says, so that
 * nobody approves their own request from a second front end.
 */
export function samePerson(a: Pick<Principal, 'user'>, b: Pick<Principal, 'user'>): boolean {
  return a.user === b.user;
}

export type PolicyDecision =
  | { effect: 'allow'; requireApproval: boolean; rule: number }
  | { effect: 'deny'; reason: string; rule?: number };

const any = (list: readonly string[] | undefined, pred: (v: string) => boolean): boolean =>
  list === undefined || list.some((v) => v === '*' || pred(v));

export class Policy {
  constructor(private readonly config: PolicyConfig) {}

  /** The principal's roles: what the platform said plus the config's role map. */
  rolesOf(p: Principal): Set<string> {
    const roles = new Set(p.roles ?? []);
    for (const [role, users] of Object.entries(this.config.roles))
      if (users.includes(p.user)) roles.add(role);
    return roles;
  }

  private matches(rule: PolicyRule, p: Principal, roles: Set<string>, t: PolicyTarget): boolean {
    // users and roles are alternatives: a rule naming both matches a person in either list.
    const who =
      (rule.users !== undefined && rule.users.some((u) => u === '*' || u === p.user)) ||
      (rule.roles !== undefined && rule.roles.some((r) => r === '*' || roles.has(r)));
    if (!who) return false;
    if (!any(rule.channels, (c) => c === p.channel)) return false;
    if (!any(rule.platforms, (x) => x === p.platform)) return false;
    if (!rule.diagnostics.some((d) => d === '*' || d === t.catalogId)) return false;
    const byName = rule.hosts !== undefined && rule.hosts.some((h) => h === '*' || h === t.host.name);
    const byLabel =
      rule.labels !== undefined && rule.labels.some((l) => l === '*' || t.host.labels.includes(l));
    return byName || byLabel;
  }

  /** Default deny; any matching deny rule wins over every allow. */
  decide(p: Principal, t: PolicyTarget): PolicyDecision {
    if (p.rolesError !== undefined)
      return {
        effect: 'deny',
        reason: `could not look up the groups and roles of ${p.user} (${p.rolesError}), so nothing is allowed until it can`,
      };
    const roles = this.rolesOf(p);
    let allow: { rule: number; requireApproval: boolean } | undefined;
    for (const [i, rule] of this.config.rules.entries()) {
      if (!this.matches(rule, p, roles, t)) continue;
      if (rule.effect === 'deny')
        return {
          effect: 'deny',
          reason: `denied by policy rule ${i + 1}${rule.note ? ` (${rule.note})` : ''}`,
          rule: i,
        };
      // Among several allows the strictest wins: any of them asking for approval means approval.
      allow = allow
        ? { rule: allow.rule, requireApproval: allow.requireApproval || rule.requireApproval }
        : { rule: i, requireApproval: rule.requireApproval };
    }
    if (!allow)
      return {
        effect: 'deny',
        reason: `no policy rule allows ${p.user} to run ${t.catalogId} on ${t.host.name}`,
      };
    return { effect: 'allow', ...allow };
  }

  /**
   * Whether `p` may approve (or reject) someone else's run of `t`. A matching deny rule refuses; a matching
   * allow rule with `mayApprove` grants; otherwise only a person who may run it without approval may
   * grant it, so that needing approval is never a right to give it.
   */
  decideApproval(p: Principal, t: PolicyTarget): { effect: 'allow' } | { effect: 'deny'; reason: string } {
    const run = this.decide(p, t);
    if (run.effect === 'deny') return run;
    if (!run.requireApproval) return { effect: 'allow' };
    const roles = this.rolesOf(p);
    const granted = this.config.rules.some(
      (rule) => rule.effect === 'allow' && rule.mayApprove && this.matches(rule, p, roles, t),
    );
    if (granted) return { effect: 'allow' };
    return { effect: 'deny', reason: `they need approval to run ${t.catalogId} themselves` };
  }
}
