import { describe, expect, it } from 'vitest';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { MatchEngine } from '../../src/match/engine.js';

const engine = new MatchEngine(loadKnowledge([builtinKnowledgeDir()]).guides);
const top = (text: string) => engine.match(text).matches[0]?.id;

// The specificity rules the issue names, on the shipped guides (not fixtures).
describe('the built-in guides: specific evidence beats generic', () => {
  it.each([
    ['git@github.com: Permission denied (publickey).', 'ssh-permission-denied-publickey'],
    ['cat: /etc/shadow: Permission denied', 'permission-denied'],
    [
      "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'",
      'inotify-watch-limit',
    ],
    ['write /var/lib/docker/tmp/x: no space left on device', 'no-space-left-on-device'],
    [
      '2026/11/24 03:12:01 [error] 31#31: *88 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.4, server: api, upstream: "http://127.0.0.1:8080/"',
      'http-502-bad-gateway',
    ],
    ['curl: (7) Failed to connect to localhost port 5432: Connection refused', 'connection-refused'],
  ])('%s -> %s', (text, id) => expect(top(text)).toBe(id));
});

describe('the built-in guides: the earliest root symptom first', () => {
  it('ranks the reset before the broken pipe that followed it', () => {
    const r = engine.match(
      '12:00:01 upstream: read tcp 10.0.0.2:443: read: connection reset by peer\n12:00:02 handler: write tcp 10.0.0.2:443: write: broken pipe',
    );
    expect(r.matches.slice(0, 2).map((m) => m.id)).toEqual(['connection-reset-by-peer', 'broken-pipe']);
  });

  it('says which line matched', () => {
    const m = engine.match('```\n$ make test\nok\nError: connect ECONNREFUSED 127.0.0.1:6379\n```')
      .matches[0];
    expect(m).toMatchObject({ id: 'connection-refused', evidence: { line: 4 } });
  });
});
