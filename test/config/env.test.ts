import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SECTIONS, SECRET_VARIABLES } from '../../adapters/terminal/front-ends.js';
import { envSettings } from '../../src/config/env.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchemaWith } from '../../src/config/schema.js';
import { readSecretFiles } from '../../src/config/secrets.js';
import { formatProblem, ProblemsError } from '../../src/util/problems.js';
import { tempDir } from '../helpers.js';

function load(env: NodeJS.ProcessEnv, yaml = '') {
  const dir = tempDir();
  if (yaml) writeFileSync(path.join(dir, 'faultline.yaml'), yaml);
  return loadConfig(undefined, dir, CONFIG_SECTIONS, env).config;
}

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    load(env);
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('every setting from the environment (FAULTLINE_<SECTION>_<KEY>)', () => {
  const settings = envSettings(configSchemaWith(CONFIG_SECTIONS));

  it('derives one distinct variable per setting of the schema, front ends included', () => {
    const names = settings.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'FAULTLINE_MATCH_THRESHOLD',
        'FAULTLINE_OPS_PORT',
        'FAULTLINE_OPS_HOST',
        'FAULTLINE_OPS_DRAIN_SECONDS',
        'FAULTLINE_BOT_INCIDENT_CHANNELS',
        'FAULTLINE_STORE_KIND',
        'FAULTLINE_ALERTS_JSON_TEXT_PATH',
        'FAULTLINE_SLACK_MODE',
        'FAULTLINE_DISCORD_GUILD_ID',
        'FAULTLINE_DIAGNOSTICS_POOL_CONNECT_TIMEOUT_MS',
        'FAULTLINE_BUILTIN_KNOWLEDGE',
      ]),
    );
    // Secrets have their own variables, read where they are used and never cached with the config.
    expect(names).not.toContain('FAULTLINE_ALERTS_TOKEN');
    expect(names).not.toContain('FAULTLINE_STORE_URL');
  });

  it('parses each value with the schema and wins over the file', () => {
    const c = load(
      {
        FAULTLINE_MATCH_THRESHOLD: '0.6',
        FAULTLINE_OPS_PORT: '9464',
        FAULTLINE_OPS_HOST: '0.0.0.0',
        FAULTLINE_BOT_INCIDENT_CHANNELS: 'C0INC, C0ALERTS',
        FAULTLINE_BOT_LISTEN_TO_BOTS: '[B1, B2]',
        FAULTLINE_BUILTIN_KNOWLEDGE: 'false',
        FAULTLINE_ALERTS_JSON_TEXT_PATH: 'alert.message',
        FAULTLINE_SLACK_MODE: 'http',
        // A text setting stays text: a snowflake must not become a rounded number.
        FAULTLINE_DISCORD_GUILD_ID: '123456789012345678',
        FAULTLINE_POLICY_ROLES: '{sre: [U1, U2]}',
        FAULTLINE_UNRELATED: 'x',
      },
      'match:\n  threshold: 0.4\n  maxResults: 3\nops:\n  drainSeconds: 5\n',
    );
    expect(c.match).toMatchObject({ threshold: 0.6, maxResults: 3 });
    expect(c.ops).toEqual({ port: 9464, host: '0.0.0.0', drainSeconds: 5 });
    expect(c.bot.incidentChannels).toEqual(['C0INC', 'C0ALERTS']);
    expect(c.bot.listenToBots).toEqual(['B1', 'B2']);
    expect(c.builtinKnowledge).toBe(false);
    expect(c.alerts.json.textPath).toBe('alert.message');
    expect(c.slack).toMatchObject({ mode: 'http' });
    expect(c.discord).toMatchObject({ guildId: '123456789012345678' });
    expect(c.policy.roles).toEqual({ sre: ['U1', 'U2'] });
  });

  it('a bad value is a problem naming the variable, not a line of the file', () => {
    expect(problems({ FAULTLINE_MATCH_THRESHOLD: 'high' })).toEqual([
      'FAULTLINE_MATCH_THRESHOLD: match.threshold: Invalid input: expected number, received string',
    ]);
    expect(problems({ FAULTLINE_SLACK_MODE: 'carrier-pigeon' })[0]).toMatch(
      /^FAULTLINE_SLACK_MODE: slack\.mode: /,
    );
    expect(problems({ FAULTLINE_ALERTS_JSON_TEXT_PATH: '' })).toEqual([]);
  });
});

describe('secrets from files (<NAME>_FILE)', () => {
  it('knows the secrets of the core and of every front end', () => {
    expect(SECRET_VARIABLES).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN',
        'SLACK_APP_TOKEN',
        'SLACK_SIGNING_SECRET',
        'DISCORD_TOKEN',
        'FAULTLINE_REDIS_URL',
        'FAULTLINE_ALERTS_TOKEN',
      ]),
    );
  });

  it("reads a file's content without its trailing newline into the variable", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bot'), 'xoxb-from-file\n');
    writeFileSync(path.join(dir, 'redis'), 'redis://:pw@redis:6379/0');
    const env: NodeJS.ProcessEnv = {
      SLACK_BOT_TOKEN_FILE: path.join(dir, 'bot'),
      FAULTLINE_REDIS_URL_FILE: path.join(dir, 'redis'),
      OTHER_FILE: path.join(dir, 'nope'),
    };
    expect(readSecretFiles(env, SECRET_VARIABLES)).toEqual([]);
    expect(env.SLACK_BOT_TOKEN).toBe('xoxb-from-file');
    expect(env.FAULTLINE_REDIS_URL).toBe('redis://:pw@redis:6379/0');
  });

  it('a missing file, or a variable given twice, is one line each and changes nothing', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'app'), 'xapp-1');
    const env: NodeJS.ProcessEnv = {
      DISCORD_TOKEN_FILE: path.join(dir, 'missing'),
      SLACK_APP_TOKEN_FILE: path.join(dir, 'app'),
      SLACK_BOT_TOKEN: 'a',
      SLACK_BOT_TOKEN_FILE: path.join(dir, 'app'),
    };
    expect(readSecretFiles(env, SECRET_VARIABLES)).toEqual([
      'SLACK_BOT_TOKEN and SLACK_BOT_TOKEN_FILE are both set; set one',
      `DISCORD_TOKEN_FILE: cannot read ${path.join(dir, 'missing')}: no such file`,
    ]);
    expect(env.SLACK_APP_TOKEN).toBeUndefined();
  });
});
