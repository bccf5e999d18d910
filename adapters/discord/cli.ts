import type { Command } from 'commander';
import type { AppContext } from '../../src/app.js';

export interface RegisterIo {
  env?: NodeJS.ProcessEnv;
  write?: (s: string) => void;
}

/** Registers the application commands, in one guild (immediate) or globally (may take up to an hour). */
export async function registerCommands(
  ctx: Pick<AppContext, 'config'>,
  opts: { guild?: string },
  io: RegisterIo = {},
): Promise<{ scope: string; names: string[] }> {
  const env = io.env ?? process.env;
  // The config schema (zod) loads here, not when the command is registered at every start.
  const { discordEnv, discordSettings } = await import('./config.js');
  const settings = discordSettings(ctx.config.discord, env);
  const tokens = discordEnv(env);
  if ('missing' in tokens)
    throw new Error(`discord register needs ${tokens.missing.join(', ')} in the environment`);
  const guild = opts.guild ?? settings.guildId;
  if (guild !== undefined && !/^\d{15,22}$/.test(guild))
    throw new Error(`--guild must be a guild id (a snowflake), got "${guild}"`);
  // discord.js takes a third of a second to load: only this command needs it, not every CLI start.
  const { REST, Routes } = await import('discord.js');
  const { COMMANDS } = await import('./commands.js');
  const rest = new REST({
    ...(settings.apiUrl ? { api: settings.apiUrl.replace(/\/+$/, '') } : {}),
    retries: settings.restRetries,
    timeout: settings.restTimeoutMs,
  }).setToken(tokens.token);
  const route = guild
    ? Routes.applicationGuildCommands(tokens.applicationId, guild)
    : Routes.applicationCommands(tokens.applicationId);
  const saved = (await rest.put(route, { body: COMMANDS })) as { name: string }[];
  const scope = guild
    ? `in guild ${guild}`
    : 'globally (Discord may take up to an hour to show them everywhere)';
  const names = saved.map((c) => c.name);
  (io.write ?? ((s: string) => process.stdout.write(s)))(
    `Registered ${names.length} commands ${scope}: ${names.map((n) => (n.includes(' ') ? `"${n}"` : `/${n}`)).join(', ')}\n`,
  );
  return { scope, names };
}

/** `faultline discord register [--guild ID]`. */
export function registerDiscordCommands(
  program: Command,
  getApp: () => AppContext,
  io: RegisterIo = {},
): void {
  const discord = program.command('discord').description('the Discord front end');
  discord
    .command('register')
    .description('register the /explain and /run commands and the "Explain this error" message command')
    .option('--guild <id>', 'register in this guild only (immediate); default: the config, else globally')
    .action(async (o: { guild?: string }) => {
      await registerCommands(getApp(), o.guild !== undefined ? { guild: o.guild } : {}, io);
    });
}
