import { slackConfigSchema, type SlackConfig } from '../../src/config/slack.js';

export { slackConfigSchema, type SlackConfig };

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
