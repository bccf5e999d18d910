import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../cli/run.js';
import { GUIDES_DIR } from '../fakes/slack/harness.js';
import { eventCallback, mention } from '../fakes/slack/payloads.js';
import { FakeSocketMode } from '../fakes/slack/socket.js';
import { BOT_USER, FakeSlackApi, waitFor } from '../fakes/slack/web-api.js';
import { tempDir } from '../helpers.js';
import { requireRedisOrSkip, startRedis, type RedisProcess } from '../store/redis-fixture.js';

const EPIPE = 'write tcp 10.0.3.7:8080->10.0.9.14:51234: write: broken pipe';
const gate = requireRedisOrSkip();

/*
 * Two `faultline start` processes (the built CLI) on one Slack app and one Redis. The fake Slack holds the
 * first chat.postMessage without answering; the replica that sent it is killed with SIGKILL; the other
 * replica's outbox delivers the answer once the dead one's lease ends.
 */
describe.skipIf(gate.skip)('a replica killed with SIGKILL mid-reply', () => {
  let redis: RedisProcess;
  let api: FakeSlackApi;
  let socket: FakeSocketMode;
  const children: ChildProcess[] = [];
  let dir = '';

  beforeAll(async () => {
    redis = await startRedis();
    api = new FakeSlackApi();
    await api.start();
    socket = new FakeSocketMode();
    await socket.start();
    api.socketUrl = socket.url;
    dir = tempDir();
    writeFileSync(
      path.join(dir, 'faultline.yaml'),
      [
        'builtinKnowledge: false',
        `knowledge: [${JSON.stringify(GUIDES_DIR)}]`,
        `store: { kind: redis, url: ${JSON.stringify(redis.url)}, prefix: killed }`,
        'delivery: { firstRetrySeconds: 0.5, maxRetrySeconds: 2, leaseSeconds: 3, pollSeconds: 0.3 }',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await socket?.stop();
    await api?.stop();
    await redis?.dispose();
  });

  function replica(): ChildProcess {
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: dir,
      env: {
        ...process.env,
        NO_COLOR: '1',
        SLACK_BOT_TOKEN: 'xoxb-fake',
        SLACK_APP_TOKEN: 'xapp-fake',
        FAULTLINE_SLACK_API_URL: api.apiUrl,
        FAULTLINE_SLACK_MODE: 'socket',
      },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    children.push(child);
    return child;
  }

  it('the other replica delivers the answer, once', async () => {
    const a = replica();
    await waitFor('replica A connected', () => socket.openConnections === 1, 60_000);
    const b = replica();
    await waitFor('replica B connected', () => socket.openConnections === 2, 60_000);
    await api.outage('hold');
    const ev = mention({ user: 'UALICE', channel: 'CKILL', text: `<@${BOT_USER}> ${EPIPE}` });
    const env = socket.send('events_api', eventCallback(ev), { connection: 0 });
    await waitFor('acked', () => socket.acked(env));
    await waitFor('replica A sending the answer', () => api.held.length === 1, 30_000);
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    api.release();
    await api.recover();
    const posted = () => api.messages.filter((m) => m.channel === 'CKILL' && m.thread_ts === ev.ts);
    await waitFor('the answer from replica B', () => posted()[0], 30_000);
    // Some time for a second copy to show up, were there one.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(posted()).toHaveLength(1);
    expect(b.exitCode).toBeNull();
    b.kill('SIGTERM');
    await new Promise((r) => b.once('exit', r));
  }, 150_000);
});
