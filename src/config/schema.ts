import { z } from 'zod';
import { diagnosticsConfigSchema } from '../diagnostics/config.js';
import { policyConfigSchema } from '../policy/schema.js';
import { discordConfigSchema } from './discord.js';
import { slackConfigSchema } from './slack.js';

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

export const learningConfigSchema = z
  .object({
    /** Keep pastes no guide answered (redacted, grouped by template) for `faultline gaps`. */
    recordGaps: z.boolean().default(true),
  })
  .strict();

export const opsConfigSchema = z
  .object({
    /** The operations HTTP port (/healthz, /readyz, /metrics) of `faultline start`; off when unset. */
    port: z.number().int().min(0).max(65_535).optional(),
    /** Loopback by default: metrics are for the scraper on this host or a sidecar, not the world. */
    host: z.string().min(1).default('127.0.0.1'),
  })
  .strict();

export const configSchema = z
  .object({
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
    learning: learningConfigSchema.default(learningConfigSchema.parse({})),
    slack: slackConfigSchema.default(slackConfigSchema.parse({})),
    discord: discordConfigSchema.default(discordConfigSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type MatchConfig = z.infer<typeof matchConfigSchema>;
export type BotConfig = z.infer<typeof botConfigSchema>;
