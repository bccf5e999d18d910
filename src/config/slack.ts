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
