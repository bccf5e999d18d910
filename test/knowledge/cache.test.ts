import { spawn } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cacheDir,
  knowledgeCacheFile,
  loadKnowledgeCached,
  readKnowledgeCache,
} from '../../src/knowledge/cache.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { MatchEngine } from '../../src/match/engine.js';
import { EXAMPLES_FILE, LogisticExampleModel } from '../../src/match/examples.js';
import { BIN, ROOT } from '../cli/run.js';
import { guideFile, tempDir, writeGuides } from '../helpers.js';

/** A guide folder and a cache folder of its own, and the cache functions bound to them. */
function setup(files: Record<string, string> = {}) {
  const guides = tempDir('faultline-guides-');
  const cache = tempDir('faultline-cache-');
  writeGuides(guides, {
    'disk-gone.md': guideFile('disk-gone'),
    'pipe-burst.md': guideFile('pipe-burst'),
    ...files,
  });
  const env = { FAULTLINE_CACHE_DIR: cache };
  const warnings: string[] = [];
  const opts = { env, warn: (m: string) => warnings.push(m) };
  return {
    guides,
    cache,
    warnings,
    file: knowledgeCacheFile(cache, [guides]),
    load: () => loadKnowledgeCached([guides], loadKnowledge, opts),
    cached: () => readKnowledgeCache([guides], opts),
  };
}

const ids = (c: { knowledge: { guides: { id: string }[] } } | undefined) => c?.knowledge.guides.map((g) => g.id);

describe('the compiled knowledge cache', () => {
  it('is built on first use and then serves the same guides and index', () => {
    const s = setup();
    expect(s.cached()).toBeUndefined();
    const built = s.load();
    expect(existsSync(s.file)).toBe(true);
    const hit = s.cached();
    expect(ids(hit)).toEqual(['disk-gone', 'pipe-burst']);
    expect(hit?.knowledge).toEqual(built.knowledge);
    const paste = 'error: pipe burst happened at 12:00';
    expect(new MatchEngine(hit?.knowledge.guides ?? [], undefined, hit?.index).match(paste)).toEqual(
      new MatchEngine(built.knowledge.guides).match(paste),
    );
    expect(s.warnings).toEqual([]);
  });

  const TWO_EXAMPLES = [
    JSON.stringify({ guide: 'pipe-burst', source: 'team/wiki#1', words: 'pipe burst again' }),
    JSON.stringify({ guide: null, source: 'team/wiki#2', words: 'keyerror user' }),
  ].join('\n');

  it('serves the example pastes as built, read from the file only when first asked', () => {
    const s = setup({
      [EXAMPLES_FILE]: TWO_EXAMPLES,
    });
    const built = s.load();
    const hit = s.cached();
    expect(hit && Object.getOwnPropertyDescriptor(hit.knowledge, 'examples')?.get).toBeTypeOf('function');
    expect(hit?.knowledge.examples).toEqual(built.knowledge.examples);
    expect(hit?.knowledge.examples).toEqual([
      { guide: 'pipe-burst', words: ['pipe', 'burst', 'again'] },
      { guide: null, words: ['keyerror', 'user'] },
    ]);
  });

  it('carries the example model trained when it was built, and trains again if that part is broken', () => {
    const s = setup({
      [EXAMPLES_FILE]: TWO_EXAMPLES,
    });
    const built = s.load();
    const trained = LogisticExampleModel.train(built.knowledge.examples, built.knowledge.guides).snapshot();
    expect(trained.labels).toEqual(['pipe-burst', null, 'disk-gone']);
    expect(built.exampleModel().snapshot()).toEqual(trained);
    const hit = s.cached();
    expect(hit?.exampleModel().snapshot()).toEqual(trained);
    expect(hit?.exampleModel().opinion(['pipe', 'burst'])?.guide).toBe('pipe-burst');
    expect(s.warnings).toEqual([]);

    // The model's JSON sits after the examples'; damaged there, the cache is still read (the model is read
    // only when a paste asks), so the model is trained again and the log says so.
    const bytes = readFileSync(s.file);
    const at = bytes.indexOf('"labels"');
    expect(at).toBeGreaterThan(0);
    bytes.write('"lxbels"', at);
    writeFileSync(s.file, bytes);
    const damaged = s.cached();
    expect(ids(damaged)).toEqual(['disk-gone', 'pipe-burst']);
    expect(damaged?.exampleModel().snapshot()).toEqual(trained);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(
      /knowledge cache .*knowledge-.*\.bin: the example model is unreadable \(not an example model: labels is not a list of guide ids\); training it again/,
    );
  });

  it('is invalidated by a changed guide, even one changed to the same size and mtime', () => {
    const s = setup();
    const file = path.join(s.guides, 'disk-gone.md');
    // An mtime this close to the listing could hide a second edit (coarse clocks): content must decide.
    const soon = new Date(Date.now() + 10_000);
    utimesSync(file, soon, soon);
    s.load();
    const before = statSync(file);
    const text = readFileSync(file, 'utf8');
    const changed = text.replace('disk gone happened', 'disk lost happened');
    expect(changed.length).toBe(text.length);
    writeFileSync(file, changed);
    utimesSync(file, before.atime, before.mtime);
    expect(s.cached()).toBeUndefined();
    const reloaded = s.load();
    expect(reloaded.knowledge.guides[0]?.signatures).toEqual(['disk lost happened']);
    expect(s.cached()?.knowledge.guides[0]?.signatures).toEqual(['disk lost happened']);
  });

  it('is invalidated by an added guide and by a deleted one', () => {
    const s = setup();
    s.load();
    writeGuides(s.guides, { 'fan-stopped.md': guideFile('fan-stopped') });
    expect(s.cached()).toBeUndefined();
    expect(ids(s.load())).toEqual(['disk-gone', 'fan-stopped', 'pipe-burst']);
    unlinkSync(path.join(s.guides, 'pipe-burst.md'));
    expect(s.cached()).toBeUndefined();
    expect(ids(s.load())).toEqual(['disk-gone', 'fan-stopped']);
    expect(ids(s.cached())).toEqual(['disk-gone', 'fan-stopped']);
  });

  it('keeps a touched but unchanged guide (the content decides)', () => {
    const s = setup();
    s.load();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(s.guides, 'disk-gone.md'), later, later);
    expect(ids(s.cached())).toEqual(['disk-gone', 'pipe-burst']);
  });

  it('rebuilds a corrupt cache file with a warning, never trusting it', () => {
    const s = setup();
    s.load();
    const good = readFileSync(s.file);
    // Cut short: the lengths in its header point past its end.
    writeFileSync(s.file, good.subarray(0, 40));
    expect(ids(s.load())).toEqual(['disk-gone', 'pipe-burst']);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toMatch(/knowledge cache .* is unreadable .*rebuilding it/);
    expect(ids(s.cached())).toEqual(['disk-gone', 'pipe-burst']);

    // Another kind of file, and a well-formed file whose index is broken inside.
    writeFileSync(s.file, '{"hello": "world"}');
    s.load();
    expect(s.warnings[1]).toMatch(/is not a faultline cache file; rebuilding it/);
    const broken = Buffer.from(good);
    const indexAt = broken.readUInt32LE(12);
    broken.fill(0xff, indexAt + 16, indexAt + 64);
    writeFileSync(s.file, broken);
    expect(ids(s.load())).toEqual(['disk-gone', 'pipe-burst']);
    expect(s.warnings[2]).toMatch(/is corrupt .*rebuilding it/);
    expect(ids(s.cached())).toEqual(['disk-gone', 'pipe-burst']);

    // The guides' head (read at start-up; each guide's page is read when it is shown) broken inside.
    const badGuides = Buffer.from(good);
    const guidesAt = 16 + badGuides.readUInt32LE(4);
    badGuides.fill(0xff, guidesAt + 4, guidesAt + 24);
    writeFileSync(s.file, badGuides);
    expect(ids(s.load())).toEqual(['disk-gone', 'pipe-burst']);
    expect(s.warnings[3]).toMatch(/is corrupt .*rebuilding it/);
  });

  it('keeps a guide folder with problems as it is: the problems come back from the cache', () => {
    const s = setup({ 'broken.md': '# no front matter\n' });
    const built = s.load();
    expect(built.knowledge.problems).toHaveLength(1);
    expect(s.cached()?.knowledge.problems).toEqual(built.knowledge.problems);
  });

  it('is off with FAULTLINE_CACHE=0 and lives under XDG_CACHE_HOME by default', () => {
    expect(cacheDir({ FAULTLINE_CACHE: '0', FAULTLINE_CACHE_DIR: '/x' })).toBeUndefined();
    expect(cacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe(path.join('/xdg', 'faultline'));
    expect(cacheDir({ XDG_CACHE_HOME: '/xdg', FAULTLINE_CACHE_DIR: '/own' })).toBe('/own');
    const s = setup();
    const off = { env: { FAULTLINE_CACHE: '0', FAULTLINE_CACHE_DIR: s.cache } };
    expect(ids(loadKnowledgeCached([s.guides], loadKnowledge, off))).toEqual(['disk-gone', 'pipe-burst']);
    expect(readdirSync(s.cache)).toEqual([]);
  });
});

function run(
  args: string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each spawns several CLI processes; on a shared two-core machine that can take a while.
describe('the cache seen from the command line', { timeout: 120_000 }, () => {
  it('survives several processes starting at once on an empty cache', async () => {
    const s = setup();
    const env = { FAULTLINE_CACHE_DIR: s.cache };
    const args = ['-k', s.guides, 'match', '--json', 'error: pipe burst happened'];
    // In an empty folder: other tests' one-shot commands may leave a file store in the repository, and four
    // processes opening it at once would test the store's lock, not the cache.
    const cwd = tempDir('faultline-cwd-');
    const results = await Promise.all(Array.from({ length: 4 }, () => run(args, env, cwd)));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).matches[0].id).toBe('pipe-burst');
    }
    expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
    // No temp file left behind, and what is there is whole: the next start is served from it.
    expect(readdirSync(s.cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const file = readdirSync(s.cache).find((f) => f.startsWith('knowledge-'));
    expect(file).toBeDefined();
    expect(readFileSync(path.join(s.cache, file as string)).readUInt32LE(0)).toBe(0x434b4c46);
    const again = await run(args, env);
    expect(again.stdout).toBe(results[0]?.stdout);
  });

  it('picks up a new guide on the next start, and says so when the cache file was corrupt', async () => {
    const s = setup();
    const env = { FAULTLINE_CACHE_DIR: s.cache };
    const args = ['-k', s.guides, 'match', '--json', 'error: fan stopped happened'];
    const first = await run(args, env);
    expect(JSON.parse(first.stdout).matches).toEqual([]);
    writeGuides(s.guides, { 'fan-stopped.md': guideFile('fan-stopped') });
    const second = await run(args, env);
    expect(JSON.parse(second.stdout).matches[0].id).toBe('fan-stopped');
    for (const f of readdirSync(s.cache).filter((n) => n.startsWith('knowledge-')))
      writeFileSync(path.join(s.cache, f), 'not json');
    const third = await run(args, env);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout).matches[0].id).toBe('fan-stopped');
    expect(third.stderr).toMatch(/faultline: warning: knowledge cache .* is not a faultline cache file/);
  });

  it('serves a start from the cache without loading zod, yaml or the guide parser', async () => {
    const cache = tempDir('faultline-cache-');
    const seen = path.join(cache, 'modules.json');
    const hook = path.join(cache, 'hook.cjs');
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const args = ['match', '--json', 'java.io.FileNotFoundException: /data/x (Too many open files)'];
    const env = { FAULTLINE_CACHE_DIR: cache };
    const first = await run(args, env);
    expect(JSON.parse(first.stdout).matches[0].id).toBe('too-many-open-files');
    const loaded = await new Promise<string[]>((resolve) => {
      const child = spawn(process.execPath, ['--require', hook, BIN, ...args], { env: { ...process.env, ...env } });
      child.on('close', () => resolve(JSON.parse(readFileSync(seen, 'utf8')) as string[]));
    });
    expect(loaded.some((f) => f === BIN)).toBe(true);
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](zod|yaml)[\\/]/.test(f))).toEqual([]);
    // rolldown heads each module's code with its path in tsc's output.
    expect(loaded.filter((f) => readFileSync(f, 'utf8').includes('// dist/src/knowledge/parse.js'))).toEqual([]);
  });

  it('is rebuilt when the bundle changes: a cache written by other code is never used', async () => {
    // A copy of the package whose bundle can be changed without touching the one other tests run.
    const pkg = tempDir('faultline-pkg-');
    for (const name of ['package.json', 'knowledge', 'node_modules']) symlinkSync(path.join(ROOT, name), path.join(pkg, name));
    cpSync(path.dirname(BIN), path.join(pkg, 'dist', 'cli'), { recursive: true });
    const bin = path.join(pkg, 'dist', 'cli', path.basename(BIN));
    const s = setup();
    const env = { FAULTLINE_CACHE_DIR: s.cache };
    const once = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [bin, '-k', s.guides, 'match', '--json', 'error: pipe burst happened'], {
          env: { ...process.env, ...env },
        });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.on('close', () => resolve(stdout));
      });
    const first = await once();
    expect(JSON.parse(first).matches[0].id).toBe('pipe-burst');
    // The code stamp the file was written with (its meta, the JSON after a 16-byte header).
    const stamp = () => {
      const buf = readFileSync(
        path.join(s.cache, readdirSync(s.cache).find((f) => f.startsWith('knowledge-')) as string),
      );
      return (JSON.parse(buf.subarray(16, 16 + buf.readUInt32LE(4)).toString('utf8')) as { code: string }).code;
    };
    const before = stamp();
    expect(await once()).toBe(first);
    expect(stamp()).toBe(before);
    // Any chunk of the bundle, not only its entry: the command loads several.
    const chunk = readdirSync(path.join(pkg, 'dist', 'cli')).find((f) => f !== path.basename(BIN)) as string;
    appendFileSync(path.join(pkg, 'dist', 'cli', chunk), '\n// another build\n');
    expect(await once()).toBe(first);
    expect(stamp()).not.toBe(before);
  });
});
