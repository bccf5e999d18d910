/** What every executor (SSH, local) does, so the service, fan-out and tests do not care which it is. */
export interface RunSpec {
  argv: readonly string[];
  timeoutSeconds: number;
  maxOutputBytes: number;
  /** Aborting stops the command (signal first, then the channel or process). */
  signal?: AbortSignal;
}

export interface RawResult {
  /** The exact string executed (SSH) or the quoted argv (local), for the audit log. */
  command: string;
  exitCode: number | null;
  signal: string | null;
  /** stdout and stderr interleaved as they arrived, at most `maxOutputBytes`. */
  output: Buffer;
  /** Bytes received, including any beyond the cap that were discarded. */
  bytes: number;
  truncated: boolean;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** Host key the command ran over; `local` for the local executor. */
  fingerprint: string;
}

export interface Executor {
  readonly hostName: string;
  run(spec: RunSpec): Promise<RawResult>;
  /** Connects (if it needs to) and returns the host key fingerprint it verified. */
  check(): Promise<{ fingerprint: string }>;
  close(): Promise<void>;
}

/** Could not reach or authenticate to the host; the command did not start. */
export class ConnectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectError';
  }
}

/** The host offered a key that is not pinned. `offered` is what it presented, for out-of-band checking. */
export class HostKeyError extends ConnectError {
  constructor(
    message: string,
    readonly offered: string,
  ) {
    super(message);
    this.name = 'HostKeyError';
  }
}

/**
 * Whether GNU `timeout` (which wraps every command, local or remote) ended the command: it exits 124 when
 * SIGTERM stopped it, and 128+9 when the command ignored SIGTERM and `-k` killed it at the deadline. A
 * 137 before the deadline is the command's own (the OOM killer, say), not a timeout.
 */
export function endedByTimeout(exitCode: number | null, durationMs: number, timeoutSeconds: number): boolean {
  return exitCode === 124 || (exitCode === 137 && durationMs >= timeoutSeconds * 1000);
}

/** Collects output up to a cap as it streams in, so a flood never sits in memory. */
export class OutputCollector {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  bytes = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Returns false once the cap has been reached: the caller should stop the command. */
  push(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    if (this.truncated) return false;
    const room = this.cap - this.kept;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.kept += room;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.kept += chunk.length;
    return true;
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Counting semaphore for channels per connection. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  get inUse(): number {
    return this.active;
  }

  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else this.active--;
    };
  }
}
