import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** One line of the audit log. `event` says which of the four kinds it is. */
export type AuditRecord =
  | ({ event: 'request' } & AuditCommon & {
        params: Record<string, unknown>;
        target: { host?: string; label?: string };
      })
  | ({ event: 'decision' } & AuditCommon & {
        decision: 'allow' | 'deny' | 'needs-approval' | 'invalid';
        reason?: string;
        hosts?: string[];
      })
  | ({ event: 'approval' } & AuditCommon & {
        approver: string;
        decision: 'approved' | 'refused' | 'rejected';
        reason?: string;
      })
  | ({ event: 'result' } & AuditCommon & AuditResult);

export interface AuditCommon {
  requestId: string;
  user: string;
  /** The operating-system account that ran the command line (`faultline run`, `faultline chat`). */
  osUser?: string;
  platform: string;
  channel?: string;
  catalogId?: string;
}

export interface AuditResult {
  host: string;
  /** SHA256 fingerprint of the host key the connection was made with; `local` for the local executor. */
  fingerprint?: string;
  params: Record<string, string>;
  command: string;
  exitCode: number | null;
  signal: string | null;
  bytes: number;
  durationMs: number;
  truncated: boolean;
  timedOut: boolean;
  /** sha256 of the raw output, so the text shown can be checked later without the log holding secrets. */
  outputSha256?: string;
  error?: string;
}

/** Longest string the log keeps of a value someone typed; longer ones are cut and their length kept. */
export const AUDIT_VALUE_MAX = 256;

export function boundedAuditValue(v: string): string {
  return v.length > AUDIT_VALUE_MAX ? `${v.slice(0, AUDIT_VALUE_MAX)}… (${v.length} characters)` : v;
}

/** Identifying fields that come from chat (a diagnostic id, a user name) and so can be any size. */
const TYPED_FIELDS = [
  'requestId',
  'user',
  'osUser',
  'platform',
  'channel',
  'catalogId',
  'approver',
  'reason',
] as const;

/**
 * One JSON line. Format characters (bidi overrides, zero-width joiners) and line separators are written
 * as `\u` escapes: a raw U+202E would make the line read differently from what it records.
 */
export function auditLine(record: AuditRecord, time: Date): string {
  const bounded: Record<string, unknown> = { ...record };
  for (const k of TYPED_FIELDS) {
    const v = bounded[k];
    if (typeof v === 'string') bounded[k] = boundedAuditValue(v);
  }
  const json = JSON.stringify({ time: time.toISOString(), ...bounded });
  return `${json.replace(/[\p{Cf}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export interface AuditSink {
  /** Resolves only once the line is on disk. */
  append(record: AuditRecord): Promise<void>;
  close(): Promise<void>;
}

/**
 * Appends JSON lines and fsyncs each one before resolving, so a record that was acknowledged survives
 * the bot crashing or being killed right after. Writes are serialised so lines never interleave.
 */
export class FileAuditLog implements AuditSink {
  private handle: Promise<FileHandle> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  private fh(): Promise<FileHandle> {
    if (!this.handle) {
      mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // 0600: the log holds parameters and command lines that are for operators only.
      // open()'s mode only applies to a new file: an existing one keeps its mode unless forced.
      this.handle = open(this.file, 'a', 0o600).then(async (fh) => {
        await fh.chmod(0o600);
        return fh;
      });
    }
    return this.handle;
  }

  append(record: AuditRecord): Promise<void> {
    const line = auditLine(record, new Date());
    const run = this.tail.then(async () => {
      const fh = await this.fh();
      await fh.appendFile(line, 'utf8');
      await fh.sync();
    });
    // A failed write must fail its own caller, not every later one.
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.tail;
    if (this.handle) {
      const fh = await this.handle;
      this.handle = undefined;
      await fh.close();
    }
  }
}

/** For tests and for callers that keep the log elsewhere. */
export class MemoryAuditLog implements AuditSink {
  readonly records: AuditRecord[] = [];
  async append(record: AuditRecord): Promise<void> {
    this.records.push(structuredClone(record));
  }
  async close(): Promise<void> {}
}
