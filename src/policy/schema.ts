import { z } from 'zod';

// Placeholder until the diagnostics work defines who may run what where.
export const policyConfigSchema = z.object({}).strict();
export type PolicyConfig = z.infer<typeof policyConfigSchema>;
