import { discordConfigSchema, type DiscordConfig } from '../../src/config/discord.js';

export { discordConfigSchema, type DiscordConfig };

export interface DiscordEnv {
  token: string;
  applicationId: string;
}

/** Whether the environment holds the token and application id. */
export function discordEnv(env: NodeJS.ProcessEnv): DiscordEnv | { missing: string[] } {
  const token = env.DISCORD_TOKEN;
  const applicationId = env.DISCORD_APPLICATION_ID;
  const missing: string[] = [];
  if (!token) missing.push('DISCORD_TOKEN');
  if (!applicationId) missing.push('DISCORD_APPLICATION_ID');
  else if (!/^\d{15,22}$/.test(applicationId)) missing.push('DISCORD_APPLICATION_ID (a snowflake)');
  if (missing.length || !token || !applicationId) return { missing };
  return { token, applicationId };
}

/** Whether the environment asks for the Discord front end (`faultline start` runs it when true). */
export function discordEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID);
}

/** The effective settings: the config file's `discord` section, then `FAULTLINE_DISCORD_API_URL` on top. */
export function discordSettings(section: unknown, env: NodeJS.ProcessEnv): DiscordConfig {
  const base = discordConfigSchema.safeParse(section ?? {});
  const over: Record<string, unknown> = base.success ? { ...base.data } : {};
  if (env.FAULTLINE_DISCORD_API_URL) over.apiUrl = env.FAULTLINE_DISCORD_API_URL;
  const parsed = base.success ? discordConfigSchema.safeParse(over) : base;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `discord settings: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'} (from the config file's "discord" section or FAULTLINE_DISCORD_API_URL)`,
    );
  }
  return parsed.data;
}
