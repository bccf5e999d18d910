import { z } from 'zod';
import { diagnosticsConfigSchema } from '../diagnostics/config.js';
import { policyConfigSchema } from '../policy/schema.js';

export const matchConfigSchema = z
  .object({
    /** Calibrated score at or above which a guide is said to fit (see docs/matching.md for the sweep). */
    threshold: z.number().min(0).max(1).default(0.5),
    /** Pastes larger than this are cut, and the reply says so. */
    maxPasteBytes: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(256 * 1024),
    /** How many ranked matches are kept for "show more". */
    maxResults: z.number().int().min(1).max(50).default(5),
    /** Milliseconds of regex matching one paste may use before the remaining regex signatures are skipped. */
    regexBudgetMs: z.number().int().min(10).max(10_000).default(500),
  })
  .strict();

export const botConfigSchema = z
  .object({
    /** Channels (platform ids or names) where the bot listens without being mentioned. */
    incidentChannels: z.array(z.string().min(1)).default([]),
    /** Passive listening answers only at or above this, which is stricter than `match.threshold`. */
    passiveThreshold: z.number().min(0).max(1).default(0.7),
  })
  .strict();

export const storeConfigSchema = z
  .object({
    /** Folder for feedback, dedupe and approvals; `memory` keeps them in the process only. */
    dir: z.string().min(1).default('.faultline'),
    kind: z.enum(['file', 'memory']).default('file'),
  })
  .strict();

export const terminalConfigSchema = z
  .object({
    /** Who the terminal user is to the policy engine (a terminal user is configured like any other). */
    user: z.string().min(1).default('terminal'),
    roles: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const opsConfigSchema = z
  .object({
    /** The operations HTTP port (/healthz, /readyz, /metrics) of `faultline start`; off when unset. */
    port: z.number().int().min(0).max(65_535).optional(),
    /** Loopback by default: metrics are for the scraper on this host or a sidecar, not the world. */
    host: z.string().min(1).default('127.0.0.1'),
    /** How long a stop waits for replies and runs under way before the process exits regardless. */
    drainSeconds: z.number().positive().max(600).default(20),
  })
  .strict();

const coreShape = {
  /** Extra guide folders; later ones override earlier ones (and the built-in ones) by id. */
  knowledge: z.array(z.string().min(1)).default([]),
  /** Whether the guides shipped in `knowledge/` are loaded first. */
  builtinKnowledge: z.boolean().default(true),
  match: matchConfigSchema.default(matchConfigSchema.parse({})),
  bot: botConfigSchema.default(botConfigSchema.parse({})),
  store: storeConfigSchema.default(storeConfigSchema.parse({})),
  terminal: terminalConfigSchema.default(terminalConfigSchema.parse({})),
  diagnostics: diagnosticsConfigSchema.default(diagnosticsConfigSchema.parse({})),
  policy: policyConfigSchema.default(policyConfigSchema.parse({})),
  ops: opsConfigSchema.default(opsConfigSchema.parse({})),
};

/** The config sections front ends own, by key (a front end's name): each front end's schema, from its folder. */
export type ConfigSections = Readonly<Record<string, z.ZodType>>;

/**
 * The config file's schema: the core's sections and those of the front ends in the registry. It stays
 * strict, so a misspelt key is a problem with file and line, whoever owns the section.
 */
export function configSchemaWith(sections: ConfigSections) {
  const extra: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(sections)) {
    if (key in coreShape) throw new Error(`config section "${key}" belongs to the core`);
    extra[key] = schema.optional();
  }
  return z.object({ ...coreShape, ...extra }).strict();
}

/** The core's sections only (no front end's); what a config without front-end sections parses with. */
export const configSchema = z.object(coreShape).strict();

/** A front end's section is `unknown` here: its own folder parses it with its own schema. */
export type Config = z.infer<typeof configSchema> & { readonly [section: string]: unknown };
export type MatchConfig = z.infer<typeof matchConfigSchema>;
export type BotConfig = z.infer<typeof botConfigSchema>;
