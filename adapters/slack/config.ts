import { z } from 'zod';

/**
 * The `slack` section of the config file. Tokens never live here: they come from the environment
 * (`SLACK_BOT_TOKEN`, `SLACK_APP_TOKEN`, `SLACK_SIGNING_SECRET`).
 */
export const slackConfigSchema = z
  .object({
    /** `socket`: Socket Mode, no public URL needed. `http`: the Events API posts to `path` on `port`. */
    mode: z.enum(['socket', 'http']).default('socket'),
    /** HTTP mode: the port the Events API, slash command and interactivity requests arrive on. */
    port: z.number().int().min(0).max(65_535).default(3000),
    /** HTTP mode: the request path configured in the app (manifest `request_url`s). */
    path: z.string().startsWith('/').default('/slack/events'),
    /** HTTP mode: requests whose signed timestamp is further than this from now, either way, are refused. */
    timestampToleranceSeconds: z.number().int().min(1).max(3600).default(300),
    /** Web API calls that fail with 429 or 5xx are tried this many times in all. */
    maxAttempts: z.number().int().min(1).max(10).default(4),
    /** A Retry-After longer than this is not waited for; the delivery is logged as failed instead. */
    maxRetryAfterSeconds: z.number().int().min(1).max(900).default(60),
    /** Web API base URL; `FAULTLINE_SLACK_API_URL` overrides it. */
    apiUrl: z.url().optional(),
  })
  .strict();

export type SlackConfig = z.output<typeof slackConfigSchema>;

export interface SlackEnv {
  botToken: string;
  appToken?: string;
  signingSecret?: string;
}

/** Whether the environment holds what the configured mode needs. */
export function slackEnv(
  env: NodeJS.ProcessEnv,
  mode: SlackConfig['mode'],
): SlackEnv | { missing: string[] } {
  const botToken = env.SLACK_BOT_TOKEN;
  const appToken = env.SLACK_APP_TOKEN;
  const signingSecret = env.SLACK_SIGNING_SECRET;
  const missing: string[] = [];
  if (!botToken) missing.push('SLACK_BOT_TOKEN');
  if (mode === 'socket' && !appToken) missing.push('SLACK_APP_TOKEN');
  if (mode === 'http' && !signingSecret) missing.push('SLACK_SIGNING_SECRET');
  if (missing.length || !botToken) return { missing };
  return { botToken, ...(appToken ? { appToken } : {}), ...(signingSecret ? { signingSecret } : {}) };
}

/**
 * The effective settings: the config file's `slack` section, then the
 * environment (`FAULTLINE_SLACK_MODE`, `FAULTLINE_SLACK_PORT`, `FAULTLINE_SLACK_API_URL`) on top.
 */
export function slackSettings(section: unknown, env: NodeJS.ProcessEnv): SlackConfig {
  const base = slackConfigSchema.parse(section ?? {});
  const over: Record<string, unknown> = { ...base };
  if (env.FAULTLINE_SLACK_MODE) over.mode = env.FAULTLINE_SLACK_MODE;
  if (env.FAULTLINE_SLACK_PORT) over.port = Number(env.FAULTLINE_SLACK_PORT);
  if (env.FAULTLINE_SLACK_API_URL) over.apiUrl = env.FAULTLINE_SLACK_API_URL;
  const parsed = slackConfigSchema.safeParse(over);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `slack settings: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'} (from the config file's "slack" section or FAULTLINE_SLACK_* variables)`,
    );
  }
  return parsed.data;
}
