import { z } from 'zod';

// Apart from params.ts, which checks values against a spec: the bot checks values taken from a paste in
// every reply, and must not load zod to do it.

/**
 * Typed parameters of catalog entries. Each kind is a closed allowlist: a value either matches its shape
 * exactly or is refused before any connection opens. Specs are plain data so teams can declare them in YAML.
 */
export const paramSpecSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('int'),
      min: z.number().int().default(0),
      max: z.number().int().default(2_147_483_647),
      description: z.string().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('enum'),
      values: z.array(z.string().min(1)).min(1),
      description: z.string().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('pattern'),
      /** Anchored for you: the whole value must match. */
      pattern: z.string().min(1),
      maxLength: z.number().int().min(1).max(1024).default(128),
      description: z.string().optional(),
    })
    .strict(),
  /** systemd unit names: letters, digits and `:_.@\-`, not starting with `-`. */
  z.object({ type: z.literal('unit'), description: z.string().optional() }).strict(),
  /** A relative time in the past such as `-15m`, `-2h`, `-1d`. */
  z.object({ type: z.literal('duration'), description: z.string().optional() }).strict(),
  /** A DNS name or IPv4 address. */
  z.object({ type: z.literal('hostname'), description: z.string().optional() }).strict(),
  z.object({ type: z.literal('port'), description: z.string().optional() }).strict(),
  z.object({ type: z.literal('pid'), description: z.string().optional() }).strict(),
  /** An absolute path that, once normalised, lies under one of `roots`. */
  z
    .object({
      type: z.literal('path'),
      roots: z.array(z.string().startsWith('/')).min(1),
      description: z.string().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('url'),
      schemes: z.array(z.enum(['http', 'https'])).default(['http', 'https']),
      description: z.string().optional(),
    })
    .strict(),
]);
export type ParamSpec = z.infer<typeof paramSpecSchema>;
