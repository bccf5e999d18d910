import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BotObserver } from '../bot/observer.js';
import type { Trigger } from '../bot/bot.js';
import type { OutboxObserver } from '../delivery/outbox.js';
import { version } from '../version.js';

/** Prometheus metrics of the running bot; one registry per process so tests can make their own. */
export class BotMetrics implements BotObserver, OutboxObserver {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'faultline_events_received_total',
    help: 'Events the conversation layer received',
    labelNames: ['platform', 'trigger'],
    registers: [this.registry],
  });
  private readonly replies = new Counter({
    name: 'faultline_replies_sent_total',
    help: 'Replies the conversation layer returned to a front end',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly matches = new Counter({
    name: 'faultline_matches_total',
    help: 'Pastes answered with a guide, by guide',
    labelNames: ['guide'],
    registers: [this.registry],
  });
  private readonly noMatch = new Counter({
    name: 'faultline_no_match_total',
    help: 'Pastes for which no guide cleared the threshold',
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'faultline_match_duration_seconds',
    help: 'Time to match one paste',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  private readonly skipped = new Counter({
    name: 'faultline_regex_signatures_skipped_total',
    help: 'Regex signatures not run on a paste because its regex time budget was spent',
    registers: [this.registry],
  });
  private readonly diagnostics = new Counter({
    name: 'faultline_diagnostics_total',
    help: 'Diagnostic requests by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  private readonly buildInfo = new Gauge({
    name: 'faultline_build_info',
    help: 'Always 1; the labels say which faultline and which Node.js run',
    labelNames: ['version', 'node'],
    registers: [this.registry],
  });
  private readonly guides = new Gauge({
    name: 'faultline_guides_loaded',
    help: 'Guides the bot serves',
    registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: 'faultline_guide_reloads_total',
    help: 'Guide reloads by outcome (ok: swapped in; refused: problems, the old set kept)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly lastReload = new Gauge({
    name: 'faultline_guide_reload_last_success',
    help: '1 when the last guide reload was swapped in, 0 when it was refused',
    registers: [this.registry],
  });
  private readonly lastReloadAt = new Gauge({
    name: 'faultline_guide_reload_last_timestamp_seconds',
    help: 'When the last guide reload ran (Unix time)',
    registers: [this.registry],
  });
  private readonly lastReloadProblems = new Gauge({
    name: 'faultline_guide_reload_last_problems',
    help: 'Problems found by the last guide reload (0 when it was swapped in)',
    registers: [this.registry],
  });
  private readonly storeUp = new Gauge({
    name: 'faultline_store_reachable',
    help: '1 while the state store answers, 0 while it is unreachable',
    registers: [this.registry],
  });
  private readonly storeFallbacks = new Counter({
    name: 'faultline_store_fallback_total',
    help: 'Dedupe and session operations kept in this process because the shared store was unreachable',
    labelNames: ['operation'],
    registers: [this.registry],
  });

  private readonly outboxSize = new Gauge({
    name: 'faultline_outbox_depth',
    help: 'Replies waiting in the outbox (every replica sees the same shared outbox)',
    registers: [this.registry],
  });
  private readonly outboxOldest = new Gauge({
    name: 'faultline_outbox_oldest_seconds',
    help: 'Age of the oldest reply waiting in the outbox, from its event',
    registers: [this.registry],
  });
  private readonly outboxAttempts = new Counter({
    name: 'faultline_outbox_attempts_total',
    help: 'Messages this replica tried to post through the outbox',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly outboxDelivers = new Counter({
    name: 'faultline_outbox_delivered_total',
    help: 'Messages the platform confirmed (or that were found already posted)',
    labelNames: ['platform'],
    registers: [this.registry],
  });
  private readonly outboxDrops = new Counter({
    name: 'faultline_outbox_dropped_total',
    help: 'Replies given up, by reason (expired, store_unreachable, or the platform error that cannot heal)',
    labelNames: ['platform', 'reason'],
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    this.storeUp.set(1);
    this.buildInfo.set({ version: version(), node: process.version }, 1);
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  guidesLoaded(count: number): void {
    this.guides.set(count);
  }
  guideReload(o: { ok: boolean; at: Date; guides: number; problems: number }): void {
    this.reloads.inc({ outcome: o.ok ? 'ok' : 'refused' });
    this.lastReload.set(o.ok ? 1 : 0);
    this.lastReloadAt.set(o.at.getTime() / 1000);
    this.lastReloadProblems.set(o.problems);
    this.guides.set(o.guides);
  }

  eventReceived(platform: string, trigger: Trigger): void {
    this.events.inc({ platform, trigger });
  }
  matched(_platform: string, guideId: string | null, seconds: number, skipped = 0): void {
    if (skipped) this.skipped.inc(skipped);
    if (guideId) this.matches.inc({ guide: guideId });
    else this.noMatch.inc();
    this.latency.observe(seconds);
  }
  repliesReturned(platform: string, count: number): void {
    if (count) this.replies.inc({ platform }, count);
  }
  diagnosticOutcome(outcome: string): void {
    this.diagnostics.inc({ outcome });
  }
  storeReachable(reachable: boolean): void {
    this.storeUp.set(reachable ? 1 : 0);
  }
  storeFellBack(operation: string): void {
    this.storeFallbacks.inc({ operation });
  }
  outboxAttempt(platform: string): void {
    this.outboxAttempts.inc({ platform });
  }
  outboxDelivered(platform: string): void {
    this.outboxDelivers.inc({ platform });
  }
  outboxDropped(platform: string, reason: string): void {
    this.outboxDrops.inc({ platform, reason });
  }
  outboxDepth(depth: number, oldestSeconds: number): void {
    this.outboxSize.set(depth);
    this.outboxOldest.set(oldestSeconds);
  }
}
