import type { LoggerOptions } from 'pino';
import { redactSecrets } from './index.js';

/** A log value with every string in it redacted; errors become their name, message and stack. */
function redactValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return redactSecrets(v);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (v instanceof Error)
    return { type: v.name, message: redactSecrets(v.message), stack: redactSecrets(v.stack ?? '') };
  if (Array.isArray(v)) return v.map((x) => redactValue(x, depth + 1));
  if (Buffer.isBuffer(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = redactValue(x, depth + 1);
  return out;
}

/**
 * pino options under which every log line goes through the one redaction: its fields and its message
 * (child loggers' bindings are not: they name conversations and components, never carry text). A log line may carry a paste (an undelivered reply, an SDK's debug dump of an event) or
 * command output, and logs are kept and shipped where chat messages are not.
 */
export const REDACTING_LOG_OPTIONS: LoggerOptions = {
  formatters: {
    log: (obj) => redactValue(obj) as Record<string, unknown>,
  },
  hooks: {
    logMethod(args, method) {
      method.apply(
        this,
        args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>,
      );
    },
  },
};
