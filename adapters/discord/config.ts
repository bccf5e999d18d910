import { z } from 'zod';

/**
 * The `discord` section of the config file. The token and application id never live here: they come from
 * the environment (`DISCORD_TOKEN`, `DISCORD_APPLICATION_ID`).
 */
export const discordConfigSchema = z
  .object({
    /** Answers to mentions go into a thread started on the message; `false` answers with a reply instead. */
    threads: z.boolean().default(true),
    /** How long a thread the bot starts stays open without activity (Discord's allowed values). */
    threadArchiveMinutes: z
      .union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)])
      .default(1440),
    /**
     * The privileged MessageContent intent. `auto` asks for it only when `bot.incidentChannels` is not
     * empty (passive listening needs the text of messages that do not mention the bot); `never` and
     * `always` override that.
     */
    messageContent: z.enum(['auto', 'always', 'never']).default('auto'),
    /** REST calls that fail with 5xx or a network error are retried this many times (429s always wait). */
    restRetries: z.number().int().min(0).max(10).default(3),
    /** A REST call that takes longer than this is abandoned (and retried). */
    restTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** A rate limit longer than this is not waited for; the delivery is logged as failed instead. */
    maxRetryAfterSeconds: z.number().int().min(1).max(900).default(60),
    /** The guild `faultline discord register` registers the commands in when `--guild` is not given. */
    guildId: z
      .string()
      .regex(/^\d{15,22}$/, 'a Discord guild id (a snowflake)')
      .optional(),
    /** REST base URL (default https://discord.com/api); `FAULTLINE_DISCORD_API_URL` overrides it. */
    apiUrl: z.url().optional(),
  })
  .strict();

export type DiscordConfig = z.output<typeof discordConfigSchema>;

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
