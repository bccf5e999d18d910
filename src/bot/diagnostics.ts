import type { DiagnosticsService } from '../diagnostics/service.js';
import type { Principal } from '../policy/policy.js';
import type { Reply } from '../reply/model.js';
import type { PasteNames } from '../reply/fill.js';
import { ParamError, validateParam, type ParamSpec } from '../diagnostics/params.js';

export interface OfferParam {
  name: string;
  description?: string;
  /** A value the guide suggests (pre-filled in a form). */
  suggested?: string;
  /** For enum parameters: the allowed values. */
  choices?: string[];
}

/** A catalog entry a guide proposes, restricted to the hosts the requester may run it on. */
export interface DiagnosticOffer {
  catalogId: string;
  description: string;
  hosts: string[];
  params: OfferParam[];
  needsApproval: boolean;
}

/** Replies of the diagnostic flow, beside the core `Reply`s. Front ends render both. */
export type DiagnosticReply =
  | { kind: 'diagnostic-offers'; guideId: string; offers: DiagnosticOffer[] }
  | {
      kind: 'approval-request';
      requestId: string;
      requester: string;
      catalogId: string;
      host: string;
      params: Record<string, string>;
      command?: string;
    }
  | {
      /** Replaces an approval request once it is decided, so nobody clicks it again. */
      kind: 'approval-decided';
      decision: 'approved' | 'rejected';
      by: string;
      requester: string;
      catalogId: string;
      host: string;
    }
  | {
      kind: 'diagnostic-result';
      catalogId: string;
      host: string;
      params: Record<string, string>;
      exitCode: number | null;
      /** What the thread shows: the service's cut of the output (`diagnostics.chatOutputChars`). */
      shown: string;
      /** The whole (redacted) output when `shown` is a part of it; front ends attach it as a file. */
      full?: string;
      truncatedAtSource: boolean;
      summary?: string;
      requester: string;
      approvedBy?: string;
    };

export type BotReply = Reply | DiagnosticReply;

/** The service's offers as a conversation shows them: host names, and parameters with suggestions. */
/**
 * Which catalog parameter takes which name a paste gives (`pasteNames`, the rules that fill a guide's
 * commands): `getent-hosts` calls its host `name`.
 */
const FROM_PASTE: Readonly<Record<string, keyof PasteNames>> = {
  pod: 'pod',
  namespace: 'namespace',
  unit: 'unit',
  host: 'host',
  name: 'host',
  port: 'port',
};

/** The paste's value for a parameter, when it names one and the parameter accepts it. */
function fromPaste(name: string, spec: ParamSpec, names: PasteNames | undefined): string | undefined {
  const kind = FROM_PASTE[name];
  const raw = kind ? names?.[kind] : undefined;
  if (raw === undefined) return undefined;
  try {
    return validateParam(name, spec, raw);
  } catch (e) {
    if (e instanceof ParamError) return undefined;
    throw e;
  }
}

export function offerViews(
  service: DiagnosticsService,
  who: Principal,
  wanted: readonly { id: string; params: Record<string, string | number> }[],
  /** What the paste names: a parameter the guide leaves open is pre-filled from it. */
  names?: PasteNames,
): DiagnosticOffer[] {
  return service.offersFor(wanted, who).map((o) => {
    const specs = service.catalog.get(o.catalogId)?.params ?? {};
    return {
      catalogId: o.catalogId,
      description: o.description,
      hosts: o.hosts.map((h) => h.name),
      needsApproval: o.hosts.some((h) => h.needsApproval),
      params: Object.entries(specs).map(([name, spec]) => {
        const given = o.params[name] ?? fromPaste(name, spec, names);
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

const DIAGNOSTIC_KINDS: ReadonlySet<string> = new Set<DiagnosticReply['kind']>([
  'diagnostic-offers',
  'approval-request',
  'approval-decided',
  'diagnostic-result',
]);

/** A reply every renderer knows (the terminal's has no diagnostic flow). */
export function isCoreReply(r: BotReply): r is Reply {
  return !DIAGNOSTIC_KINDS.has(r.kind);
}
