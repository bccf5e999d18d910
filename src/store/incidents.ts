import { keyIn, type KeyValueStore } from './kv.js';

/** A week: an alert group that fires again within it continues its thread; after that it starts anew. */
const ALERT_THREAD_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * What incident channels remember: the thread each alert group was posted in, and where the bot was told
 * to keep quiet. Durable, so that a restart neither opens a second thread for a group nor forgets a mute.
 */
export class IncidentStore {
  constructor(private readonly kv: KeyValueStore) {}

  /** The conversation (a front end's thread key) an alert group was posted in. */
  alertThread(group: string): Promise<string | undefined> {
    return this.kv.get<string>(keyIn('alert-thread', group));
  }

  setAlertThread(group: string, thread: string): Promise<void> {
    return this.kv.set(keyIn('alert-thread', group), thread, { ttlMs: ALERT_THREAD_TTL_MS });
  }

  /** Keeps the bot quiet in `scope` (a thread or a channel key) until `until`. */
  mute(scope: string, until: Date): Promise<void> {
    return this.kv.set(keyIn('mute', scope), until.toISOString(), {
      ttlMs: Math.max(1, until.getTime() - Date.now()),
    });
  }

  /** The end of the first mute among `scopes` still in force, if any. */
  async mutedUntil(scopes: readonly string[]): Promise<Date | undefined> {
    for (const s of scopes) {
      const until = await this.kv.get<string>(keyIn('mute', s));
      if (until && Date.parse(until) > Date.now()) return new Date(until);
    }
    return undefined;
  }

  async unmute(scopes: readonly string[]): Promise<boolean> {
    const was = await this.mutedUntil(scopes);
    for (const s of scopes) await this.kv.delete(keyIn('mute', s));
    return was !== undefined;
  }
}
