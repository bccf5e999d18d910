import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../../src/config/schema.js';
import { AlertIntake, alertText, routeFor } from '../../src/ops/alerts.js';
import { BotMetrics } from '../../src/ops/metrics.js';
import { startOpsServer, type OpsServer } from '../../src/ops/server.js';
import * as discord from '../fakes/discord/harness.js';
import { INCIDENTS as DISCORD_INCIDENTS } from '../fakes/discord/payloads.js';
import * as slack from '../fakes/slack/harness.js';
import { messageText, waitFor } from '../fakes/slack/web-api.js';

const TOKEN = 'alerts-token-0123456789';
const PG =
  'psql: error: connection to server at "db.internal" (10.0.5.20), port 5432 failed: FATAL:  sorry, too many clients already';
const DEADLINE = 'dial tcp 10.0.0.1:443: i/o timeout context deadline exceeded';

/** Alertmanager's webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
function alertmanager(o: {
  groupKey: string;
  status?: 'firing' | 'resolved';
  alerts: {
    status?: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    fingerprint?: string;
  }[];
}): Record<string, unknown> {
  const status = o.status ?? 'firing';
  const first = o.alerts[0]?.labels ?? {};
  return {
    version: '4',
    groupKey: o.groupKey,
    truncatedAlerts: 0,
    status,
    receiver: 'faultline',
    groupLabels: { alertname: first.alertname ?? '' },
    commonLabels: first,
    commonAnnotations: {},
    externalURL: 'http://alertmanager.internal:9093',
    alerts: o.alerts.map((a, i) => ({
      status: a.status ?? status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: '2026-12-06T10:03:20.000Z',
      endsAt: a.status === 'resolved' ? '2026-12-06T10:20:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=up',
      fingerprint: a.fingerprint ?? `fp${i}${o.groupKey.length}`,
    })),
  };
}

async function postHook(
  ops: OpsServer,
  path: string,
  body: unknown,
  token: string | null = TOKEN,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${ops.port}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('alert routing and text', () => {
  const config = alertsConfigSchema.parse({
    channel: 'slack:CDEFAULT',
    routes: [
      { labels: { team: 'payments' }, channel: 'slack:CPAY' },
      { labels: { team: 'payments', severity: 'page' }, channel: 'slack:CNEVER' },
    ],
  });

  it('first matching route wins, else the default channel', () => {
    expect(routeFor({ team: 'payments', severity: 'page' }, config)).toEqual({
      platform: 'slack',
      channel: 'CPAY',
    });
    expect(routeFor({ team: 'search' }, config)).toEqual({ platform: 'slack', channel: 'CDEFAULT' });
    expect(routeFor({}, { ...config, channel: undefined })).toBeUndefined();
  });

  it('refuses a channel written without its platform', () => {
    const r = alertsConfigSchema.safeParse({ channel: '#inc-payments' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/slack:<channel id> or discord:<channel id>/);
  });

  it('matches summary, description, log annotations and labels, not links', () => {
    const text = alertText({
      status: 'firing',
      labels: { alertname: 'PgDown', job: 'api' },
      annotations: {
        summary: 'API cannot reach Postgres',
        log_excerpt: PG,
        runbook_url: 'https://runbooks/pg',
      },
    });
    expect(text).toContain(PG);
    expect(text).toContain('alertname=PgDown job=api');
    expect(text).not.toContain('runbooks');
  });
});

describe('POST /hooks/alertmanager into Slack (real Bolt app, fake Slack)', () => {
  let h: slack.Harness;
  let ops: OpsServer;
  beforeAll(async () => {
    h = await slack.startHarness({ mode: 'socket' });
    const intake = new AlertIntake(
      h.bot,
      h.store,
      alertsConfigSchema.parse({
        token: TOKEN,
        channel: 'slack:CDEFAULT',
        routes: [{ labels: { team: 'payments' }, channel: 'slack:CPAY' }],
        json: { textPath: 'event.message', labelsPath: 'event.tags', groupPath: 'event.incident' },
      }),
      (p) => (p === 'slack' ? h.outbound : undefined),
    );
    ops = await startOpsServer(new BotMetrics(), {
      port: 0,
      host: '127.0.0.1',
      hooks: (r) => intake.handle(r),
    });
  });
  afterAll(async () => {
    await ops?.close();
    await h?.stop();
  });

  it('a bad or missing token gets 401 and nothing is posted', async () => {
    const before = h.api.posted().length;
    const body = alertmanager({
      groupKey: '{}:{alertname="PgTooManyClients"}',
      alerts: [
        { labels: { alertname: 'PgTooManyClients', team: 'payments' }, annotations: { description: PG } },
      ],
    });
    expect((await postHook(ops, '/hooks/alertmanager', body, 'wrong-token-0123456789')).status).toBe(401);
    expect((await postHook(ops, '/hooks/alertmanager', body, null)).status).toBe(401);
    expect(h.api.posted().length).toBe(before);
  });

  it('posts the guide in the route channel, threaded per group, once per guide, and notes the resolution', async () => {
    const groupKey = '{}/{team="payments"}:{alertname="PgTooManyClients"}';
    const labels = { alertname: 'PgTooManyClients', team: 'payments', instance: 'db-1' };
    const firing = alertmanager({
      groupKey,
      alerts: [
        {
          labels,
          annotations: { summary: 'Postgres refuses connections', description: PG },
          fingerprint: 'a1',
        },
        { labels: { ...labels, instance: 'db-2' }, annotations: { description: PG }, fingerprint: 'a2' },
      ],
    });
    const res = await postHook(ops, '/hooks/alertmanager', firing);
    expect(res).toMatchObject({ status: 200, body: { alerts: 2, firing: 2, guides: 1 } });
    const inPay = () => h.api.posted().filter((c) => c.args.channel === 'CPAY');
    const root = inPay().find((c) => c.args.thread_ts === undefined);
    expect(root && messageText(root)).toMatch(/Alert firing: PgTooManyClients/);
    const rootTs = root?.args.ok_ts as string;
    const guide = inPay().filter((c) => c.args.thread_ts === rootTs);
    expect(guide).toHaveLength(1);
    expect(messageText(guide[0]!)).toMatch(/too many/i);
    // Alertmanager re-sends the group every repeat interval: no second guide, no second thread.
    expect((await postHook(ops, '/hooks/alertmanager', firing)).body).toMatchObject({ guides: 0 });
    expect(inPay()).toHaveLength(2);
    const resolved = alertmanager({
      groupKey,
      status: 'resolved',
      alerts: [{ status: 'resolved', labels, annotations: { description: PG }, fingerprint: 'a1' }],
    });
    expect((await postHook(ops, '/hooks/alertmanager', resolved)).status).toBe(200);
    const note = inPay().filter((c) => c.args.thread_ts === rootTs)[1];
    expect(note && messageText(note)).toMatch(/Resolved: PgTooManyClients/);
    expect(h.api.rejected).toEqual([]);
  });

  it('another group gets its own thread; an unmatched label goes to the default channel', async () => {
    const res = await postHook(
      ops,
      '/hooks/alertmanager',
      alertmanager({
        groupKey: '{}:{alertname="UpstreamTimeout"}',
        alerts: [
          {
            labels: { alertname: 'UpstreamTimeout', team: 'search' },
            annotations: { description: DEADLINE },
          },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const posts = h.api.posted().filter((c) => c.args.channel === 'CDEFAULT');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.args.thread_ts).toBe(posts[0]?.args.ok_ts);
    expect(messageText(posts[1]!)).toMatch(/deadline|time(d)? ?out/i);
  });

  it('bad payloads get a 400 that says what is wrong, and nothing is posted', async () => {
    const before = h.api.posted().length;
    const notJson = await postHook(ops, '/hooks/alertmanager', '{"version": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/not JSON/);
    const noAlerts = await postHook(ops, '/hooks/alertmanager', {
      version: '4',
      groupKey: 'x',
      status: 'firing',
    });
    expect(noAlerts).toMatchObject({ status: 400, body: { error: expect.stringMatching(/alerts/) } });
    const badStatus = await postHook(ops, '/hooks/alertmanager', {
      ...alertmanager({ groupKey: 'y', alerts: [] }),
      status: 'burning',
    });
    expect(badStatus).toMatchObject({ status: 400, body: { error: expect.stringMatching(/status/) } });
    const noText = await postHook(ops, '/hooks/json', { event: { title: 'x' } });
    expect(noText).toMatchObject({ status: 400, body: { error: expect.stringMatching(/event\.message/) } });
    expect(h.api.posted().length).toBe(before);
  });

  it('the generic JSON hook reads the text, labels and group at their configured paths', async () => {
    const res = await postHook(ops, '/hooks/json', {
      event: { message: PG, tags: { team: 'payments' }, incident: 'INC-42' },
    });
    expect(res).toMatchObject({ status: 200, body: { guides: 1 } });
    const last = h.api
      .posted()
      .filter((c) => c.args.channel === 'CPAY')
      .at(-1);
    expect(last && messageText(last)).toMatch(/too many/i);
  });
});

describe('POST /hooks/alertmanager into Discord (real discord.js client, fake gateway and REST)', () => {
  let h: discord.Harness;
  let ops: OpsServer;
  beforeAll(async () => {
    h = await discord.startHarness();
    const intake = new AlertIntake(
      h.bot,
      h.store,
      alertsConfigSchema.parse({
        token: TOKEN,
        routes: [{ labels: { team: 'search' }, channel: `discord:${DISCORD_INCIDENTS}` }],
      }),
      (p) => (p === 'discord' ? h.outbound : undefined),
    );
    ops = await startOpsServer(new BotMetrics(), {
      port: 0,
      host: '127.0.0.1',
      hooks: (r) => intake.handle(r),
    });
  });
  afterAll(async () => {
    await ops?.close();
    await h?.stop();
  });

  it('posts the guide in a thread on the alert message in the routed channel; a bad token posts nothing', async () => {
    const body = alertmanager({
      groupKey: '{}:{alertname="UpstreamTimeout"}',
      alerts: [
        {
          labels: { alertname: 'UpstreamTimeout', team: 'search' },
          annotations: { summary: 'search API upstream timeouts', description: DEADLINE },
        },
      ],
    });
    expect((await postHook(ops, '/hooks/alertmanager', body, 'not-the-token-at-all')).status).toBe(401);
    expect(h.rest.inChannel(DISCORD_INCIDENTS)).toHaveLength(0);
    const res = await postHook(ops, '/hooks/alertmanager', body);
    expect(res).toMatchObject({ status: 200, body: { guides: 1 } });
    const root = await waitFor('alert message', () => h.rest.inChannel(DISCORD_INCIDENTS)[0]);
    expect(discord.messageText(root)).toMatch(/Alert firing: UpstreamTimeout/);
    const id = (root.message as { id: string }).id;
    const inThread = h.rest.inChannel(id);
    expect(inThread).toHaveLength(1);
    expect(discord.messageText(inThread[0]!)).toMatch(/deadline|time(d)? ?out/i);
  });

  it('says which front end is missing when a route names a platform that is not running', async () => {
    const intake = new AlertIntake(
      h.bot,
      h.store,
      alertsConfigSchema.parse({ token: TOKEN, channel: 'slack:CNONE' }),
      () => undefined,
    );
    const res = await intake.handle({
      path: '/hooks/alertmanager',
      authorization: `Bearer ${TOKEN}`,
      body: JSON.stringify(
        alertmanager({
          groupKey: 'z',
          alerts: [{ labels: { alertname: 'X' }, annotations: { description: PG } }],
        }),
      ),
    });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(/slack front end is not running/);
  });
});
