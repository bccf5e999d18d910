import type { Logger } from 'pino';
import type { BotReply } from '../bot/diagnostics.js';
import { WEEKDAYS, type DigestConfig } from '../config/schema.js';
import type { Outbound } from '../frontend/frontend.js';
import { rankGaps, type GapStore } from '../store/learned.js';
import { parseChannelRef, type ChannelRef } from './alerts.js';

/** The digest covers the week before it. */
export const DIGEST_DAYS = 7;

/**
 * A replica that was down at the digest's hour posts it when it is back, within this long; later than that
 * the week's digest is skipped rather than posted on a random day.
 */
const CATCH_UP_HOURS = 24;

/** How often each replica asks whether a digest is due; the claim in the store keeps it to one post. */
const TICK_MS = 60_000;

/** The digest's moment that `now` belongs to, if it is due: the last configured weekday and hour, within a day. */
export function dueSlot(now: Date, config: DigestConfig): string | undefined {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: config.timeZone,
    weekday: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(part('weekday').toLowerCase() as (typeof WEEKDAYS)[number]);
  const hour = Number(part('hour'));
  let daysBack = (weekday - WEEKDAYS.indexOf(config.weekday) + 7) % 7;
  if (daysBack === 0 && hour < config.hour) daysBack = 7;
  if (daysBack * 24 + hour - config.hour >= CATCH_UP_HOURS) return undefined;
  // Calendar arithmetic on the local date: a UTC date object only carries the numbers.
  const day = new Date(
    Date.UTC(Number(part('year')), Number(part('month')) - 1, Number(part('day')) - daysBack),
  );
  return `${day.toISOString().slice(0, 10)}T${String(config.hour).padStart(2, '0')} ${config.timeZone}`;
}

/**
 * `learning.digest`: once a week, the pastes no guide answered, posted to one channel through the outbox.
 * Every replica runs it; the first to claim the week's slot in the shared store posts, the others skip.
 */
export class GapsDigest {
  private readonly where: ChannelRef;
  private timer: NodeJS.Timeout | undefined;
  /** The slot this process already dealt with, so that it asks the store once per week, not every minute. */
  private handled: string | undefined;
  private warnedMissing = false;

  constructor(
    private readonly config: DigestConfig,
    private readonly gaps: GapStore,
    /** The running front end for a platform, or undefined while it is not (yet) running. */
    private readonly outbound: (platform: string) => Outbound | undefined,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'error'>,
  ) {
    this.where = parseChannelRef(config.channel);
  }

  get platform(): string {
    return this.where.platform;
  }

  start(): void {
    const tick = () =>
      void this.tick().catch((e: unknown) => this.log.warn({ err: e }, 'gaps digest failed'));
    tick();
    this.timer = setInterval(tick, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Posts the digest when it is due and no replica has; says what it did, for tests and logs. */
  async tick(now = new Date()): Promise<'not-due' | 'posted' | 'taken' | 'waiting' | 'failed'> {
    const slot = dueSlot(now, this.config);
    if (!slot || slot === this.handled) return 'not-due';
    const out = this.outbound(this.where.platform);
    if (!out) {
      if (!this.warnedMissing)
        this.log.warn(
          { channel: this.config.channel },
          `gaps digest due, but ${this.where.platform} is not connected yet`,
        );
      this.warnedMissing = true;
      return 'waiting';
    }
    const key = `${this.config.channel} ${slot}`;
    if (!(await this.gaps.claimDigest(key, now.toISOString()))) {
      this.handled = slot;
      return 'taken';
    }
    try {
      const ranked = rankGaps(await this.gaps.list(), DIGEST_DAYS * 86_400_000, now.getTime());
      const reply: BotReply = {
        kind: 'gaps-digest',
        days: DIGEST_DAYS,
        gaps: ranked.slice(0, this.config.top).map(({ template, count, sample, lastSeen, nearest }) => ({
          template,
          count,
          sample,
          lastSeen,
          nearest,
        })),
        more: Math.max(0, ranked.length - this.config.top),
      };
      // Once in the outbox it is durable: a platform outage delays the digest, it does not lose it.
      const outcome = await out.post({
        channel: this.where.channel,
        replies: [reply],
        id: `gap-digest ${key}`,
      });
      this.handled = slot;
      if (outcome.state === 'dropped') {
        this.log.error({ channel: this.config.channel, reason: outcome.reason }, 'gaps digest dropped');
        return 'failed';
      }
      this.log.info({ channel: this.config.channel, slot, gaps: ranked.length }, 'gaps digest posted');
      return 'posted';
    } catch (e) {
      // Not in the outbox: let the next tick (of any replica) try again.
      await this.gaps.releaseDigest(key).catch(() => undefined);
      throw e;
    }
  }
}
