import type { DiagnosticsService } from '../diagnostics/service.js';
import type { Principal } from '../policy/policy.js';
import { offerViews } from './diagnostics.js';

/** A catalog entry and the hosts one requester may run it on (for autocomplete and pickers). */
export interface RunChoice {
  catalogId: string;
  description: string;
  hosts: string[];
}

/** What a front end asks for to complete `/run diagnostic: host:`; policy decides the hosts. */
export interface RunChoices {
  runChoices(who: Principal): Promise<RunChoice[]>;
}

/**
 * Every catalog entry with the hosts `who` may use, through the same service (and so the same policy) as
 * the conversation's offers. Entries with no host for `who` are left out.
 */
export function runChoicesFrom(
  service: DiagnosticsService,
  catalog: readonly { id: string; description: string }[] = service.catalog.list(),
): RunChoices {
  return {
    async runChoices(who: Principal): Promise<RunChoice[]> {
      const offers = offerViews(
        service,
        who,
        catalog.map((c) => ({ id: c.id, params: {} })),
      );
      return offers
        .filter((o) => o.hosts.length > 0)
        .map((o) => ({ catalogId: o.catalogId, description: o.description, hosts: o.hosts }));
    },
  };
}
