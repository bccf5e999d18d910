import { z } from 'zod';

// Placeholder until the diagnostics work defines hosts, catalog additions and audit here.
export const diagnosticsConfigSchema = z.object({}).strict();
export type DiagnosticsConfig = z.infer<typeof diagnosticsConfigSchema>;
