import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BotObserver } from '../bot/observer.js';
import type { Trigger } from '../bot/bot.js';

/** Prometheus metrics of the running bot; one registry per process so tests can make their own. */
export class BotMetrics implements BotObserver {
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

  constructor(opts: { processMetrics?: boolean } = {}) {
    this.storeUp.set(1);
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
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
}
