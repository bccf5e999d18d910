import type { Logger } from 'pino';

/** An error as one line for a log or a note: HTTP status and platform code first when the SDK gives them. */
export function errorText(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; status?: unknown; message?: unknown };
    const parts = [e.status, e.code].filter((x) => x !== undefined).join(' ');
    return `${parts ? `${parts}: ` : ''}${typeof e.message === 'string' ? e.message : String(err)}`;
  }
  return String(err);
}

/**
 * Work a front end runs after acknowledging the platform (a reply, a diagnostic run). A failure is logged
 * and the front end keeps serving; `drain` waits for everything under way, so a stop never cuts a reply
 * or a run in half.
 */
export class TaskTracker {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly log: Pick<Logger, 'error'>,
    private readonly frontEnd: string,
  ) {}

  later(what: string, fields: Record<string, unknown>, fn: () => Promise<void>): void {
    const p = fn()
      .catch((err: unknown) =>
        this.log.error({ ...fields, what, error: errorText(err) }, `${this.frontEnd} handler failed`),
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
