import { watch, type FSWatcher } from 'node:fs';
import type { KnowledgeBuild } from '../knowledge/reload.js';
import type { Guide } from '../knowledge/schema.js';
import type { MatchEngine } from '../match/engine.js';
import type { Problem } from '../util/problems.js';

export interface ReloadOutcome {
  ok: boolean;
  /** What asked for it: a file change, SIGHUP. */
  reason: string;
  at: Date;
  /** The guides served after it: the new count, or the old one when the new set was refused. */
  guides: number;
  problems: Problem[];
}

export interface ReloaderOptions {
  /** Folders to watch (the knowledge folders). */
  dirs: readonly string[];
  build: () => KnowledgeBuild;
  /** Puts the new set in service, in one step. */
  apply: (engine: MatchEngine, guides: readonly Guide[]) => void;
  /** The guides served before any reload. */
  initialGuides: number;
  onOutcome: (o: ReloadOutcome) => void;
  /** Editors write a file in several steps (truncate, write, rename): changes within this wait are one. */
  debounceMs?: number;
}

/**
 * Reloads guide folders when they change (a file watch) or when asked (SIGHUP): the new set is built and
 * linted aside, and swapped in only without problems; otherwise the old set keeps serving.
 */
export class GuideReloader {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pendingReason = '';
  private served: number;

  constructor(private readonly o: ReloaderOptions) {
    this.served = o.initialGuides;
  }

  /** Builds, lints and swaps now; synchronous, so two reloads never interleave. */
  reload(reason: string): ReloadOutcome {
    let outcome: ReloadOutcome;
    try {
      const built = this.o.build();
      if (built.ok) {
        this.o.apply(built.engine, built.guides);
        this.served = built.guides.length;
        outcome = { ok: true, reason, at: new Date(), guides: this.served, problems: [] };
      } else outcome = { ok: false, reason, at: new Date(), guides: this.served, problems: built.problems };
    } catch (e) {
      // A folder that vanished mid-read, say: the old set keeps serving, and the cause is said.
      const problem = { file: this.o.dirs.join(', '), line: 1, message: (e as Error).message ?? String(e) };
      outcome = { ok: false, reason, at: new Date(), guides: this.served, problems: [problem] };
    }
    this.o.onOutcome(outcome);
    return outcome;
  }

  /** Watches every folder; a change reloads after the debounce. */
  watch(): void {
    for (const dir of this.o.dirs) {
      try {
        const w = watch(dir, (_event, name) => {
          if (name && !String(name).endsWith('.md')) return;
          this.later(`changed: ${String(name ?? dir)}`);
        });
        w.on('error', () => undefined);
        this.watchers.push(w);
      } catch {
        // A folder that does not exist was already reported at start; SIGHUP still reloads.
      }
    }
  }

  private later(reason: string): void {
    this.pendingReason = reason;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.reload(this.pendingReason), this.o.debounceMs ?? 300);
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }
}
