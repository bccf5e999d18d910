import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { formatProblem } from '../util/problems.js';
import { MemoryKeyValueStore, type Slot } from './memory.js';

export interface FileStoreOptions {
  /** Where problems found while reading the file go (a skipped line); standard error when omitted. */
  warn?: (message: string) => void;
  now?: () => number;
}

/** Another live process holds the folder: two writers would lose each other's records at compaction. */
export class StoreLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

/**
 * The memory store plus a log in `dir/values.jsonl`: every set and delete is appended and fsynced before it
 * is acknowledged, replayed at start and compacted to the live values. For ONE process only: a lock file
 * (`dir/lock`, holding the pid) refuses a second one, since compaction rewrites the file under any other
 * writer. Several replicas need a shared store (Redis).
 */
export class FileKeyValueStore extends MemoryKeyValueStore {
  private readonly file: string;
  private readonly lockFile: string;
  private fd: number | undefined;

  constructor(dir: string, options: FileStoreOptions = {}) {
    super(options.now);
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'values.jsonl');
    this.lockFile = path.join(dir, 'lock');
    acquireLock(this.lockFile);
    try {
      const now = (options.now ?? Date.now)();
      const warn = options.warn ?? ((m: string) => process.stderr.write(`faultline: ${m}\n`));
      for (const [key, slot] of readLog(this.file, warn))
        if (slot.expiresAt === undefined || slot.expiresAt > now) this.slots.set(key, slot);
      // Compact to the live values and swap the file in atomically; this also drops a torn last line, so
      // the next append starts on a line of its own.
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, [...this.slots].map(([k, s]) => line(k, s)).join(''), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.fd = openSync(this.file, 'a', 0o600);
    } catch (e) {
      releaseLock(this.lockFile);
      throw e;
    }
  }

  protected override record(key: string, slot: Slot | undefined): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, slot ? line(key, slot) : JSON.stringify({ key, deleted: true }) + '\n');
    fsyncSync(this.fd);
  }

  override async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    releaseLock(this.lockFile);
    await super.close();
  }
}

function line(key: string, slot: Slot): string {
  const expiry = slot.expiresAt === undefined ? '' : `,"expiresAt":${slot.expiresAt}`;
  return `{"key":${JSON.stringify(key)},"value":${slot.json}${expiry}}\n`;
}

/** Replays the log. A torn last line (a crash mid-write) is dropped quietly; any other bad line is named. */
function readLog(file: string, warn: (m: string) => void): Map<string, Slot> {
  const slots = new Map<string, Slot>();
  if (!existsSync(file)) return slots;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const torn = !text.endsWith('\n') ? lines.length - 1 : -1;
  for (const [i, raw] of lines.entries()) {
    if (!raw.trim()) continue;
    const skip = (why: string) =>
      warn(`${formatProblem({ file, line: i + 1, message: `${why}; line skipped` })}`);
    let r: unknown;
    try {
      r = JSON.parse(raw);
    } catch {
      if (i !== torn) skip('not JSON');
      continue;
    }
    if (
      typeof r !== 'object' ||
      r === null ||
      Array.isArray(r) ||
      typeof (r as { key?: unknown }).key !== 'string'
    ) {
      skip('not a store record (expected an object with a "key" string)');
      continue;
    }
    const rec = r as { key: string; value?: unknown; deleted?: unknown; expiresAt?: unknown };
    if (rec.deleted === true) {
      slots.delete(rec.key);
      continue;
    }
    if (rec.value === undefined || (rec.expiresAt !== undefined && typeof rec.expiresAt !== 'number')) {
      skip('not a store record (a "value", and a numeric "expiresAt" if any)');
      continue;
    }
    slots.delete(rec.key);
    slots.set(rec.key, {
      json: JSON.stringify(rec.value),
      expiresAt: typeof rec.expiresAt === 'number' ? rec.expiresAt : undefined,
    });
  }
  return slots;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireLock(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(readLockPid(lockFile), 10);
    const dir = path.dirname(lockFile);
    if (pid === process.pid)
      throw new StoreLockedError(
        `the file store in ${dir} is already open in this process (lock ${lockFile})`,
      );
    if (Number.isInteger(pid) && pid > 0 && alive(pid))
      throw new StoreLockedError(
        `the file store in ${dir} is in use by process ${pid} (lock ${lockFile}); the file store serves one ` +
          'process only: stop the other one, or use a shared store for several replicas',
      );
    // Stale: its process is gone (or the file is unreadable). Take it over.
    try {
      unlinkSync(lockFile);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new StoreLockedError(
    `could not take the lock ${lockFile}: another process took it at the same moment`,
  );
}

function readLockPid(lockFile: string): string {
  try {
    return readFileSync(lockFile, 'utf8').trim();
  } catch {
    return '';
  }
}

function releaseLock(lockFile: string): void {
  if (readLockPid(lockFile) !== String(process.pid)) return;
  try {
    unlinkSync(lockFile);
  } catch {
    // already gone: nothing to release
  }
}
