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
    /**
     * Bots and integrations (Slack bot or app ids, Discord bot, application or webhook ids) whose messages
     * passive listening answers in incident channels: Alertmanager, Sentry, Datadog, PagerDuty.
     */
    listenToBots: z.array(z.string().min(1)).default([]),
  })
  .strict();

const redisNodeSchema = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(26_379),
  })
  .strict();

export const storeConfigSchema = z
  .object({
    /**
     * `file` (default) and `memory` serve ONE process; `redis` is shared by every replica (dedupe, sessions,
     * approvals, feedback, the outbox).
     */
    kind: z.enum(['file', 'memory', 'redis']).default('file'),
    /** Folder of the file store. */
    dir: z.string().min(1).default('.faultline'),
    /**
     * `redis://[user:password@]host:6379/0` or `rediss://` for TLS. `FAULTLINE_REDIS_URL` overrides it, so
     * that the password can stay out of the config file. With `sentinel`, only its user, password and
     * database number are used.
     */
    url: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    /** Ask these Sentinels for the current primary of `name`, and follow it through a failover. */
    sentinel: z
      .object({ name: z.string().min(1), nodes: z.array(redisNodeSchema).min(1) })
      .strict()
      .optional(),
    /** Every key starts with `prefix:`, so several bots (or environments) can share one Redis. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only')
      .default('faultline'),
  })
  .strict();

export type StoreConfig = z.infer<typeof storeConfigSchema>;

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

/** The outbox: replies a platform did not take at once are kept and retried (see docs/replicas.md). */
export const deliveryConfigSchema = z
  .object({
    /** A reply still undelivered this long after its event is dropped (with a log line and a metric). */
    maxAgeMinutes: z
      .number()
      .positive()
      .max(7 * 24 * 60)
      .default(30),
    /** The first retry waits about this long; each later one twice as long (with jitter). */
    firstRetrySeconds: z.number().positive().max(3600).default(2),
    /** No wait between retries is longer than this. */
    maxRetrySeconds: z.number().positive().max(3600).default(60),
    /** How long a replica may hold an entry while sending it; a replica that died lets go when it ends. */
    leaseSeconds: z.number().positive().max(3600).default(30),
    /** How often each replica looks for entries that are due. */
    pollSeconds: z.number().positive().max(600).default(1),
  })
  .strict();

/** `slack:<channel id>` or `discord:<channel id>`: where alerts go. */
export const channelRefSchema = z
  .string()
  .regex(/^(slack|discord):[^\s:]+$/, 'write a channel as slack:<channel id> or discord:<channel id>');

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Posts the week's unanswered pastes to a channel: the list of guides to write next, where the team reads. */
export const digestConfigSchema = z
  .object({
    channel: channelRefSchema,
    weekday: z.enum(WEEKDAYS).default('mon'),
    /** The hour (0-23) in `timeZone`. */
    hour: z.number().int().min(0).max(23).default(9),
    /** An IANA time zone (`Europe/Berlin`); the team's working week, not the server's. */
    timeZone: z
      .string()
      .min(1)
      .default('UTC')
      .refine(
        (tz) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        },
        { message: 'not a time zone this Node knows (write an IANA name such as Europe/Berlin or UTC)' },
      ),
    /** How many templates the digest lists, most frequent first. */
    top: z.number().int().min(1).max(25).default(10),
  })
  .strict();

export type DigestConfig = z.infer<typeof digestConfigSchema>;

export const learningConfigSchema = z
  .object({
    /** Keep pastes no guide answered (redacted, grouped by template) for `faultline gaps`. */
    recordGaps: z.boolean().default(true),
    /** A weekly post of the gaps to one channel; off when unset. */
    digest: digestConfigSchema.optional(),
  })
  .strict();

export const alertsConfigSchema = z
  .object({
    /**
     * The bearer token the alert webhooks require (`Authorization: Bearer <token>`);
     * `FAULTLINE_ALERTS_TOKEN` overrides it. Without one, the webhooks refuse every request.
     */
    token: z.string().min(16, 'use a token of at least 16 characters').optional(),
    /** The default route, for alerts no route matches. */
    channel: channelRefSchema.optional(),
    /** Label matches, in order; the first route whose labels all equal the alert's wins. */
    routes: z
      .array(z.object({ labels: z.record(z.string(), z.string()), channel: channelRefSchema }).strict())
      .default([]),
    /** `POST /hooks/json`: where in a JSON body the text, the labels and the group key are. */
    json: z
      .object({
        /** Dot path to the alert text, e.g. `alert.message` or `events.0.text`. */
        textPath: z.string().min(1).default('text'),
        /** Dot path to an object of string labels, for routing. */
        labelsPath: z.string().min(1).optional(),
        /** Dot path to a value that groups posts into one thread (else each post is its own group). */
        groupPath: z.string().min(1).optional(),
      })
      .strict()
      .default({ textPath: 'text' }),
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
  alerts: alertsConfigSchema.default(alertsConfigSchema.parse({})),
  learning: learningConfigSchema.default(learningConfigSchema.parse({})),
  delivery: deliveryConfigSchema.default(deliveryConfigSchema.parse({})),
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
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;
