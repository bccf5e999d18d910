import { describe, expect, it } from 'vitest';
import { LearnedSet, pasteShape, type LearnedExample } from '../../src/match/learned.js';

const paste = (n: number, host: string, ts: string) =>
  [
    `$ curl https://${host}/v1/pay`,
    `${ts} INFO starting worker ${n}`,
    `${ts} ERROR payments: upstream frobnication stalled for job ${n} on ${host} (10.1.${n % 250}.7:5432) in /srv/app/${n}/run.py`,
    `${ts} ERROR payments: upstream frobnication stalled for job ${n} on ${host} (10.1.${n % 250}.7:5432) in /srv/app/${n}/run.py`,
  ].join('\n');

let seq = 0;
function ex(over: Partial<LearnedExample>): LearnedExample {
  const { template, sample } = pasteShape(paste(1, 'db-1.prod.internal', '2026-01-01T00:00:00Z'));
  seq++;
  return {
    id: `e${seq}`,
    template,
    sample,
    verdict: 'right',
    platform: 't',
    user: `u${seq}`,
    at: '2026-01-01T00:00:00Z',
    ...over,
  };
}

describe('a paste reduced to what a correction keeps', () => {
  it('keeps its error lines once, without the command typed and without the info line', () => {
    const s = pasteShape(paste(4411, 'db-3.prod.internal', '2026-12-01T10:00:01Z'));
    expect(s.template.split('\n')).toHaveLength(1);
    expect(s.sample).toContain('ERROR payments: upstream frobnication stalled for job 4411');
    expect(s.sample).not.toContain('curl');
  });

  it('masks hosts and addresses in the sample and redacts secrets', () => {
    const s = pasteShape(
      'ERROR login failed for api.example.com at 192.168.4.20 token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 via fe80::1:2:3',
    );
    expect(s.sample).not.toMatch(/example\.com|192\.168|ghp_|fe80/);
    expect(s.sample).toContain('<host>');
    expect(s.sample).toContain('<address>');
    expect(s.sample).toContain('[REDACTED]');
  });

  it('gives the same template to the same error with other numbers, hosts, timestamps and paths', () => {
    const a = pasteShape(paste(4411, 'db-3.prod.internal', '2026-12-01T10:00:01Z'));
    const b = pasteShape(paste(97, 'cache-9.eu.example.com', '2025-02-03 23:59:59.123'));
    expect(b.template).toBe(a.template);
    expect(a.template).not.toMatch(/\d/);
  });
});

describe('what learned examples say at match time', () => {
  const template = ex({}).template;

  it('a correction on the same template is strong evidence; agreeing people outweigh one', () => {
    const one = new LearnedSet([ex({ guideId: 'a' })]).verdictFor(template);
    expect(one.guides.get('a')?.floor).toBeGreaterThanOrEqual(0.9);
    const set = new LearnedSet([ex({ guideId: 'a' }), ex({ guideId: 'b' }), ex({ guideId: 'b' })]);
    const v = set.verdictFor(template);
    expect(v.guides.get('b')?.floor ?? 0).toBeGreaterThan(v.guides.get('a')?.floor ?? 1);
  });

  it('the same person correcting twice counts once', () => {
    const v = new LearnedSet([ex({ guideId: 'a', user: 'x' }), ex({ guideId: 'a', user: 'x' })]).verdictFor(
      template,
    );
    expect(v.guides.get('a')?.floor).toBe(0.9);
  });

  it('one "wrong" costs a little, repeated "wrong" demotes the guide for that template', () => {
    expect(
      new LearnedSet([ex({ guideId: 'a', verdict: 'wrong' })]).verdictFor(template).guides.get('a'),
    ).toEqual({
      factor: 0.9,
    });
    const two = new LearnedSet([
      ex({ guideId: 'a', verdict: 'wrong' }),
      ex({ guideId: 'a', verdict: 'wrong' }),
    ]);
    expect(two.verdictFor(template).guides.get('a')?.demoted).toBe(true);
  });

  it('"none of these" makes the bot quiet unless more people named a guide', () => {
    expect(new LearnedSet([ex({ verdict: 'none' })]).verdictFor(template).quiet).toBe(true);
    const outvoted = new LearnedSet([ex({ verdict: 'none' }), ex({ guideId: 'a' }), ex({ guideId: 'a' })]);
    expect(outvoted.verdictFor(template).quiet).toBe(false);
  });

  it('a close template only nudges; an unrelated one does nothing', () => {
    const set = new LearnedSet([ex({ guideId: 'a' })]);
    const close = pasteShape(
      'ERROR payments: upstream frobnication stalled for job 5 on db-1.prod.internal while retrying',
    ).template;
    const v = set.verdictFor(close);
    expect(v.exact).toBe(false);
    expect(v.guides.get('a')?.nudge).toBeGreaterThan(0);
    expect(v.guides.get('a')?.floor).toBeUndefined();
    expect(set.verdictFor(pasteShape('fatal: kernel panic in scheduler').template).guides.size).toBe(0);
  });
});
