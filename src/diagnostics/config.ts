import { z } from 'zod';
import { BUILTIN_CATALOG, catalogEntrySchema } from './catalog.js';

/** OpenSSH's form, as printed by `ssh-keygen -lf` and `ssh-keyscan | ssh-keygen -lf -`. */
export const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const NAME = /^[a-z0-9](?:[a-z0-9._-]{0,62})$/;

const hostKeysSchema = z
  .array(
    z
      .string()
      .regex(
        FINGERPRINT,
        'must be an OpenSSH SHA256 fingerprint like SHA256:AbC... (43 characters after the colon)',
      ),
  )
  .default([]);

const sshHostSchema = z
  .object({
    name: z.string().regex(NAME, 'must be lowercase letters, digits, ".", "_" or "-"'),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(22),
    user: z.string().min(1),
    /** Private key file (relative to the config file's folder) ... */
    keyPath: z.string().min(1).optional(),
    /** ... or an ssh-agent: `true` for $SSH_AUTH_SOCK, or the socket path. */
    agent: z.union([z.literal(true), z.string().min(1)]).optional(),
    /** Name of the environment variable holding the key's passphrase; the passphrase never goes in the file. */
    passphraseEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /**
     * Pinned host keys. Several are allowed so a key can be rotated without downtime. A host with none is
     * refused at connect time; `faultline hosts check` prints the key it was offered so it can be verified
     * out of band and pinned.
     */
    hostKeys: hostKeysSchema,
    labels: z.array(z.string().regex(NAME)).default([]),
  })
  .strict()
  .refine((h) => (h.keyPath === undefined) !== (h.agent === undefined), {
    message: 'give exactly one of keyPath or agent',
    path: ['keyPath'],
  });

/** The machine the bot runs on, reached with execFile (no shell, no SSH). */
const localHostSchema = z
  .object({
    name: z.string().regex(NAME, 'must be lowercase letters, digits, ".", "_" or "-"'),
    local: z.literal(true),
    labels: z.array(z.string().regex(NAME)).default([]),
  })
  .strict();

export const hostSchema = z.union([localHostSchema, sshHostSchema]);
export type SshHostConfig = z.output<typeof sshHostSchema>;
export type LocalHostConfig = z.output<typeof localHostSchema>;
export type HostConfig = z.output<typeof hostSchema>;

export function isLocalHost(h: HostConfig): h is LocalHostConfig {
  return 'local' in h && h.local === true;
}

export const poolConfigSchema = z
  .object({
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Connections with no command running are closed after this. */
    idleCloseMs: z.number().int().min(0).max(3_600_000).default(60_000),
    keepaliveIntervalMs: z.number().int().min(0).max(300_000).default(15_000),
    keepaliveCountMax: z.number().int().min(1).max(100).default(3),
    /** OpenSSH's MaxSessions defaults to 10; stay below it. */
    maxChannelsPerHost: z.number().int().min(1).max(64).default(4),
    /** Seconds between the server's `timeout` sending TERM and KILL. */
    killAfterSeconds: z.number().int().min(1).max(60).default(5),
  })
  .strict();

export const diagnosticsConfigSchema = z
  .object({
    hosts: z.array(hostSchema).default([]),
    /** Team catalog entries, added to the built-in ones. */
    catalog: z.array(catalogEntrySchema).default([]),
    audit: z
      .object({
        /** JSON lines, appended and fsynced; relative to the config file's folder. */
        path: z.string().min(1).default('.faultline/audit.jsonl'),
      })
      .strict()
      .prefault({}),
    pool: poolConfigSchema.prefault({}),
    /** Hosts a diagnostic runs on at once when it targets a label. */
    fanoutConcurrency: z.number().int().min(1).max(256).default(8),
    /** Characters of output put in a chat message; the full text is offered as a file. */
    chatOutputChars: z.number().int().min(200).max(40_000).default(2_500),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.hosts.forEach((h, i) => {
      if (seen.has(h.name))
        ctx.addIssue({
          code: 'custom',
          path: ['hosts', i, 'name'],
          message: `host ${h.name} is defined twice`,
        });
      seen.add(h.name);
    });
    const ids = new Set(BUILTIN_CATALOG.map((e) => e.id));
    cfg.catalog.forEach((e, i) => {
      if (ids.has(e.id))
        ctx.addIssue({
          code: 'custom',
          path: ['catalog', i, 'id'],
          message: `catalog id ${e.id} is already defined`,
        });
      ids.add(e.id);
    });
  });

export type DiagnosticsConfig = z.output<typeof diagnosticsConfigSchema>;
export type DiagnosticsConfigInput = z.input<typeof diagnosticsConfigSchema>;
