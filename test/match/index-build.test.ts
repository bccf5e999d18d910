import { describe, expect, it } from 'vitest';
import { MatchEngine } from '../../src/match/engine.js';
import { MatchIndex, type IndexableGuide } from '../../src/match/match-index.js';
import { lazySignature } from '../../src/match/signature.js';

function guide(id: string, parts: Partial<IndexableGuide>): IndexableGuide {
  return { id, title: id, summary: '', signatures: [], hints: [], aliases: [], tags: [], ...parts };
}

describe('building the index', () => {
  it('reads a word the same in capitals, in lower case and in other scripts', () => {
    const idx = new MatchIndex([
      guide('a', { signatures: ['ECONNREFUSED Connection Refused'] }),
      guide('b', { signatures: ['connection refused by Straße'] }),
      guide('c', { signatures: ['Verbindung abgelehnt STRASSE'] }),
    ]);
    expect(Array.from(idx.postings.get('refused') ?? [])).toEqual([0, 1]);
    expect(Array.from(idx.postings.get('econnrefused') ?? [])).toEqual([0]);
    expect(Array.from(idx.postings.get('straße') ?? [])).toEqual([1]);
    expect(Array.from(idx.postings.get('strasse') ?? [])).toEqual([2]);
    expect(idx.postings.has('Refused')).toBe(false);
    // Keyed by its rarest word, counted across both spellings: `econnrefused` (1 literal), not `refused` (2).
    expect(idx.literalsByToken.get('econnrefused')?.map((k) => k.offset)).toEqual([0]);
    expect(idx.literalsByToken.get('refused')).toBeUndefined();
    expect(new MatchEngine([], undefined, idx).match('ECONNREFUSED connection refused').matches[0]?.id).toBe(
      'a',
    );
  });

  it('keeps the exception class that wraps a reason, and a one-word hint, out of the guide’s own words', () => {
    const idx = new MatchIndex([
      guide('oom', {
        signatures: ['redis.exceptions.ResponseError: OOM command not allowed when used memory'],
        hints: ['maxmemory'],
      }),
    ]);
    const own = idx.doc(0)?.distinctive ?? [];
    expect(own).toContain('allowed');
    expect(own).not.toContain('exceptions');
    expect(own).not.toContain('maxmemory');
    expect(idx.postings.has('responseerror')).toBe(true);
  });

  it('a built index packs to bytes that restore to the same index', () => {
    const guides = [
      guide('x', {
        signatures: ['/\\bfoo \\d+ bar\\b/i', '/usr/lib/libfoo.so: cannot open', '接続が拒否されました'],
      }),
      guide('y', { signatures: ['/(?:errno|os error)[ =:]*32\\b/'], hints: ['broken pipe'] }),
    ];
    const built = new MatchIndex(guides);
    const restored = new MatchIndex(Buffer.from(built.snapshot()));
    expect(Buffer.from(restored.snapshot()).equals(Buffer.from(built.snapshot()))).toBe(true);
    for (const paste of [
      'foo 12 bar',
      '/usr/lib/libfoo.so: cannot open shared object',
      'os error 32',
      '接続が拒否されました',
    ])
      expect(new MatchEngine(guides, undefined, restored).match(paste)).toEqual(
        new MatchEngine(guides, undefined, built).match(paste),
      );
  });

  it('refuses a regex that does not parse when building, with the reason', () => {
    expect(() => new MatchIndex([guide('bad', { signatures: ['/a[/'] })])).toThrow(
      /does not compile|unbalanced/,
    );
    expect(() => new MatchIndex([guide('bad', { signatures: ['/abc/g'] })])).toThrow(/flag/);
  });
});

describe('a signature compiled on first use', () => {
  it('gives its required text without compiling, and is checked when it first runs', () => {
    const sig = lazySignature('/(a+)+ never compiled here/');
    expect(sig.kind).toBe('regex');
    expect(sig.kind === 'regex' && sig.required).toBe(' never compiled here');
    expect(() => sig.kind === 'regex' && sig.exec('aaa')).toThrow(/backtrack catastrophically/);
  });
});
