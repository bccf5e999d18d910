import { BOT_ID, BOT_USER, snowflake } from './rest.js';

export const GUILD = '1200000000000000001';
export const GENERAL = '1200000000000000010';
export const INCIDENTS = '1200000000000000011';
export const VOICE_TEXT = '1200000000000000012';
export const DM_CHANNEL = '1200000000000000020';
export const ALICE = '1300000000000000001';
export const BOB = '1300000000000000002';
export const MALLORY = '1300000000000000003';
export const OTHER_BOT = '1300000000000000009';
/** The role Discord creates for the bot when it is invited (what "@faultline" often autocompletes to). */
export const BOT_ROLE = '1200000000000000050';

export function user(id: string, bot = false): Record<string, unknown> {
  return {
    id,
    username: `user${id.slice(-2)}`,
    discriminator: '0',
    global_name: null,
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

function member(id: string): Record<string, unknown> {
  return {
    user: user(id),
    roles: [],
    joined_at: '2026-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
    permissions: '2248473465835073',
  };
}

export function readyPayload(sessionId: string, resumeUrl: string): Record<string, unknown> {
  return {
    v: 10,
    user: { ...BOT_USER, verified: true, flags: 0, mfa_enabled: false },
    guilds: [{ id: GUILD, unavailable: true }],
    session_id: sessionId,
    resume_gateway_url: resumeUrl,
    shard: [0, 1],
    application: { id: '1100000000000000001', flags: 0 },
    private_channels: [],
    relationships: [],
    user_settings: {},
  };
}

function channel(id: string, name: string, type = 0): Record<string, unknown> {
  return {
    id,
    type,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    rate_limit_per_user: 0,
    topic: null,
    last_message_id: null,
  };
}

export function guildPayload(): Record<string, unknown> {
  return {
    id: GUILD,
    name: 'Ops',
    icon: null,
    owner_id: ALICE,
    unavailable: false,
    large: false,
    member_count: 4,
    joined_at: '2026-01-01T00:00:00.000Z',
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    preferred_locale: 'en-US',
    features: [],
    emojis: [],
    stickers: [],
    roles: [
      {
        id: BOT_ROLE,
        name: 'faultline',
        permissions: '309237763072',
        position: 1,
        color: 0,
        hoist: false,
        managed: true,
        mentionable: false,
        flags: 0,
        tags: { bot_id: BOT_ID },
      },
      {
        id: GUILD,
        name: '@everyone',
        permissions: '2248473465835073',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    channels: [channel(GENERAL, 'general'), channel(INCIDENTS, 'incidents'), channel(VOICE_TEXT, 'voice', 2)],
    threads: [],
    members: [member(BOT_ID)],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** MESSAGE_CREATE from a user in a guild channel (or a thread), or in a DM when `channel` is DM_CHANNEL. */
export function messageCreate(o: {
  author: string;
  channel: string;
  content: string;
  mentionsBot?: boolean;
  /** Mentions the bot's managed role instead of its user. */
  mentionsBotRole?: boolean;
  bot?: boolean;
  id?: string;
  /** Attachment objects (from `FakeDiscordRest.hostFile`). */
  attachments?: Record<string, unknown>[];
  /** Embeds, as integrations (Alertmanager, Sentry) post them. */
  embeds?: Record<string, unknown>[];
}): Record<string, unknown> {
  const dm = o.channel === DM_CHANNEL;
  return {
    id: o.id ?? snowflake(),
    channel_id: o.channel,
    ...(dm ? { channel_type: 1 } : { guild_id: GUILD, member: member(o.author) }),
    author: user(o.author, o.bot),
    content: o.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: o.mentionsBot ? [{ ...BOT_USER, ...(dm ? {} : { member: member(BOT_ID) }) }] : [],
    mention_roles: o.mentionsBotRole ? [BOT_ROLE] : [],
    attachments: o.attachments ?? [],
    embeds: o.embeds ?? [],
    components: [],
    pinned: false,
    type: 0,
    flags: 0,
  };
}

function interactionBase(o: { user: string; channel: string }, type: number, data: Record<string, unknown>) {
  const id = snowflake();
  const dm = o.channel === DM_CHANNEL;
  return {
    id,
    application_id: '1100000000000000001',
    type,
    data,
    ...(dm
      ? { user: user(o.user), channel: { id: o.channel, type: 1 }, context: 1 }
      : {
          guild_id: GUILD,
          guild: { id: GUILD, locale: 'en-US', features: [] },
          member: member(o.user),
          channel: { id: o.channel, type: 0, guild_id: GUILD, name: 'channel' },
          context: 0,
        }),
    channel_id: o.channel,
    token: `token-${id}`,
    version: 1,
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: dm ? { '1': o.user } : { '0': GUILD },
    attachment_size_limit: 8_388_608,
  };
}

export function slashCommand(
  name: string,
  options: { name: string; value: string; focused?: boolean }[],
  o: { user: string; channel: string; attachments?: Record<string, Record<string, unknown>> },
  autocomplete = false,
): Record<string, unknown> {
  const files = Object.entries(o.attachments ?? {});
  return interactionBase(o, autocomplete ? 4 : 2, {
    id: snowflake(),
    name,
    type: 1,
    options: [
      ...options.map((x) => ({
        type: 3,
        name: x.name,
        value: x.value,
        ...(x.focused ? { focused: true } : {}),
      })),
      // An attachment option's value is the id of the file in `resolved.attachments`.
      ...files.map(([optName, a]) => ({ type: 11, name: optName, value: a.id })),
    ],
    ...(files.length
      ? { resolved: { attachments: Object.fromEntries(files.map(([, a]) => [a.id as string, a])) } }
      : {}),
  });
}

export function contextMenu(
  target: Record<string, unknown>,
  o: { user: string; channel: string },
): Record<string, unknown> {
  return interactionBase(o, 2, {
    id: snowflake(),
    name: 'Explain this error',
    type: 3,
    target_id: target.id,
    resolved: { messages: { [target.id as string]: target } },
  });
}

export function buttonClick(
  customId: string,
  message: Record<string, unknown>,
  o: { user: string; channel: string },
): Record<string, unknown> {
  return { ...interactionBase(o, 3, { custom_id: customId, component_type: 2 }), message };
}

export function modalSubmit(
  customId: string,
  values: Record<string, string>,
  o: { user: string; channel: string },
): Record<string, unknown> {
  return interactionBase(o, 5, {
    custom_id: customId,
    components: Object.entries(values).map(([id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, value }],
    })),
  });
}
