import type { Trigger } from './bot.js';

/**
 * What the conversation reports as it works, for metrics. Kept as an interface so the bot does not
 * depend on a metrics library, and so tests can watch it.
 */
export interface BotObserver {
  eventReceived(platform: string, trigger: Trigger): void;
  /** `guideId` null when no guide cleared the threshold. */
  /** `skipped`: regex signatures the paste's regex budget could not afford. */
  matched(platform: string, guideId: string | null, seconds: number, skipped?: number): void;
  repliesReturned(platform: string, count: number): void;
  diagnosticOutcome(outcome: string): void;
}

export const NO_OBSERVER: BotObserver = {
  eventReceived: () => undefined,
  matched: () => undefined,
  repliesReturned: () => undefined,
  diagnosticOutcome: () => undefined,
};
