import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND, SHORTCUT } from '../../adapters/slack/app.js';

interface Manifest {
  features: { shortcuts: { callback_id: string; type: string }[]; slash_commands: { command: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[] };
    interactivity: { is_enabled: boolean };
    socket_mode_enabled: boolean;
  };
}

describe('adapters/slack/manifest.yaml', () => {
  const m = parse(
    readFileSync(new URL('../../adapters/slack/manifest.yaml', import.meta.url), 'utf8'),
  ) as Manifest;

  it('names the command and shortcut the adapter listens for', () => {
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([COMMAND]);
    expect(m.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: SHORTCUT }),
    ]);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the scopes and events the bot uses', () => {
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([
      'app_mentions:read',
      'channels:history',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'groups:history',
      'im:history',
      'usergroups:read',
    ]);
    expect([...m.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_mention',
      'message.channels',
      'message.groups',
      'message.im',
    ]);
  });
});
