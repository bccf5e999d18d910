import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { boundedAuditValue, FileAuditLog, type AuditSink } from '../audit/log.js';
import type { Origin, PendingApproval } from '../policy/approvals.js';
import { ApprovalStore } from '../store/approvals.js';
import { MemoryKeyValueStore } from '../store/memory.js';
import { Policy, samePerson, type Principal } from '../policy/policy.js';
import type { PolicyConfig } from '../policy/schema.js';
import { buildArgv, Catalog, type CatalogEntry } from './catalog.js';
import { isLocalHost, type DiagnosticsConfig, type HostConfig } from './config.js';
import type { Executor, RawResult } from './executor.js';
import { mapLimit } from './fanout.js';
import { LocalExecutor } from './local.js';
import { redactSecrets, stripControl, summarizeTlsCerts, trimForChat } from './output.js';
import { ParamError, type ParamValue } from './params.js';
import { buildRemoteCommand, UnsafeArgumentError } from './quote.js';
import { SshExecutor } from './ssh.js';

export type { Principal } from '../policy/policy.js';
export type { Origin, PendingApproval } from '../policy/approvals.js';

/** A guide's reference to a catalog entry: its id, or the id with fixed or suggested parameter values. */
export type GuideDiagnostic = string | { id: string; params?: Record<string, ParamValue> };

export interface DiagnosticRequest extends Principal {
  catalogId: string;
  /** Exactly one of `host` (a name), `hosts` (names) or `label` (every host carrying it). */
  host?: string;
  hosts?: string[];
  label?: string;
  params?: Record<string, ParamValue>;
  /** The conversation asking; kept with a pending approval so the decision and result go back there. */
  origin?: Origin;
}

export interface HostRunResult {
  host: string;
  /** `ok`: exit 0; `failed`: ran but non-zero, signalled or timed out; `error`: did not run; `denied`: policy. */
  status: 'ok' | 'failed' | 'error' | 'denied';
  /** Redacted and cut to a chat message. */
  text: string;
  /** Redacted, complete (up to the output cap): for a file upload. */
  full: string;
  /** Whether `text` leaves out part of `full`. */
  trimmed: boolean;
  exitCode: number | null;
  signal: string | null;
  /** The output cap was reached and the command was stopped. */
  truncated: boolean;
  timedOut: boolean;
  bytes: number;
  durationMs: number;
  command?: string;
  error?: string;
}

/**
 * For a caller that shows a fan-out as it runs: `onHost` gets each host's result as soon as it is known
 * (after its audit line), in the order the hosts finish, so the slowest host holds back only itself. The
 * outcome still carries every result, in the hosts' order.
 */
export interface RunProgress {
  onHost?: (result: HostRunResult, run: RunContext) => void | Promise<void>;
}

/** What a host's result belongs to, for a caller that shows it before the outcome exists. */
export interface RunContext {
  requestId: string;
  catalogId: string;
  /** Validated, canonical parameter values. */
  params: Record<string, string>;
  requester: Principal;
  approvedBy?: string;
}

/** Why an approval or rejection was refused, for wording that depends on it. */
export type Refusal = 'unknown' | 'self-approval' | 'not-allowed' | 'expired' | 'stale';

/** Every answer of the diagnostics service: to a request, an approval or a rejection. */
export type DiagnosticOutcome =
  | { status: 'invalid'; requestId: string; reason: string; refusal?: Refusal }
  | { status: 'denied'; requestId: string; reason: string; refusal?: Refusal }
  | {
      status: 'needs-approval';
      requestId: string;
      catalogId: string;
      hosts: string[];
      /** Validated, canonical parameter values. */
      params: Record<string, string>;
      commands: Record<string, string>;
      expiresAt: string;
    }
  | {
      status: 'ran';
      requestId: string;
      catalogId: string;
      params: Record<string, string>;
      results: HostRunResult[];
      requester: Principal;
      /** Set when the run waited for approval: who gave it, and where the request was made. */
      approvedBy?: string;
      origin?: Origin;
    }
  | {
      status: 'rejected';
      requestId: string;
      catalogId: string;
      hosts: string[];
      requester: Principal;
      /** Who rejected it; the requester withdrawing their own request counts as a rejection. */
      by: string;
      origin?: Origin;
    };

export interface Offer {
  catalogId: string;
  description: string;
  /** Values the guide fixes or suggests. */
  params: Record<string, ParamValue>;
  /** Declared parameters the guide leaves to the user. */
  missingParams: string[];
  /** Hosts this user may run it on, and whether a run there waits for approval. */
  hosts: Array<{ name: string; labels: string[]; needsApproval: boolean }>;
}

export interface HostSummary {
  name: string;
  kind: 'ssh' | 'local';
  address?: string;
  port?: number;
  user?: string;
  labels: string[];
  pinnedKeys: number;
}

export interface HostCheck {
  host: string;
  ok: boolean;
  fingerprint?: string;
  error?: string;
}

export interface DiagnosticsServiceOptions {
  diagnostics: DiagnosticsConfig;
  policy: PolicyConfig;
  /** Relative paths in the config (audit log, key files) are resolved against this. */
  baseDir: string;
  audit?: AuditSink;
  approvals?: ApprovalStore;
  /** Replaces the SSH/local executors (tests, benchmarks). */
  executorFor?: (host: HostConfig) => Executor;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** Parameters as typed, bounded for the log: a 100,000-character value is recorded by length, not in full. */
function auditableParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params).slice(0, 32)) {
    const key = k.slice(0, 64);
    if (typeof v === 'string') out[key] = boundedAuditValue(v);
    else if (typeof v === 'number') out[key] = v;
    else out[key] = `(${typeof v})`;
  }
  return out;
}

/**
 * The diagnostics flow as the bot and the CLI see it: validate, decide by policy, wait for approval when
 * needed, run, clean the output, and write every step to the audit log before anyone sees a result.
 */
export class DiagnosticsService {
  readonly catalog: Catalog;
  private readonly policy: Policy;
  private readonly audit: AuditSink;
  private readonly approvals: ApprovalStore;
  private readonly hostsByName = new Map<string, HostConfig>();
  private readonly executors = new Map<string, Executor>();
  private readonly now: () => Date;

  constructor(private readonly opts: DiagnosticsServiceOptions) {
    this.catalog = new Catalog(opts.diagnostics.catalog);
    this.policy = new Policy(opts.policy);
    this.audit = opts.audit ?? new FileAuditLog(path.resolve(opts.baseDir, opts.diagnostics.audit.path));
    this.approvals = opts.approvals ?? new ApprovalStore(new MemoryKeyValueStore());
    this.now = opts.now ?? (() => new Date());
    for (const h of opts.diagnostics.hosts) this.hostsByName.set(h.name, h);
  }

  /** The usual construction from the parsed config file (`config.diagnostics`, `config.policy`). */
  static fromConfig(
    config: { diagnostics: DiagnosticsConfig; policy: PolicyConfig },
    baseDir: string,
    /** Where pending approvals live (the bot's store); in memory when omitted. */
    approvals?: ApprovalStore,
  ): DiagnosticsService {
    return new DiagnosticsService({
      diagnostics: config.diagnostics,
      policy: config.policy,
      baseDir,
      ...(approvals ? { approvals } : {}),
    });
  }

  hosts(): HostSummary[] {
    return [...this.hostsByName.values()].map((h) =>
      isLocalHost(h)
        ? { name: h.name, kind: 'local', labels: h.labels, pinnedKeys: 0 }
        : {
            name: h.name,
            kind: 'ssh',
            address: h.address,
            port: h.port,
            user: h.user,
            labels: h.labels,
            pinnedKeys: h.hostKeys.length,
          },
    );
  }

  private executor(host: HostConfig): Executor {
    let ex = this.executors.get(host.name);
    if (!ex) {
      if (this.opts.executorFor) ex = this.opts.executorFor(host);
      else if (isLocalHost(host)) ex = new LocalExecutor(host, this.opts.diagnostics.pool.killAfterSeconds);
      else ex = new SshExecutor(host, this.opts.diagnostics.pool, this.opts.baseDir, this.opts.env);
      this.executors.set(host.name, ex);
    }
    return ex;
  }

  /** Connects to every host and verifies its key. */
  async checkHosts(): Promise<HostCheck[]> {
    return mapLimit([...this.hostsByName.values()], this.opts.diagnostics.fanoutConcurrency, async (h) => {
      try {
        const { fingerprint } = await this.executor(h).check();
        return { host: h.name, ok: true, fingerprint };
      } catch (e) {
        return { host: h.name, ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    });
  }

  /** Which of a guide's diagnostics this person may run, and where. */
  offersFor(guideDiagnostics: readonly GuideDiagnostic[], who: Principal): Offer[] {
    const offers: Offer[] = [];
    for (const ref of guideDiagnostics) {
      const id = typeof ref === 'string' ? ref : ref.id;
      const params = typeof ref === 'string' ? {} : (ref.params ?? {});
      const entry = this.catalog.get(id);
      if (!entry) continue;
      const hosts: Offer['hosts'] = [];
      for (const h of this.hostsByName.values()) {
        const d = this.policy.decide(who, { catalogId: id, host: h });
        if (d.effect === 'allow')
          hosts.push({
            name: h.name,
            labels: h.labels,
            needsApproval: entry.needsApproval || d.requireApproval,
          });
      }
      if (hosts.length === 0) continue;
      const missingParams = Object.keys(entry.params).filter((p) => !Object.hasOwn(params, p));
      offers.push({ catalogId: id, description: entry.description, params, missingParams, hosts });
    }
    return offers;
  }

  /** The same `timeout -k ...` command line for SSH and local hosts (the local one runs it without a shell). */
  private commandFor(argv: string[], entry: CatalogEntry): string {
    return buildRemoteCommand(argv, {
      timeoutSeconds: entry.timeoutSeconds,
      killAfterSeconds: this.opts.diagnostics.pool.killAfterSeconds,
    });
  }

  async request(req: DiagnosticRequest, progress: RunProgress = {}): Promise<DiagnosticOutcome> {
    const requestId = randomUUID();
    const common = {
      requestId,
      user: req.user,
      ...(req.osUser !== undefined ? { osUser: req.osUser } : {}),
      platform: req.platform,
      channel: req.channel,
      catalogId: req.catalogId,
    };
    await this.audit.append({
      event: 'request',
      ...common,
      params: auditableParams(req.params ?? {}),
      target: { host: req.host ?? req.hosts?.slice(0, 32).join(','), label: req.label },
    });
    const invalid = async (reason: string): Promise<DiagnosticOutcome> => {
      await this.audit.append({ event: 'decision', ...common, decision: 'invalid', reason });
      return { status: 'invalid', requestId, reason };
    };

    // Everything a user typed is checked here, before any executor exists.
    const entry = this.catalog.get(req.catalogId);
    if (!entry) return invalid(`unknown diagnostic ${JSON.stringify(req.catalogId.slice(0, 64))}`);
    if ([req.host, req.hosts, req.label].filter((t) => t !== undefined).length !== 1)
      return invalid('give exactly one of host, hosts or label');
    let targets: HostConfig[];
    const named = req.host !== undefined ? [req.host] : req.hosts;
    if (named !== undefined) {
      if (named.length === 0) return invalid('no host given');
      targets = [];
      for (const name of new Set(named)) {
        const h = this.hostsByName.get(name);
        if (!h) return invalid(`unknown host ${JSON.stringify(name.slice(0, 64))}`);
        targets.push(h);
      }
    } else {
      targets = [...this.hostsByName.values()].filter((h) => h.labels.includes(req.label ?? ''));
      if (targets.length === 0)
        return invalid(`no host has the label ${JSON.stringify((req.label ?? '').slice(0, 64))}`);
    }
    let argv: string[];
    let params: Record<string, string>;
    const commands: Record<string, string> = {};
    try {
      ({ argv, params } = buildArgv(entry, req.params ?? {}));
      for (const h of targets) commands[h.name] = this.commandFor(argv, entry);
    } catch (e) {
      if (e instanceof ParamError || e instanceof UnsafeArgumentError) return invalid(e.message);
      throw e;
    }

    const allowed: HostConfig[] = [];
    const denied: HostRunResult[] = [];
    let needsApproval = entry.needsApproval;
    for (const h of targets) {
      const d = this.policy.decide(req, { catalogId: entry.id, host: h });
      if (d.effect === 'allow') {
        allowed.push(h);
        needsApproval ||= d.requireApproval;
      } else denied.push(deniedResult(h.name, d.reason));
    }
    if (allowed.length === 0) {
      const reason =
        denied.length === 1
          ? (denied[0]?.error ?? 'denied')
          : `denied on every host (${denied.map((d) => d.host).join(', ')})`;
      await this.audit.append({
        event: 'decision',
        ...common,
        decision: 'deny',
        reason,
        hosts: targets.map((h) => h.name),
      });
      return { status: 'denied', requestId, reason };
    }
    const hostNames = allowed.map((h) => h.name);
    if (needsApproval) {
      const created = this.now();
      const lifetimeMs = this.opts.policy.approvalTtlMinutes * 60_000;
      const pending: PendingApproval = {
        id: requestId,
        createdAt: created.toISOString(),
        expiresAt: new Date(created.getTime() + lifetimeMs).toISOString(),
        requester: {
          user: req.user,
          roles: req.roles ? [...req.roles] : [],
          channel: req.channel,
          platform: req.platform,
        },
        catalogId: entry.id,
        hosts: hostNames,
        params,
        commands: Object.fromEntries(hostNames.map((n) => [n, commands[n] ?? ''])),
        ...(req.origin ? { origin: { ...req.origin } } : {}),
      };
      await this.approvals.put(pending, lifetimeMs);
      await this.audit.append({ event: 'decision', ...common, decision: 'needs-approval', hosts: hostNames });
      return {
        status: 'needs-approval',
        requestId,
        catalogId: entry.id,
        hosts: hostNames,
        params,
        commands: pending.commands,
        expiresAt: pending.expiresAt,
      };
    }
    await this.audit.append({
      event: 'decision',
      ...common,
      decision: 'allow',
      hosts: hostNames,
      ...(denied.length ? { reason: `denied on ${denied.map((d) => d.host).join(', ')}` } : {}),
    });
    const run: RunContext = { requestId, catalogId: entry.id, params, requester: principalOf(req) };
    for (const d of denied) await progress.onHost?.(d, run);
    const results = await this.execute(common, entry, allowed, argv, params, progress, run);
    return {
      status: 'ran',
      requestId,
      catalogId: entry.id,
      params,
      results: [...results, ...denied],
      requester: principalOf(req),
    };
  }

  /** Requests waiting for approval, for a bot to list or re-render. */
  pending(): Promise<PendingApproval[]> {
    return this.approvals.list();
  }

  /**
   * A second person approves a pending request. They must be someone else whom the policy lets approve
   * this diagnostic on every host of the request, and the requester must still be allowed to run it. Every
   * check comes before the request is taken, so a refused click leaves it pending for the right person;
   * every attempt, refused or not, leaves an audit line.
   */
  async approve(
    requestId: string,
    approver: Principal,
    progress: RunProgress = {},
  ): Promise<DiagnosticOutcome> {
    const found = await this.pendingFor(requestId, approver);
    if ('outcome' in found) return found.outcome;
    const { pending, refuse } = found;
    if (samePerson(approver, pending.requester))
      return refuse('approval must come from a second person', 'self-approval', false);
    const entry = this.catalog.get(pending.catalogId);
    const hosts = pending.hosts.map((n) => this.hostsByName.get(n));
    if (!entry || hosts.some((h) => h === undefined))
      return refuse('the diagnostic or a host no longer exists', 'stale', true);
    const targets = hosts as HostConfig[];
    for (const h of targets) {
      const d = this.policy.decideApproval(approver, { catalogId: entry.id, host: h });
      if (d.effect !== 'allow')
        return refuse(
          `${approver.user} may not approve ${entry.id} on ${h.name}: ${d.reason}`,
          'not-allowed',
          false,
        );
      // The requester must still be allowed too: policy may have changed while the request waited.
      const r = this.policy.decide(pending.requester, { catalogId: entry.id, host: h });
      if (r.effect !== 'allow')
        return refuse(
          `${pending.requester.user} is no longer allowed to run ${entry.id} on ${h.name}`,
          'stale',
          true,
        );
    }
    let argv: string[];
    try {
      ({ argv } = buildArgv(entry, pending.params));
    } catch (e) {
      return refuse(e instanceof Error ? e.message : String(e), 'stale', true);
    }
    if (!(await this.approvals.take(requestId))) return refuse(ALREADY_HANDLED, 'unknown', false);
    const common = auditCommon(pending);
    await this.audit.append({ event: 'approval', ...common, approver: approver.user, decision: 'approved' });
    const results = await this.execute(common, entry, targets, argv, pending.params, progress, {
      requestId,
      catalogId: entry.id,
      params: pending.params,
      requester: pending.requester,
      approvedBy: approver.user,
    });
    return {
      status: 'ran',
      requestId,
      catalogId: entry.id,
      params: pending.params,
      results,
      requester: pending.requester,
      approvedBy: approver.user,
      ...(pending.origin ? { origin: pending.origin } : {}),
    };
  }

  /**
   * Rejects a pending request: the requester withdrawing it, or someone who could approve it. Nothing
   * runs; the request is gone for everyone.
   */
  async reject(requestId: string, decider: Principal): Promise<DiagnosticOutcome> {
    const found = await this.pendingFor(requestId, decider);
    if ('outcome' in found) return found.outcome;
    const { pending, refuse } = found;
    const withdrawn = samePerson(decider, pending.requester);
    if (!withdrawn) {
      for (const name of pending.hosts) {
        const host = this.hostsByName.get(name) ?? { name, labels: [] };
        const d = this.policy.decideApproval(decider, { catalogId: pending.catalogId, host });
        if (d.effect !== 'allow')
          return refuse(
            `${decider.user} may not decide on ${pending.catalogId} on ${name}: ${d.reason}`,
            'not-allowed',
            false,
          );
      }
    }
    if (!(await this.approvals.take(requestId))) return refuse(ALREADY_HANDLED, 'unknown', false);
    await this.audit.append({
      event: 'approval',
      ...auditCommon(pending),
      approver: decider.user,
      decision: 'rejected',
      reason: withdrawn ? 'withdrawn by the requester' : 'rejected',
    });
    return {
      status: 'rejected',
      requestId,
      catalogId: pending.catalogId,
      hosts: pending.hosts,
      requester: pending.requester,
      by: decider.user,
      ...(pending.origin ? { origin: pending.origin } : {}),
    };
  }

  /**
   * The pending request a decision is about, with a `refuse` that audits a refusal (and drops the request
   * when it can never be approved); an unknown, handled or expired id is refused and audited here.
   */
  private async pendingFor(
    requestId: string,
    decider: Principal,
  ): Promise<
    | { outcome: DiagnosticOutcome }
    | {
        pending: PendingApproval;
        refuse: (reason: string, refusal: Refusal, drop: boolean) => Promise<DiagnosticOutcome>;
      }
  > {
    const pending = await this.approvals.get(requestId);
    if (!pending) {
      await this.audit.append({
        event: 'approval',
        requestId,
        user: decider.user,
        platform: decider.platform,
        ...(decider.channel !== undefined ? { channel: decider.channel } : {}),
        approver: decider.user,
        decision: 'refused',
        reason: UNKNOWN_REQUEST,
      });
      return { outcome: { status: 'invalid', requestId, reason: UNKNOWN_REQUEST, refusal: 'unknown' } };
    }
    const refuse = async (reason: string, refusal: Refusal, drop: boolean): Promise<DiagnosticOutcome> => {
      if (drop) await this.approvals.take(requestId);
      await this.audit.append({
        event: 'approval',
        ...auditCommon(pending),
        approver: decider.user,
        decision: 'refused',
        reason,
      });
      return refusal === 'unknown'
        ? { status: 'invalid', requestId, reason, refusal }
        : { status: 'denied', requestId, reason, refusal };
    };
    if (new Date(pending.expiresAt).getTime() <= this.now().getTime())
      return { outcome: await refuse('the request has expired', 'expired', true) };
    return { pending, refuse };
  }

  private async execute(
    common: { requestId: string; user: string; platform: string; channel?: string; catalogId: string },
    entry: CatalogEntry,
    hosts: HostConfig[],
    argv: string[],
    params: Record<string, string>,
    progress: RunProgress,
    run: RunContext,
  ): Promise<HostRunResult[]> {
    // A caller's failing callback must not leave the other hosts' runs unawaited: it is thrown at the end.
    let failed: { error: unknown } | undefined;
    const results = await mapLimit(hosts, this.opts.diagnostics.fanoutConcurrency, async (host) => {
      const result = await this.runOn(common, entry, host, argv, params);
      try {
        await progress.onHost?.(result, run);
      } catch (error) {
        failed ??= { error };
      }
      return result;
    });
    if (failed) throw failed.error;
    return results;
  }

  /** One host of a run: execute, clean, audit; a failure to run is a result too. */
  private async runOn(
    common: { requestId: string; user: string; platform: string; channel?: string; catalogId: string },
    entry: CatalogEntry,
    host: HostConfig,
    argv: string[],
    params: Record<string, string>,
  ): Promise<HostRunResult> {
    const command = this.commandFor(argv, entry);
    let raw: RawResult;
    try {
      raw = await this.executor(host).run({
        argv,
        timeoutSeconds: entry.timeoutSeconds,
        maxOutputBytes: entry.maxOutputBytes,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // A failure to run is audited like a result: who tried what where, and why it did not run.
      await this.audit.append({
        event: 'result',
        ...common,
        host: host.name,
        params,
        command,
        exitCode: null,
        signal: null,
        bytes: 0,
        durationMs: 0,
        truncated: false,
        timedOut: false,
        error: message,
      });
      return { ...deniedResult(host.name, message), status: 'error', command };
    }
    let clean = stripControl(raw.output.toString('utf8'));
    if (entry.summarize === 'tls-certs') clean = `${summarizeTlsCerts(clean, this.now())}\n\n${clean}`;
    const full = redactSecrets(clean);
    const { text, trimmed } = trimForChat(full, this.opts.diagnostics.chatOutputChars, entry.keep);
    const result: HostRunResult = {
      host: host.name,
      // A command stopped only because its output hit the cap still produced a useful answer.
      status: !raw.timedOut && (raw.exitCode === 0 || (raw.truncated && !raw.aborted)) ? 'ok' : 'failed',
      text,
      full,
      trimmed,
      exitCode: raw.exitCode,
      signal: raw.signal,
      truncated: raw.truncated,
      timedOut: raw.timedOut,
      bytes: raw.bytes,
      durationMs: Math.round(raw.durationMs),
      command: raw.command,
    };
    await this.audit.append({
      event: 'result',
      ...common,
      host: host.name,
      fingerprint: raw.fingerprint,
      params,
      command: raw.command,
      exitCode: raw.exitCode,
      signal: raw.signal,
      bytes: raw.bytes,
      durationMs: result.durationMs,
      truncated: raw.truncated,
      timedOut: raw.timedOut,
      outputSha256: createHash('sha256').update(raw.output).digest('hex'),
    });
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.executors.values()].map((e) => e.close()));
    this.executors.clear();
    await this.audit.close();
  }
}

const UNKNOWN_REQUEST = 'no pending request with that id (expired, or already handled)';
const ALREADY_HANDLED = 'already approved or rejected by someone else a moment ago';

function principalOf(p: Principal): Principal {
  return {
    user: p.user,
    platform: p.platform,
    ...(p.channel !== undefined ? { channel: p.channel } : {}),
    ...(p.roles ? { roles: [...p.roles] } : {}),
    ...(p.rolesError !== undefined ? { rolesError: p.rolesError } : {}),
  };
}

function auditCommon(p: PendingApproval): {
  requestId: string;
  user: string;
  platform: string;
  channel?: string;
  catalogId: string;
} {
  return {
    requestId: p.id,
    user: p.requester.user,
    platform: p.requester.platform,
    ...(p.requester.channel !== undefined ? { channel: p.requester.channel } : {}),
    catalogId: p.catalogId,
  };
}

function deniedResult(host: string, reason: string): HostRunResult {
  return {
    host,
    status: 'denied',
    text: '',
    full: '',
    trimmed: false,
    exitCode: null,
    signal: null,
    truncated: false,
    timedOut: false,
    bytes: 0,
    durationMs: 0,
    error: reason,
  };
}
