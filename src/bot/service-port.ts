import type { AppContext } from '../app.js';
import type { AuditSink } from '../audit/log.js';
import { FileAuditLog } from '../audit/log.js';
import {
  DiagnosticsService,
  type DiagnosticOutcome as ServiceOutcome,
  type DiagnosticsServiceOptions,
  type Principal,
} from '../diagnostics/service.js';
import { Policy } from '../policy/policy.js';
import path from 'node:path';
import { ApprovalStore } from '../store/approvals.js';
import { MemoryKeyValueStore } from '../store/memory.js';
import type { Stores } from '../store/stores.js';
import type { DiagnosticOffer, DiagnosticOutcome, DiagnosticsPort, Requester } from './diagnostics.js';

/** The diagnostics flow for a loaded config; undefined when no hosts are configured (guides then offer no runs). */
export function diagnosticsPortFor(
  ctx: Pick<AppContext, 'config' | 'baseDir'>,
  /** Where pending approvals are kept; in memory when omitted. */
  store?: Stores,
): ServiceDiagnostics | undefined {
  if (ctx.config.diagnostics.hosts.length === 0) return undefined;
  return new ServiceDiagnostics({
    diagnostics: ctx.config.diagnostics,
    policy: ctx.config.policy,
    baseDir: ctx.baseDir,
    ...(store ? { approvals: store.approvals } : {}),
  });
}

function principal(r: Requester): Principal {
  return { user: r.user, platform: r.platform, channel: r.channel, ...(r.roles ? { roles: r.roles } : {}) };
}

/**
 * The conversation's view of `DiagnosticsService`. It owns the approvals store and audit sink it gives the
 * service, so that rejecting a pending request (which the service has no call for) is checked by the same
 * policy and written to the same audit log.
 */
export class ServiceDiagnostics implements DiagnosticsPort {
  readonly service: DiagnosticsService;
  private readonly approvals: ApprovalStore;
  private readonly audit: AuditSink;
  private readonly policy: Policy;

  constructor(opts: DiagnosticsServiceOptions) {
    this.approvals = opts.approvals ?? new ApprovalStore(new MemoryKeyValueStore());
    this.audit = opts.audit ?? new FileAuditLog(path.resolve(opts.baseDir, opts.diagnostics.audit.path));
    this.policy = new Policy(opts.policy);
    this.service = new DiagnosticsService({ ...opts, approvals: this.approvals, audit: this.audit });
  }

  async offers(
    who: Requester,
    wanted: readonly { id: string; params: Record<string, string | number> }[],
  ): Promise<DiagnosticOffer[]> {
    return this.service.offersFor(wanted, principal(who)).map((o) => {
      const entry = this.service.catalog.get(o.catalogId);
      const specs = entry?.params ?? {};
      return {
        catalogId: o.catalogId,
        description: o.description,
        hosts: o.hosts.map((h) => h.name),
        needsApproval: o.hosts.some((h) => h.needsApproval),
        params: Object.entries(specs).map(([name, spec]) => {
          const given = o.params[name];
          return {
            name,
            ...(spec.description ? { description: spec.description } : {}),
            ...(given !== undefined ? { suggested: String(given) } : {}),
            ...(spec.type === 'enum' ? { choices: spec.values } : {}),
          };
        }),
      };
    });
  }

  async request(
    who: Requester,
    catalogId: string,
    host: string,
    params: Record<string, string | number>,
  ): Promise<DiagnosticOutcome> {
    return this.map(
      await this.service.request({ ...principal(who), catalogId, host, params }),
      who.user,
      params,
    );
  }

  async approve(approver: Requester, requestId: string): Promise<DiagnosticOutcome> {
    const pending = await this.approvals.get(requestId);
    const out = this.map(
      await this.service.approve(requestId, principal(approver)),
      pending?.requester.user ?? '',
      pending?.params ?? {},
    );
    if (out.kind === 'result') out.approvedBy = approver.user;
    return out;
  }

  async reject(approver: Requester, requestId: string): Promise<{ ok: boolean; reason?: string }> {
    const pending = await this.approvals.get(requestId);
    if (!pending)
      return { ok: false, reason: 'no pending request with that id (expired, or already handled)' };
    const hosts = this.service.hosts();
    // The requester may withdraw; anyone else must be someone who could approve it.
    if (approver.user !== pending.requester.user) {
      for (const name of pending.hosts) {
        const h = hosts.find((x) => x.name === name) ?? { name, labels: [] };
        const d = this.policy.decide(principal(approver), { catalogId: pending.catalogId, host: h });
        if (d.effect !== 'allow')
          return { ok: false, reason: `${approver.user} may not decide on ${pending.catalogId} on ${name}` };
      }
    }
    if (!(await this.approvals.take(requestId))) return { ok: false, reason: 'already handled' };
    await this.audit.append({
      event: 'approval',
      requestId,
      user: pending.requester.user,
      platform: pending.requester.platform,
      ...(pending.requester.channel ? { channel: pending.requester.channel } : {}),
      catalogId: pending.catalogId,
      approver: approver.user,
      decision: 'refused',
      reason: approver.user === pending.requester.user ? 'withdrawn by the requester' : 'rejected',
    });
    return { ok: true };
  }

  close(): Promise<void> {
    return this.service.close();
  }

  private map(
    o: ServiceOutcome,
    requester: string,
    params: Record<string, string | number>,
  ): DiagnosticOutcome {
    switch (o.status) {
      case 'invalid':
        return { kind: 'invalid', reason: o.reason };
      case 'denied':
        return { kind: 'denied', reason: o.reason };
      case 'needs-approval': {
        const host = o.hosts[0] ?? '';
        return {
          kind: 'needs-approval',
          requestId: o.requestId,
          catalogId: o.catalogId,
          host: o.hosts.join(', '),
          params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
          requester,
          ...(o.commands[host] !== undefined ? { command: o.commands[host] } : {}),
        };
      }
      case 'ran': {
        const r = o.results[0];
        if (!r) return { kind: 'error', reason: 'no host ran the diagnostic' };
        if (r.status === 'denied') return { kind: 'denied', reason: r.error ?? 'denied' };
        if (r.status === 'error') return { kind: 'error', reason: r.error ?? 'the diagnostic did not run' };
        return {
          kind: 'result',
          requestId: o.requestId,
          catalogId: o.catalogId,
          host: r.host,
          params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
          exitCode: r.exitCode,
          output: r.full,
          shown: r.text,
          trimmed: r.trimmed,
          truncated: r.truncated,
          ...(r.timedOut ? { summary: 'The command timed out and was stopped.' } : {}),
        };
      }
    }
  }
}
