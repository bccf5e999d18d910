import { describe, expect, it } from 'vitest';
import { slackConfigSchema, slackEnv, slackSettings } from '../../adapters/slack/config.js';
import { slackEnabled } from '../../adapters/slack/index.js';

describe('Slack settings', () => {
  it('defaults to Socket Mode, and the environment overrides the config section', () => {
    expect(slackConfigSchema.parse({})).toMatchObject({
      mode: 'socket',
      port: 3000,
      path: '/slack/events',
      timestampToleranceSeconds: 300,
    });
    const s = slackSettings(
      { mode: 'socket', port: 4000 },
      { FAULTLINE_SLACK_MODE: 'http', FAULTLINE_SLACK_API_URL: 'http://127.0.0.1:9/api/' },
    );
    expect(s).toMatchObject({ mode: 'http', port: 4000, apiUrl: 'http://127.0.0.1:9/api/' });
  });

  it('names the bad key, and refuses unknown keys', () => {
    expect(() => slackSettings({}, { FAULTLINE_SLACK_PORT: 'eighty' })).toThrow(/port/);
    expect(() => slackSettings({ mode: 'websocket' }, {})).toThrow(/mode/);
    expect(() => slackSettings({ token: 'xoxb-nope' }, {})).toThrow();
  });

  it('says which tokens are missing for the chosen mode', () => {
    expect(slackEnv({ SLACK_BOT_TOKEN: 'b' }, 'socket')).toEqual({ missing: ['SLACK_APP_TOKEN'] });
    expect(slackEnv({ SLACK_BOT_TOKEN: 'b' }, 'http')).toEqual({ missing: ['SLACK_SIGNING_SECRET'] });
    expect(slackEnv({ SLACK_BOT_TOKEN: 'b', SLACK_APP_TOKEN: 'a' }, 'socket')).toEqual({
      botToken: 'b',
      appToken: 'a',
    });
    expect(slackEnabled({})).toBe(false);
    expect(slackEnabled({ SLACK_BOT_TOKEN: 'b' })).toBe(false);
    expect(slackEnabled({ SLACK_BOT_TOKEN: 'b', SLACK_APP_TOKEN: 'a' })).toBe(true);
  });
});
