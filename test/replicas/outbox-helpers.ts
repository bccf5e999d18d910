import { deliveryConfigSchema } from '../../src/config/schema.js';
import type { Stores } from '../../src/store/stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Short enough for a test, the same shape as the defaults. */
export const TEST_DELIVERY = deliveryConfigSchema.parse({
  maxAgeMinutes: 3,
  firstRetrySeconds: 1,
  maxRetrySeconds: 5,
  leaseSeconds: 5,
  pollSeconds: 0.5,
});

/** Until nothing waits in the shared outbox. */
export async function outboxEmpty(stores: Stores, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while ((await stores.outbox.all()).length > 0) {
    if (Date.now() > until) throw new Error('timed out waiting for an empty outbox');
    await sleep(100);
  }
}
