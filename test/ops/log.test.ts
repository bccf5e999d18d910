import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startLogger } from '../../adapters/terminal/log.js';

function capture(
  env: NodeJS.ProcessEnv,
  tty: boolean,
): { lines: () => string[]; log: ReturnType<typeof startLogger> } {
  const out = new PassThrough();
  Object.assign(out, { isTTY: tty });
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { log: startLogger(env, out), lines: () => text.split('\n').filter(Boolean) };
}

describe('the logger of faultline start', () => {
  it('writes JSON lines when its stream is not a terminal', async () => {
    const c = capture({}, false);
    c.log.info({ platform: 'slack' }, 'platform connected');
    c.log.debug('not at info');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.lines()).toHaveLength(1);
    expect(JSON.parse(c.lines()[0]!)).toMatchObject({
      level: 30,
      msg: 'platform connected',
      platform: 'slack',
    });
  });

  it('writes one readable line per record on a terminal, and honours FAULTLINE_LOG_FORMAT and _LEVEL', async () => {
    const c = capture({ NO_COLOR: '1', FAULTLINE_LOG_LEVEL: 'debug' }, true);
    c.log.warn({ platform: 'slack', retryInMs: 2000 }, 'platform unreachable, retrying');
    c.log.debug('details');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.lines()[0]).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}platform unreachable, retrying platform=slack retryInMs=2000$/,
    );
    expect(c.lines()[1]).toMatch(/DEBUG details$/);
    const json = capture({ FAULTLINE_LOG_FORMAT: 'json' }, true);
    json.log.info('x');
    await new Promise((r) => setTimeout(r, 20));
    expect(() => JSON.parse(json.lines()[0]!) as unknown).not.toThrow();
    expect(() => startLogger({ FAULTLINE_LOG_LEVEL: 'loud' })).toThrow(/FAULTLINE_LOG_LEVEL must be one of/);
  });
});
