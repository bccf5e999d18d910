import { z } from 'zod';

const ids = z.array(z.string().min(1)).min(1);

/**
 * A rule matches a request when every selector it has matches (an absent selector matches anything, `*`
 * in a list matches anything). A rule must name who it is for (users or roles), so that no rule grants
 * the world by leaving fields out.
 */
export const policyRuleSchema = z
  .object({
    effect: z.enum(['allow', 'deny']),
    users: ids.optional(),
    roles: ids.optional(),
    channels: ids.optional(),
    platforms: ids.optional(),
    /** Catalog ids, or `*`. */
    diagnostics: ids,
    /** Host names ... */
    hosts: ids.optional(),
    /** ... and/or host labels; with neither the rule covers no host. */
    labels: ids.optional(),
    /** Runs allowed by this rule wait for a second authorised person, even for entries that do not ask it. */
    requireApproval: z.boolean().default(false),
    /**
     * The people of this rule may approve others' requests for these diagnostics on these hosts. Without
     * it, only someone the policy lets run a diagnostic without approval may approve it for another.
     */
    mayApprove: z.boolean().default(false),
    /** Documentation for whoever reads the config. */
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => r.users !== undefined || r.roles !== undefined, {
    message: 'a rule needs users or roles (use ["*"] to mean everyone)',
    path: ['users'],
  })
  .refine((r) => r.hosts !== undefined || r.labels !== undefined, {
    message: 'a rule needs hosts or labels (use ["*"] to mean all)',
    path: ['hosts'],
  });

export const policyConfigSchema = z
  .object({
    /** Role name → user ids, added to the roles the platform reports (groups, terminal roles). */
    roles: z.record(z.string().min(1), z.array(z.string().min(1))).default({}),
    rules: z.array(policyRuleSchema).default([]),
    /** Pending approvals expire after this. */
    approvalTtlMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
  })
  .strict();

export type PolicyRule = z.output<typeof policyRuleSchema>;
export type PolicyConfig = z.output<typeof policyConfigSchema>;
export type PolicyConfigInput = z.input<typeof policyConfigSchema>;
