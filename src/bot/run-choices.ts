import type { DiagnosticsPort, Requester } from './diagnostics.js';

/** A catalog entry and the hosts one requester may run it on (for autocomplete and pickers). */
export interface RunChoice {
  catalogId: string;
  description: string;
  hosts: string[];
}

/** What a front end asks for to complete `/run diagnostic: host:`; policy decides the hosts. */
export interface RunChoices {
  runChoices(who: Requester): Promise<RunChoice[]>;
}

/**
 * Every catalog entry with the hosts `who` may use, through the same port (and so the same policy) as
 * the conversation's offers. Entries with no host for `who` are left out.
 */
export function runChoicesFrom(
  port: DiagnosticsPort,
  catalog: readonly { id: string; description: string }[],
): RunChoices {
  return {
    async runChoices(who: Requester): Promise<RunChoice[]> {
      const offers = await port.offers(
        who,
        catalog.map((c) => ({ id: c.id, params: {} })),
      );
      return offers
        .filter((o) => o.hosts.length > 0)
        .map((o) => ({ catalogId: o.catalogId, description: o.description, hosts: o.hosts }));
    },
  };
}
