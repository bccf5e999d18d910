import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatchEngine } from '../../src/match/engine.js';
import { guide } from '../helpers.js';

const engine = new MatchEngine([
  guide('broken-pipe', ['broken pipe', 'EPIPE', '/\\berrno[ =:]*32\\b/i', '断开的管道']),
  guide('refused', ['Connection refused', '/connect\\(\\) failed \\(111/i'], { hints: ['exit code 7'] }),
  guide('timeout', ['/timed out after \\d+ ?ms/i', 'i/o timeout']),
]);

// The engine must return a well-formed result for any input: it runs on every message in a channel.
function wellFormed(text: string) {
  const r = engine.match(text);
  expect(Array.isArray(r.matches)).toBe(true);
  for (const m of [...r.matches, ...r.nearest]) {
    expect(m.score).toBeGreaterThanOrEqual(0);
    expect(m.score).toBeLessThanOrEqual(1);
    expect(Number.isFinite(m.evidence.line)).toBe(true);
  }
}

describe('the engine never throws', () => {
  it('on arbitrary unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), wellFormed), { numRuns: 300 });
  });

  it('on arbitrary binary decoded as text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), (b) => wellFormed(Buffer.from(b).toString('latin1'))),
      { numRuns: 300 },
    );
  });

  it('on arbitrary mixes of signatures, noise and control characters', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'broken pipe',
        'EPIPE',
        'errno=32',
        'Connection refused',
        '\u001b[31m',
        '\r\n',
        '```',
        '> ',
        '\u0000',
        '断开的管道',
        '&lt;',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (parts) => wellFormed(parts.join(''))),
      { numRuns: 300 },
    );
  });

  it('on hostile shapes: huge lines, deep repetition, regex-bomb bait', () => {
    wellFormed('a'.repeat(1_000_000));
    wellFormed('timed out after '.repeat(20_000));
    wellFormed('('.repeat(50_000) + ')'.repeat(50_000));
    wellFormed('\n'.repeat(200_000));
    wellFormed('errno '.repeat(50_000) + '32');
    wellFormed('\uFFFD\uD800'.repeat(10_000));
  });
});
