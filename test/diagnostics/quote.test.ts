import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertSafeArgument,
  buildRemoteCommand,
  shQuote,
  UnsafeArgumentError,
} from '../../src/diagnostics/quote.js';

/** What a POSIX shell makes of a command line: each argument NUL-terminated, as printf '%s\0' prints them. */
function shellArgs(commandLine: string, shell = 'sh'): string[] {
  const out = execFileSync(shell, ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const printable = fc.string({ unit: 'binary', maxLength: 64 }).filter((s) => {
  try {
    assertSafeArgument(s);
    return true;
  } catch {
    return false;
  }
});

describe('shQuote', () => {
  it('wraps in single quotes and escapes embedded quotes', () => {
    expect(shQuote('abc')).toBe(`'abc'`);
    expect(shQuote('')).toBe(`''`);
    expect(shQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(shQuote(`'`)).toBe(`''\\'''`);
  });

  it.each(['sh', 'bash', 'dash'])(
    'round-trips arbitrary printable strings through %s as exactly one argument',
    (shell) => {
      fc.assert(
        fc.property(printable, (s) => {
          expect(shellArgs(shQuote(s), shell)).toEqual([s]);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('keeps argument boundaries for arrays of arbitrary strings, including empty ones', () => {
    fc.assert(
      fc.property(fc.array(printable, { maxLength: 6 }), (args) => {
        fc.pre(args.length > 0);
        expect(shellArgs(args.map(shQuote).join(' '))).toEqual(args);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['NUL', 'a\0b'],
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['TAB', 'a\tb'],
    ['ESC', '\x1b[31m'],
    ['DEL', 'a\x7f'],
    ['C1', 'a\u009bb'],
    ['bidi override', 'abc\u202Edcb'],
    ['zero width space', 'a\u200Bb'],
    ['BOM', '\uFEFFa'],
    ['line separator', 'a\u2028b'],
    ['lone surrogate', 'a\uD800b'],
    ['too long', 'x'.repeat(100_000)],
  ])('rejects %s', (_name, value) => {
    expect(() => shQuote(value)).toThrow(UnsafeArgumentError);
  });
});

describe('buildRemoteCommand', () => {
  it('prefixes the server-side timeout and quotes every word', () => {
    expect(buildRemoteCommand(['df', '-h'], { timeoutSeconds: 20, killAfterSeconds: 5 })).toBe(
      `'timeout' '-k' '5s' '20s' 'df' '-h'`,
    );
  });

  it('is parsed by a shell back into the same words', () => {
    const cmd = buildRemoteCommand(['echo', '; id', '$(id)', '', "'"], {
      timeoutSeconds: 3,
      killAfterSeconds: 1,
    });
    expect(shellArgs(cmd)).toEqual(['timeout', '-k', '1s', '3s', 'echo', '; id', '$(id)', '', "'"]);
  });

  it('refuses an empty command and silly timeouts', () => {
    expect(() => buildRemoteCommand([], { timeoutSeconds: 1, killAfterSeconds: 1 })).toThrow();
    expect(() => buildRemoteCommand(['x'], { timeoutSeconds: 0, killAfterSeconds: 1 })).toThrow();
    expect(() => buildRemoteCommand(['x'], { timeoutSeconds: 1.5, killAfterSeconds: 1 })).toThrow();
  });
});
