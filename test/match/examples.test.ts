import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../src/eval/evaluate.js';
import { builtinKnowledgeDir, loadKnowledge } from '../../src/knowledge/load.js';
import { shippedExampleModel } from '../../src/knowledge/example-model.js';
import { DEFAULT_MATCH_OPTIONS, MatchEngine } from '../../src/match/engine.js';
import { MatchIndex } from '../../src/match/match-index.js';
import {
  EXAMPLE_MODEL_FILE,
  EXAMPLES_FILE,
  LogisticExampleModel,
  exampleWords,
  renderExamples,
  signatureWords,
  type PasteExample,
} from '../../src/match/examples.js';
import { guide, guideFile, tempDir, writeGuides } from '../helpers.js';

const kb = loadKnowledge([builtinKnowledgeDir()]);
const ids = new Set(kb.guides.map((g) => g.id));
const example = (guide: string | null, text: string): PasteExample => ({ guide, words: exampleWords(text) });
const top = (engine: MatchEngine, text: string) => engine.match(text, { threshold: 0 }).matches[0];

// Written for these tests in the way such pastes read; not copied from the corpus.
const WORKER = 'gunicorn worker keeps getting killed with a timeout on long requests';
const workerExamples = [
  example('app-worker-timeout', '[CRITICAL] WORKER TIMEOUT (pid:8812) gunicorn killed the worker'),
  example('app-worker-timeout', 'gunicorn worker killed after timeout while the report request runs'),
  example('app-worker-timeout', 'every long request ends with the gunicorn worker timeout, worker killed'),
];

describe('example pastes: confirming a guide just under the threshold', () => {
  it('answers when the examples name the guide the engine ranks first under the threshold', () => {
    const without = top(new MatchEngine(kb.guides), WORKER);
    expect(without?.id).toBe('app-worker-timeout');
    expect(without?.score).toBeLessThan(0.5);
    const withExamples = top(new MatchEngine(kb.guides, undefined, undefined, workerExamples), WORKER);
    expect(withExamples).toMatchObject({ id: 'app-worker-timeout', examples: 'confirmed' });
    expect(withExamples?.score).toBeGreaterThanOrEqual(0.5);
  });

  it('stays quiet when the examples name a guide the engine does not rank near the top', () => {
    const elsewhere = workerExamples.map((e) => ({ ...e, guide: 'redis-oom' }));
    const m = top(new MatchEngine(kb.guides, undefined, undefined, elsewhere), WORKER);
    expect(m?.score).toBeLessThan(0.5);
    expect(m?.examples).toBeUndefined();
  });

  it('answers with the second-ranked guide when the examples are sure of it', () => {
    const ranked = new MatchEngine(kb.guides).match(WORKER, { threshold: 0 }).matches;
    expect(ranked.map((m) => m.id).slice(0, 2)).toEqual(['app-worker-timeout', 'connection-timed-out']);
    // Whichever guide is third (word overlap moves it as guides gain words), it stays third.
    expect(ranked[2]).toBeDefined();
    const thirdId = ranked[2]?.id ?? '';
    const say = (guide: string) => workerExamples.map((e) => ({ ...e, guide }));
    const second = top(new MatchEngine(kb.guides, undefined, undefined, say('connection-timed-out')), WORKER);
    expect(second).toMatchObject({ id: 'connection-timed-out', examples: 'preferred', score: 0.55 });
    // Third is too far down: the rules did not make it a contender.
    const third = top(new MatchEngine(kb.guides, undefined, undefined, say(thirdId)), WORKER);
    expect(third?.score).toBeLessThan(0.5);
    expect(third?.examples).toBeUndefined();
  });

  it('is off when the options say so', () => {
    const engine = new MatchEngine(
      kb.guides,
      { ...DEFAULT_MATCH_OPTIONS, useExamples: false },
      undefined,
      workerExamples,
    );
    expect(top(engine, WORKER)?.score).toBeLessThan(0.5);
  });
});

describe('example pastes: prose with no error line', () => {
  // Four lines of description, none of which reads like an error.
  const PROSE = [
    'our gunicorn workers get replaced during the monthly report',
    'the report request runs for about two minutes',
    'the sync worker class is left at its defaults',
    'smaller reports finish fine',
  ].join('\n');
  const SAID = 'gunicorn sync worker replaced during a long report request';

  it('is confirmed when the examples are sure of the guide the engine ranks first', () => {
    const sure = [example('app-worker-timeout', SAID)];
    expect(top(new MatchEngine(kb.guides), PROSE)?.score).toBeLessThan(0.5);
    const m = top(new MatchEngine(kb.guides, undefined, undefined, sure), PROSE);
    expect(m).toMatchObject({ id: 'app-worker-timeout', examples: 'confirmed' });
  });

  it('longer than a sentence or two, is not confirmed when the examples are unsure', () => {
    // The same words labelled two ways: the model leans to the worker guide, without being sure.
    const unsure = [
      example('app-worker-timeout', SAID),
      example('app-worker-timeout', SAID),
      example('http-413-payload-too-large', SAID),
    ];
    const engine = new MatchEngine(kb.guides, undefined, undefined, unsure);
    const four = top(engine, PROSE);
    expect(four?.id).toBe('app-worker-timeout');
    expect(four?.score).toBeLessThan(0.5);
    const three = top(engine, PROSE.split('\n').slice(0, 3).join('\n'));
    expect(three).toMatchObject({ id: 'app-worker-timeout', examples: 'confirmed' });
  });
});

describe("example pastes: a word they show mostly elsewhere is no evidence of a guide's own", () => {
  // "queue", "runs" and "waiting" are distinctive words of the pool guide (few guides use them); labelled
  // pastes of other failures say them all the time.
  const PASTE = 'ERROR: the redis queue runs empty while waiting';
  const elsewhere = Array.from({ length: 25 }, (_, i) =>
    example(null, `ERROR build ${i}: the redis queue step runs over while waiting, job failed`),
  );

  it('caps a guide whose own words on the error line are words the examples show for other pastes', () => {
    const pool = kb.guides.findIndex((g) => g.id === 'connection-pool-exhausted');
    expect(new MatchIndex(kb.guides).doc(pool)?.distinctive).toEqual(
      expect.arrayContaining(['queue', 'runs']),
    );
    const plain = top(new MatchEngine(kb.guides), PASTE);
    expect(plain?.id).toBe('connection-pool-exhausted');
    expect(plain?.score).toBeGreaterThanOrEqual(0.5);
    const taught = top(new MatchEngine(kb.guides, undefined, undefined, elsewhere), PASTE);
    // Held at the cap by the words' spread, not withdrawn afterwards by the model ("quieted").
    expect(taught).toMatchObject({ id: 'connection-pool-exhausted', score: 0.45 });
    expect(taught?.examples).toBeUndefined();
  });

  it('counts them again when the examples are off', () => {
    const engine = new MatchEngine(
      kb.guides,
      { ...DEFAULT_MATCH_OPTIONS, useExamples: false },
      undefined,
      elsewhere,
    );
    expect(top(engine, PASTE)?.score).toBeGreaterThanOrEqual(0.5);
  });
});

describe('example pastes: pastes no guide owns keep a weak answer quiet', () => {
  const PARAPHRASE = 'the pod keeps restarting since the chart upgrade';
  const noGuide = [
    example(null, 'the pod keeps restarting since the chart upgrade renamed the values'),
    example(null, 'chart upgrade: pod keeps restarting, values renamed since v2'),
    example(null, 'since the chart upgrade the pod keeps restarting with renamed values'),
  ];

  it('withdraws a paraphrase answer the examples read as no guide', () => {
    const alone = top(new MatchEngine(kb.guides), PARAPHRASE);
    expect(alone?.score).toBeGreaterThanOrEqual(0.5);
    expect(alone?.evidence.signature).toBeUndefined();
    const m = top(new MatchEngine(kb.guides, undefined, undefined, noGuide), PARAPHRASE);
    expect(m).toMatchObject({ examples: 'quieted' });
    expect(m?.score).toBeLessThan(0.5);
  });

  it("never touches a signature's answer", () => {
    const paste = 'Back-off restarting failed container app in pod web-1 since the chart upgrade';
    const m = top(
      new MatchEngine(kb.guides, undefined, undefined, noGuide.concat(example(null, paste))),
      paste,
    );
    expect(m?.id).toBe('k8s-crashloopbackoff');
    expect(m?.score).toBeGreaterThanOrEqual(0.5);
    expect(m?.examples).toBeUndefined();
  });
});

describe("a guide's own text as one more example", () => {
  it("reads a regex signature as the words a paste shows, not the regex's syntax", () => {
    expect(signatureWords('/\\bNode \\S+ is not ready\\b/').split(/\s+/).filter(Boolean)).toEqual([
      'Node',
      'is',
      'not',
      'ready',
    ]);
    expect(signatureWords('/Connection Refused[:,]\\s{0,3}not authori[sz]ed/i')).toMatch(/\bauthorised\b/);
    expect(signatureWords('/(?:errno|os error)[ =:]*111/')).not.toMatch(/[?:[\]*]/);
    expect(signatureWords('a plain literal (with parentheses)')).toBe('a plain literal (with parentheses)');
  });

  it('gives the model the same words whether a signature is written with \\b or without', () => {
    const withB = [guide('node-down', ['/\\bNode \\S+ is not ready\\b/']), guide('other', ['other thing'])];
    const without = [guide('node-down', ['/Node \\S+ is not ready/']), guide('other', ['other thing'])];
    const examples: PasteExample[] = [{ guide: 'node-down', words: ['node', 'ready'] }];
    expect(LogisticExampleModel.inputsOf(examples, withB)).toBe(
      LogisticExampleModel.inputsOf(examples, without),
    );
  });
});

describe('the built-in example pastes', () => {
  const file = path.join(builtinKnowledgeDir(), EXAMPLES_FILE);
  const dev = readCorpus(path.resolve(__dirname, '../corpus/real/dev.jsonl'), ids);

  it('are the real dev corpus, in sync (npm run gen:examples)', () => {
    expect(readFileSync(file, 'utf8')).toBe(renderExamples(dev));
    expect(kb.examples.length).toBeGreaterThan(1000);
  });

  it('ship the model trained on them, so that no start-up trains one (npm run gen:examples)', () => {
    const warnings: string[] = [];
    const shipped = shippedExampleModel([builtinKnowledgeDir()], kb, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(shipped?.snapshot().inputs).toBe(LogisticExampleModel.inputsOf(kb.examples, kb.guides));
    expect(shipped?.size).toBe(kb.examples.length);
  });

  it('hold no paste of the held-out test split', () => {
    const test = readCorpus(path.resolve(__dirname, '../corpus/real/test.jsonl'), ids);
    const held = new Set(test.map((l) => l.source));
    const sources = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { source: string }).source);
    expect(sources.filter((s) => held.has(s))).toEqual([]);
  });
});

describe('a shipped example model', () => {
  it('answers only for the examples and guides it was trained on, and a broken file is a warning naming it', () => {
    const dir = tempDir();
    writeGuides(dir, { 'disk-gone.md': guideFile('disk-gone') });
    const line = (words: string) => JSON.stringify({ guide: 'disk-gone', source: 'team/wiki#1', words });
    writeFileSync(path.join(dir, EXAMPLES_FILE), line('disk gone again') + '\n');
    const first = loadKnowledge([dir]);
    const model = LogisticExampleModel.train(first.examples, first.guides);
    writeFileSync(path.join(dir, EXAMPLE_MODEL_FILE), JSON.stringify(model.snapshot()));
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(shippedExampleModel([dir], first, warn)?.snapshot()).toEqual(model.snapshot());

    // One more example: the file no longer answers for these inputs, and the caller trains.
    writeFileSync(
      path.join(dir, EXAMPLES_FILE),
      line('disk gone again') + '\n' + line('the disk went away') + '\n',
    );
    expect(shippedExampleModel([dir], loadKnowledge([dir]), warn)).toBeUndefined();

    writeFileSync(path.join(dir, EXAMPLE_MODEL_FILE), '{"labels": [null], "bias": []}');
    expect(shippedExampleModel([dir], first, warn)).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(path.join(dir, EXAMPLE_MODEL_FILE))]);
    expect(warnings[0]).toContain('bias is not 1 numbers');
    expect(warnings[0]).toContain('training the example model instead');
  });
});

describe('a folder of example pastes', () => {
  it('is read with the guides, and a bad line is named with file and line', () => {
    const dir = tempDir();
    writeGuides(dir, { 'disk-gone.md': guideFile('disk-gone') });
    writeFileSync(
      path.join(dir, EXAMPLES_FILE),
      [
        JSON.stringify({ guide: 'disk-gone', source: 'team/wiki#1', words: 'disk gone again' }),
        JSON.stringify({ guide: null, source: 'team/wiki#2', words: 'keyerror user' }),
        '{"guide": "disk-gone"',
        JSON.stringify({ guide: 'disk-gone', source: 'team/wiki#3' }),
        JSON.stringify({ guide: 'no-such-guide', source: 'team/wiki#4', words: 'x y' }),
      ].join('\n'),
    );
    const loaded = loadKnowledge([dir]);
    expect(loaded.examples).toEqual([
      { guide: 'disk-gone', words: ['disk', 'gone', 'again'] },
      { guide: null, words: ['keyerror', 'user'] },
    ]);
    const problems = loaded.problems.map((p) => ({ ...p, file: path.basename(p.file) }));
    expect(problems).toEqual([
      { file: EXAMPLES_FILE, line: 3, message: expect.stringMatching(/^not JSON/) },
      { file: EXAMPLES_FILE, line: 4, message: expect.stringContaining('words') },
      { file: EXAMPLES_FILE, line: 5, message: 'guide: no guide with id "no-such-guide" is loaded' },
    ]);
  });
});
