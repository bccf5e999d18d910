/**
 * Turning argv into the one string an SSH `exec` request carries. The remote side hands that string to the
 * user's login shell, so every argument is single-quoted here; nothing else in the codebase builds remote
 * command strings. node-ssh's own `exec(cmd, params)` quoting drops empty strings, which would shift
 * arguments, so we never use it.
 */

export class UnsafeArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeArgumentError';
  }
}

/*
 * Control characters (C0, DEL, C1), format characters (bidi overrides, zero-width joiners, BOM), line and
 * paragraph separators, unassigned, private-use and surrogate code points. A newline would end the command
 * for some shells' parsers and for people reading the audit log; bidi overrides make the audit log lie.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\u2028\u2029]/u;

/** Longest single argument we send; far above any legitimate diagnostic parameter. */
export const MAX_ARG_LENGTH = 4096;
/** Longest whole command; OpenSSH accepts far more, but a diagnostic never needs it. */
export const MAX_COMMAND_LENGTH = 32 * 1024;

/** Throws unless `arg` is printable text that can be passed as one argument. */
export function assertSafeArgument(arg: string, what = 'argument'): void {
  if (typeof arg !== 'string') throw new UnsafeArgumentError(`${what} must be a string`);
  if (arg.length > MAX_ARG_LENGTH)
    throw new UnsafeArgumentError(`${what} is longer than ${MAX_ARG_LENGTH} characters`);
  const bad = FORBIDDEN.exec(arg);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    throw new UnsafeArgumentError(
      `${what} contains a control or invisible character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`,
    );
  }
}

/**
 * POSIX single-quoting: inside '...' every byte is literal, so the only character needing care is the quote
 * itself, written as '\'' (close, escaped quote, reopen). The empty string becomes '' and so still counts as
 * one argument.
 */
export function shQuote(arg: string): string {
  assertSafeArgument(arg);
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export interface RemoteCommandOptions {
  /** Seconds after which the server's `timeout` sends TERM. */
  timeoutSeconds: number;
  /** Seconds after TERM before `timeout` sends KILL. */
  killAfterSeconds: number;
}

/**
 * The exact string sent to the server: `timeout -k K T -- argv...`, every word quoted, so the command is
 * bounded even if our side loses the connection and can no longer signal it.
 */
export function buildRemoteCommand(argv: readonly string[], opts: RemoteCommandOptions): string {
  if (argv.length === 0) throw new UnsafeArgumentError('empty command');
  for (const n of [opts.timeoutSeconds, opts.killAfterSeconds]) {
    if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new UnsafeArgumentError(`bad timeout ${n}`);
  }
  const words = ['timeout', '-k', `${opts.killAfterSeconds}s`, `${opts.timeoutSeconds}s`, ...argv];
  const command = words.map(shQuote).join(' ');
  if (command.length > MAX_COMMAND_LENGTH)
    throw new UnsafeArgumentError(`command is longer than ${MAX_COMMAND_LENGTH} characters`);
  return command;
}
