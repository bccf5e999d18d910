import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Bot } from '../bot/bot.js';
import type { BotReply } from '../bot/diagnostics.js';
import type { AlertsConfig } from '../config/schema.js';
import type { Outbound } from '../frontend/frontend.js';
import type { Stores } from '../store/stores.js';

/**
 * The alert webhooks: Alertmanager's documented webhook body (`POST /hooks/alertmanager`) and any JSON
 * body with the text at a configured path (`POST /hooks/json`). Each firing alert's text goes through
 * `Bot.receive` like a paste; the guide is posted to the route's channel, in one thread per alert group.
 */

/** Alertmanager's webhook body (version 4); fields we do not read are allowed and ignored. */
const alertmanagerSchema = z.object({
  version: z.string(),
  groupKey: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  groupLabels: z.record(z.string(), z.string()).default({}),
  commonLabels: z.record(z.string(), z.string()).default({}),
  alerts: z.array(
    z.object({
      status: z.enum(['firing', 'resolved']),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()).default({}),
      startsAt: z.string().optional(),
      fingerprint: z.string().optional(),
    }),
  ),
});

export interface Alert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  fingerprint?: string;
}

/** One notification: a group of alerts that share a thread. */
export interface AlertGroup {
  key: string;
  /** What the thread's first message says the group is. */
  labels: Record<string, string>;
  alerts: Alert[];
}

export interface HookRequest {
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface HookResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Where a route's channel is: the platform's front end and its channel id. */
export interface ChannelRef {
  platform: string;
  channel: string;
}

export const HOOK_PATHS = ['/hooks/alertmanager', '/hooks/json'] as const;

/** Annotations that point elsewhere rather than describe the error. */
const LINK_ANNOTATION = /(^|_)(url|link|dashboard|runbook)$/i;

/**
 * The text matched for an alert: its summary and description, any other annotation that is not a link
 * (log excerpts, messages), then its labels on one line (`job=`, `reason=` and the like carry error words).
 */
export function alertText(a: Alert): string {
  const ann = a.annotations;
  const lines: string[] = [];
  for (const k of ['summary', 'description', 'message']) if (ann[k]) lines.push(ann[k]);
  for (const [k, v] of Object.entries(ann))
    if (!['summary', 'description', 'message'].includes(k) && !LINK_ANNOTATION.test(k) && v.trim())
      lines.push(v);
  const labels = Object.entries(a.labels).map(([k, v]) => `${k}=${v}`);
  if (labels.length) lines.push(labels.join(' '));
  return lines.join('\n');
}

/** The channel of the first route whose labels all equal the alert's, else the default; undefined when none. */
export function routeFor(labels: Record<string, string>, config: AlertsConfig): ChannelRef | undefined {
  const hit = config.routes.find((r) => Object.entries(r.labels).every(([k, v]) => labels[k] === v));
  const ref = hit?.channel ?? config.channel;
  return ref ? parseChannelRef(ref) : undefined;
}

/** `slack:C123` (a value `channelRefSchema` accepted) as its platform and channel. */
export function parseChannelRef(ref: string): ChannelRef {
  const i = ref.indexOf(':');
  return { platform: ref.slice(0, i), channel: ref.slice(i + 1) };
}

/** Reads `a.b.0.c` from a JSON value. */
export function atPath(value: unknown, path: string): unknown {
  let v = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? v[Number(part)] : (v as Record<string, unknown>)[part];
  }
  return v;
}

type Parsed = { groups: AlertGroup[] } | { error: string };

export function parseAlertmanager(body: unknown): Parsed {
  const r = alertmanagerSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    return { error: `not an Alertmanager webhook body: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  const p = r.data;
  return {
    groups: [
      {
        key: `alertmanager:${p.groupKey}`,
        labels: Object.keys(p.groupLabels).length ? p.groupLabels : p.commonLabels,
        alerts: p.alerts,
      },
    ],
  };
}

export function parseJsonHook(body: unknown, json: AlertsConfig['json']): Parsed {
  const text = atPath(body, json.textPath);
  if (typeof text !== 'string' || !text.trim())
    return { error: `no text at "${json.textPath}" (alerts.json.textPath) in the body` };
  let labels: Record<string, string> = {};
  if (json.labelsPath) {
    const l = atPath(body, json.labelsPath);
    if (l !== undefined) {
      if (
        !l ||
        typeof l !== 'object' ||
        Array.isArray(l) ||
        Object.values(l).some((x) => typeof x !== 'string')
      )
        return { error: `"${json.labelsPath}" (alerts.json.labelsPath) is not an object of strings` };
      labels = l as Record<string, string>;
    }
  }
  const group = json.groupPath ? atPath(body, json.groupPath) : undefined;
  if (json.groupPath && typeof group !== 'string' && typeof group !== 'number')
    return { error: `no group key at "${json.groupPath}" (alerts.json.groupPath) in the body` };
  const key = group !== undefined ? String(group) : createHash('sha256').update(text).digest('hex');
  return {
    groups: [
      { key: `json:${key}`, labels, alerts: [{ status: 'firing', labels, annotations: { message: text } }] },
    ],
  };
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function describeLabels(labels: Record<string, string>): string {
  const name = labels.alertname;
  const rest = Object.entries(labels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`);
  return [name, rest.length ? `(${rest.join(', ')})` : ''].filter(Boolean).join(' ') || 'alert';
}

/** A week: a repeat notification of a resolved alert within it is not noted again. */
const NOTED_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Authenticates and parses a hook request, routes each alert, keeps one thread per alert group and
 * channel, and asks the bot for the guide of each firing alert.
 */
export class AlertIntake {
  constructor(
    private readonly bot: Bot,
    private readonly stores: Stores,
    private readonly config: AlertsConfig,
    /** The running front end for a platform, or undefined when it is not running. */
    private readonly outbound: (platform: string) => Outbound | undefined,
  ) {}

  async handle(req: HookRequest): Promise<HookResponse> {
    if (!this.config.token)
      return {
        status: 503,
        body: { error: 'the alert webhooks are off: set alerts.token or FAULTLINE_ALERTS_TOKEN' },
      };
    const given = /^Bearer (.+)$/.exec(req.authorization ?? '')?.[1];
    if (!given || !sameToken(given, this.config.token))
      return { status: 401, body: { error: 'missing or wrong bearer token' } };
    let json: unknown;
    try {
      json = JSON.parse(req.body);
    } catch (e) {
      return { status: 400, body: { error: `the body is not JSON: ${(e as Error).message}` } };
    }
    const parsed =
      req.path === '/hooks/alertmanager' ? parseAlertmanager(json) : parseJsonHook(json, this.config.json);
    if ('error' in parsed) return { status: 400, body: { error: parsed.error } };
    const counts = { alerts: 0, firing: 0, resolved: 0, guides: 0, unrouted: 0 };
    const undelivered: string[] = [];
    for (const group of parsed.groups) {
      for (const alert of group.alerts) {
        counts.alerts++;
        counts[alert.status]++;
        const route = routeFor(alert.labels, this.config);
        if (!route) {
          counts.unrouted++;
          continue;
        }
        const out = this.outbound(route.platform);
        if (!out) {
          undelivered.push(
            `${route.platform}:${route.channel} (the ${route.platform} front end is not running)`,
          );
          continue;
        }
        const threadId = `${route.platform}:${route.channel}:${createHash('sha256').update(group.key).digest('hex').slice(0, 32)}`;
        let thread = await this.stores.incidents.alertThread(threadId);
        if (alert.status === 'resolved') {
          // Only a thread the bot started hears that its alert resolved.
          if (!thread) continue;
          const noted = `alert-resolved:${threadId}:${alert.fingerprint ?? alertText(alert)}:${alert.startsAt ?? ''}`;
          if (!(await this.stores.dedupe.firstSeen(noted, NOTED_TTL_MS))) continue;
          const note: BotReply = { kind: 'text', text: `Resolved: ${describeLabels(alert.labels)}` };
          const posted = await out.post({ channel: route.channel, thread, replies: [note], id: noted });
          if (posted.state === 'dropped') undelivered.push(`${route.platform}:${route.channel}`);
          continue;
        }
        if (!thread) {
          const header: BotReply = {
            kind: 'text',
            text: `Alert firing: ${describeLabels(group.labels)}. Guides for its alerts follow in this thread.`,
          };
          // The same id while the header waits in the outbox: a resent notification does not post it twice,
          // and the outbox records the thread once the header is posted.
          const posted = await out.post({
            channel: route.channel,
            replies: [header],
            id: `alert-header:${threadId}`,
            after: { alertThread: threadId },
          });
          thread = posted.state === 'delivered' ? posted.to.thread : undefined;
          if (!thread) {
            // The guide needs the thread: a 5xx makes the sender resend, by when the header is posted.
            undelivered.push(`${route.platform}:${route.channel}`);
            continue;
          }
          await this.stores.incidents.setAlertThread(threadId, thread);
        }
        const replies = await this.bot.receive({
          platform: route.platform,
          user: 'alerts',
          channel: route.channel,
          thread,
          text: alertText(alert),
          trigger: 'alert',
        });
        if (replies.length) {
          counts.guides += replies.filter((r) => r.kind === 'guide').length;
          const posted = await out.post({
            channel: route.channel,
            thread,
            replies,
            id: `alert:${threadId}:${alert.fingerprint ?? createHash('sha256').update(alertText(alert)).digest('hex')}:${alert.startsAt ?? ''}`,
          });
          // Queued is kept: the outbox delivers it when the platform takes it.
          if (posted.state === 'dropped') undelivered.push(`${route.platform}:${route.channel}`);
        }
      }
    }
    // A 5xx makes Alertmanager send the notification again.
    if (undelivered.length)
      return {
        status: 502,
        body: { ...counts, error: `not delivered to ${[...new Set(undelivered)].join(', ')}` },
      };
    return { status: 200, body: counts };
  }
}

/** `alerts` as configured, with `FAULTLINE_ALERTS_TOKEN` over the file's token. */
export function alertsSettings(config: AlertsConfig, env: NodeJS.ProcessEnv): AlertsConfig {
  const token = env.FAULTLINE_ALERTS_TOKEN;
  return token ? { ...config, token } : config;
}
