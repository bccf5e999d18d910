import { describe, expect, it } from 'vitest';
import { cleanPaste } from '../../src/match/clean.js';
import { MatchEngine } from '../../src/match/engine.js';
import { MatchIndex } from '../../src/match/match-index.js';
import { guide } from '../helpers.js';

const top = (engine: MatchEngine, text: string) => engine.match(text).matches[0]?.id ?? null;

describe('abstention: a client or product name is not evidence of one of its errors', () => {
  const guides = [
    guide('store-full', ['kvstore.exceptions.ReplyError: OOM command refused', 'OOM command refused'], {
      title: 'Key-value store out of memory',
      aliases: ['kvstore out of memory'],
      hints: ['kvstore'],
    }),
    guide('other', ['something else entirely']),
  ];

  it("counts neither the client's exception class nor a one-word hint among a guide's own words", () => {
    const own = new MatchIndex(guides).doc(0)?.distinctive ?? [];
    expect(own).not.toContain('replyerror');
    expect(own).not.toContain('kvstore');
    // The reason the signature carries still counts.
    expect(own).toContain('refused');
  });

  it('still answers the error the signature names', () => {
    expect(top(new MatchEngine(guides), 'kvstore.exceptions.ReplyError: OOM command refused')).toBe(
      'store-full',
    );
  });
});

describe('abstention: a guide needs evidence of its own', () => {
  const engine = new MatchEngine([
    guide('disk-full', ['No space left on device'], {
      title: 'Disk full on the volume',
      aliases: ['disk is full', 'volume ran out of space'],
      hints: ['write failed'],
    }),
    guide('module-missing', ['ModuleNotFoundError'], {
      title: 'Python module not found in site packages',
      aliases: ['python import fails'],
    }),
  ]);

  it('does not answer on words that every traceback prints', () => {
    const paste = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/site-packages/app/main.py", line 3, in <module>',
      'KeyError: "user"',
    ].join('\n');
    expect(top(engine, paste)).toBeNull();
  });

  it('does not answer on a hint alone', () => {
    expect(top(engine, 'ERROR: write failed for /var/log/app.log')).toBeNull();
  });

  it('answers a plain-language description through an alias said whole', () => {
    expect(top(engine, 'looks like the disk is full again on db-2')).toBe('disk-full');
    // The same words scattered over a sentence are not the alias.
    expect(top(engine, 'the full report is on the disk share')).toBeNull();
  });
});

describe('the root symptom', () => {
  const engine = new MatchEngine([
    guide('unit-failed', ['Failed at step EXEC spawning'], {
      summaries: ["Failed with result 'exit-code'", 'Main process exited, code=exited, status='],
    }),
    guide('addr-in-use', ['Address already in use']),
    guide('probe', ['Liveness probe failed'], { summaries: [] }),
    guide('refused', ['connection refused']),
    guide('grpc', ['UNAVAILABLE']),
    guide('service-down', ['Service Unavailable']),
  ]);

  it('gives a systemd summary way to the cause in its journal lines', () => {
    const paste = [
      '● web.service - web',
      '   Active: failed (Result: exit-code)',
      'Jun 01 10:00:00 h web[12]: bind() to 0.0.0.0:80 failed (98: Address already in use)',
      'Jun 01 10:00:00 h systemd[1]: web.service: Main process exited, code=exited, status=1/FAILURE',
      "Jun 01 10:00:00 h systemd[1]: web.service: Failed with result 'exit-code'.",
    ].join('\n');
    const r = engine.match(paste);
    expect(r.matches.map((m) => m.id)).toEqual(['addr-in-use', 'unit-failed']);
  });

  it('keeps the summary guide when nothing else explains the failure', () => {
    expect(top(engine, "web.service: Failed with result 'exit-code'.")).toBe('unit-failed');
  });

  it('does not treat a command typed at a prompt as evidence', () => {
    expect(cleanPaste('$ grep "connection refused" app.log\nno matches', 1000).command).toEqual([
      true,
      false,
    ]);
    expect(top(engine, '$ grep "connection refused" app.log')).toBeNull();
    expect(top(engine, 'user@web-1:~$ grep "connection refused" app.log')).toBeNull();
    // A long "prompt line" is a paste whose line breaks were lost: it is read.
    expect(top(engine, `$ kubectl logs api ${'x '.repeat(150)} dial tcp: connection refused`)).toBe(
      'refused',
    );
  });

  it("reads a short prompt line that holds the shell's or runtime's answer too (line breaks lost)", () => {
    const glued = [
      '$ nc db 5432 -bash: nc: command not found',
      'user@web-1:~$ ./run.sh bash: line 3: ./run.sh: Permission denied',
      "$ ruby -e 'fork' -e:1:in `fork': Cannot allocate memory - fork(2) (Errno::ENOMEM)",
    ];
    for (const line of glued) expect(cleanPaste(line, 1000).command).toEqual([false]);
    // Words typed as a command's arguments are still the command's.
    expect(cleanPaste('$ grep "bash: command not found" build.log', 1000).command).toEqual([true]);
    expect(cleanPaste('$ echo "Errno::ENOMEM"', 1000).command).toEqual([true]);
  });

  it('does not treat the source line a Python traceback quotes under a frame as evidence', () => {
    const trace = [
      'Traceback (most recent call last):',
      '  File "/srv/app/sync.py", line 77, in parse',
      '    raise ConnectionRefusedError("the connection refused by the peer")',
      "KeyError: 'items'",
    ].join('\n');
    expect(cleanPaste(trace, 1000).inert).toEqual([false, false, true, false]);
    expect(top(engine, trace)).toBeNull();
    // The same words on the error line itself are read.
    expect(top(engine, 'ConnectionRefusedError: [Errno 111] connection refused')).toBe('refused');
  });

  it("does not read npm's exit-status errno line as an OS errno", () => {
    const errno = new MatchEngine([guide('missing-file', ['/\\b(?:errno|os error)[ =:]*2\\b/i'])]);
    expect(
      top(errno, 'npm ERR! code ELIFECYCLE\nnpm ERR! errno 2\nnpm ERR! app@1.0.0 build: `tsc`'),
    ).toBeNull();
    expect(top(errno, 'npm error errno 2')).toBeNull();
    expect(top(errno, "OSError: [Errno 2] No such file or directory: 'conf.yml'")).toBe('missing-file');
  });

  it('matches short all-capital protocol tokens only in capitals', () => {
    expect(top(engine, 'rpc error: code = UNAVAILABLE desc = transport is closing')).toBe('grpc');
    expect(top(engine, 'error: the payments API is unavailable since 10:02')).toBeNull();
  });
});

describe('log levels', () => {
  const engine = new MatchEngine([
    guide('missing-file', ['No such file or directory']),
    guide('docker-down', ['Could not find a valid Docker environment']),
  ]);

  it('prefers the cause on an error line to an earlier warning', () => {
    const paste = [
      'WARN Config: could not read /home/u/.tc.properties (No such file or directory)',
      'INFO Strategy: trying the next one',
      'ERROR DockerClientProviderStrategy: Could not find a valid Docker environment.',
    ].join('\n');
    expect(engine.match(paste).matches.map((m) => m.id)).toEqual(['docker-down', 'missing-file']);
  });

  it('still answers a warning on its own', () => {
    expect(
      engine.match('W1028 11:35:44.792212 1 x.go:12] open /etc/x: No such file or directory').matches[0]?.id,
    ).toBe('missing-file');
  });
});

describe("abstention: a guide's `unless` lines are no evidence of it", () => {
  const engine = new MatchEngine([
    guide('port-closed', ['connection refused', 'ECONNREFUSED'], {
      title: 'Connection refused by the port',
      aliases: ['connection refused by the server'],
      unless: ['/Connection Refused: not authori[sz]ed/i', 'reason code: 5'],
    }),
    guide('other', ['something else entirely']),
  ]);

  it('drops the signature, the alias and the own words on a line an `unless` pattern matches', () => {
    expect(top(engine, 'mqtt: Connection Refused: not authorised.')).toBeNull();
    expect(top(engine, 'connection refused by the server, reason code: 5')).toBeNull();
  });

  it('still answers the same guide on its other lines', () => {
    const paste = [
      'mqtt: Connection Refused: not authorised.',
      'dial tcp 10.0.0.7:1883: connect: connection refused',
    ];
    expect(top(engine, paste.join('\n'))).toBe('port-closed');
    expect(engine.match(paste.join('\n')).matches[0]?.evidence.line).toBe(2);
  });

  it('refuses a pattern that does not compile, naming it', () => {
    expect(() => new MatchEngine([guide('x', ['x happened'], { unless: ['/(a+)+$/'] })])).toThrow(
      /^guide x: unless\[0\]: regex \/\(a\+\)\+\$\/ could backtrack/,
    );
  });
});
