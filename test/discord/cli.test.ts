import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDiscordCommands } from '../../adapters/discord/cli.js';
import { discordConfigSchema } from '../../adapters/discord/config.js';
import { appContext } from '../fakes/discord/harness.js';
import { GUILD } from '../fakes/discord/payloads.js';
import { APP_ID, FakeDiscordRest } from '../fakes/discord/rest.js';

let rest: FakeDiscordRest;
beforeAll(async () => {
  rest = new FakeDiscordRest();
  await rest.start();
});
afterAll(async () => {
  await rest.stop();
});

async function register(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  registerDiscordCommands(program, appContext, { env, write: (s) => (out += s) });
  await program.parseAsync(['node', 'faultline', 'discord', 'register', ...args]);
  return out;
}

const ENV = { DISCORD_TOKEN: 'fake-token', DISCORD_APPLICATION_ID: APP_ID };

describe('faultline discord register', () => {
  it('registers /explain, /run and /fits (with autocomplete) and the message command in one guild', async () => {
    const out = await register(['--guild', GUILD], { ...ENV, FAULTLINE_DISCORD_API_URL: rest.apiUrl });
    const put = rest.calls.find(
      (c) => c.method === 'PUT' && c.route === `/applications/${APP_ID}/guilds/${GUILD}/commands`,
    );
    expect(put?.headers.authorization).toBe('Bot fake-token');
    const cmds = put?.body.__array as {
      name: string;
      type: number;
      options?: { name: string; autocomplete?: boolean; required?: boolean }[];
    }[];
    expect(cmds.map((c) => [c.name, c.type])).toEqual([
      ['explain', 1],
      ['run', 1],
      ['fits', 1],
      ['Explain this error', 3],
    ]);
    expect(cmds[2]!.options?.filter((o) => o.autocomplete).map((o) => o.name)).toEqual(['guide']);
    const run = cmds[1]!;
    expect(run.options?.filter((o) => o.autocomplete).map((o) => o.name)).toEqual(['diagnostic', 'host']);
    expect(cmds[0]!.options).toEqual([
      expect.objectContaining({ name: 'text', required: false }),
      expect.objectContaining({ name: 'file', type: 11, required: false }),
    ]);
    expect(out).toMatch(/Registered 4 commands in guild/);
  });

  it('registers globally without --guild', async () => {
    await register([], { ...ENV, FAULTLINE_DISCORD_API_URL: rest.apiUrl });
    expect(rest.calls.some((c) => c.method === 'PUT' && c.route === `/applications/${APP_ID}/commands`)).toBe(
      true,
    );
  });

  it('names what is missing from the environment, and refuses a guild that is not an id', async () => {
    await expect(register([], { FAULTLINE_DISCORD_API_URL: rest.apiUrl })).rejects.toThrow(
      /DISCORD_TOKEN, DISCORD_APPLICATION_ID/,
    );
    await expect(
      register(['--guild', 'ops'], { ...ENV, FAULTLINE_DISCORD_API_URL: rest.apiUrl }),
    ).rejects.toThrow(/snowflake/);
  });

  it('the config section is strict and names bad keys', () => {
    expect(discordConfigSchema.parse({})).toMatchObject({
      threads: true,
      messageContent: 'auto',
      threadArchiveMinutes: 1440,
    });
    expect(() => discordConfigSchema.parse({ thread: true })).toThrow(/thread/);
    expect(() => discordConfigSchema.parse({ threadArchiveMinutes: 30 })).toThrow();
  });
});
