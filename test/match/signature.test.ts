import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSignature, requiredLiteral, unsafeRegexReason } from '../../src/match/signature.js';

describe('regex safety', () => {
  it.each([
    '(a+)+$',
    '(a*)*',
    '(.*)*x',
    '(\\w+\\s?)+$',
    '(a|a)*',
    '(a|ab)+c',
    '(x+x+)+y',
    '([a-z]+)*',
    '(?:a|)+',
    '(\\d+)\\1',
  ])('rejects %s', (src) => expect(unsafeRegexReason(src)).toBeDefined());

  it.each([
    '\\berrno[ =:]*32\\b',
    'connect\\(\\) failed \\(111',
    'code = (?:Unavailable|Canceled)',
    'x{2,5}',
    '(?:foo|bar) baz',
    'a+b+c+',
  ])('accepts %s', (src) => expect(unsafeRegexReason(src)).toBeUndefined());

  it('rejects a regex that matches the empty string, bad flags and syntax errors', () => {
    expect(() => compileSignature('/x*/')).toThrow(/empty string/);
    expect(() => compileSignature('/abc/g')).toThrow(/flag/);
    expect(() => compileSignature('/a[/')).toThrow(/compile|unbalanced/);
  });
});

describe('required literal of a regex', () => {
  it.each([
    ['\\berrno[ =:]*32\\b', 'errno'],
    ['connect\\(\\) failed \\(111: Connection refused\\)', 'connect() failed (111: connection refused)'],
    ['(?:foo|bar)', undefined],
    ['abc|def', undefined],
    ['x{2,3}yz', undefined],
    ['exit (?:code|status) 137', 'exit '],
  ])('%s -> %s', (src, want) => expect(requiredLiteral(src)).toBe(want));

  it('is always contained in whatever the regex matches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          '\\berrno[ =:]*32\\b',
          'timed out after \\d+ms',
          'code = Unavailable',
          'pod/[a-z-]+ evicted',
        ),
        fc.string(),
        (src, noise) => {
          const re = new RegExp(src, 'i');
          const lit = requiredLiteral(src);
          const samples = ['errno: 32', 'timed out after 120ms', 'code = Unavailable', 'pod/web-1 evicted'];
          for (const s of samples) {
            const text = noise + s + noise;
            const m = re.exec(text);
            if (m && lit) expect(m[0].toLowerCase()).toContain(lit);
          }
        },
      ),
    );
  });
});
