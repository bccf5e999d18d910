import type { Logger } from 'pino';
import type { Stores } from '../store/stores.js';
import type { BotMetrics } from './metrics.js';

/**
 * Logs and counts what the state store does behind the answers: one warning when it becomes unreachable
 * and one when this replica first answers without it (not one per event, which would flood the log during
 * an outage), and one line when it is back.
 */
export function watchStore(stores: Stores, metrics: BotMetrics, logger: Logger): void {
  let warnedFallback = false;
  stores.observe({
    reachability(h) {
      metrics.storeReachable(h.reachable);
      if (h.reachable) {
        warnedFallback = false;
        logger.info({ store: h.detail }, 'state store reachable again');
      } else {
        logger.warn(
          { store: h.detail },
          'state store unreachable: answering with dedupe and sessions in this process only; approvals and feedback refused until it is back',
        );
      }
    },
    fellBack(operation, error) {
      metrics.storeFellBack(operation);
      if (warnedFallback) return;
      warnedFallback = true;
      logger.warn(
        { operation, cause: error.detail },
        'state store unreachable: dedupe and sessions kept in this process (another replica may answer the same event)',
      );
    },
  });
}
