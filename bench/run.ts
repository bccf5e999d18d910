/**
 * `npm run bench`: the matching engine against the two baselines that say how close it is to what is
 * possible, measured in one run so the ratios compare like with like:
 * - the plain scan: every guide's literal signature strings looked for, case-insensitively, in each paste
 *   (the floor any matcher pays to find exact evidence);
 * - MiniSearch, a BM25 library, indexing the same guide fields as the engine's word-overlap stage and
 *   queried with the whole paste.
 * Pastes are the written and the real corpus (test/corpus/{written,real}/*.jsonl); knowledge bases are the built-in guides and 1,000
 * and 10,000 synthetic ones. Start-up is measured by spawning the built CLI against a bare `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import MiniSearch from 'minisearch';
import { builtinKnowledgeDir, loadKnowledge, packageRoot } from '../src/knowledge/load.js';
import { MatchEngine } from '../src/match/engine.js';
import { MatchIndex, type IndexableGuide } from '../src/match/match-index.js';
import { GITLEAKS_RULES } from '../src/redact/gitleaks-rules.js';
import { redactOwn, redactSecrets } from '../src/redact/index.js';

interface Stats {
  p50: number;
  p99: number;
  runs: number;
}

function measure(fn: () => void, opts: { minRuns: number; maxRuns: number; budgetMs: number }): Stats {
  const times: number[] = [];
  const start = performance.now();
  while (
    times.length < opts.maxRuns &&
    (times.length < opts.minRuns || performance.now() - start < opts.budgetMs)
  ) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), runs: times.length };
}

/** Deterministic pseudo-random words, so every run benchmarks the same synthetic knowledge base. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
function word(r: () => number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let w = '';
  const n = 4 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) w += letters[Math.floor(r() * 26)];
  return w;
}

/** Synthetic guides shaped like the real ones: the same vocabulary plus invented words, so postings lists grow realistically. */
export function syntheticGuides(base: readonly IndexableGuide[], n: number): IndexableGuide[] {
  const r = rng(42);
  const out: IndexableGuide[] = [...base];
  for (let i = out.length; i < n; i++) {
    const b = base[i % base.length] as IndexableGuide;
    const extra = () => `${word(r)} ${word(r)}`;
    out.push({
      id: `${b.id}-syn-${i}`,
      title: `${b.title} ${extra()}`,
      summary: b.summary,
      signatures: b.signatures
        .filter((s) => !s.startsWith('/'))
        .slice(0, 20)
        .map((s) => `${s} ${word(r)}`)
        .concat([`${word(r)} ${word(r)} ${word(r)}`, `/\\b${word(r)} \\d+ ${word(r)}\\b/i`]),
      hints: [`${word(r)} ${word(r)}`],
      aliases: b.aliases.map((a) => `${a} ${word(r)}`),
      tags: b.tags,
    });
  }
  return out;
}

const ONE_LINE =
  '2026-11-24T03:12:09.114Z api-7f9c[2211]: write tcp 10.2.3.4:8080->10.9.8.7:51234: write: broken pipe';

/** Every paste of the written and the real corpus (`test/corpus/<collection>/<split>.jsonl`). */
function corpusPastes(): string[] {
  const root = path.join(packageRoot(), 'test', 'corpus');
  const out: string[] = [];
  for (const collection of ['written', 'real']) {
    const dir = path.join(root, collection);
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .sort())
      for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n'))
        if (line.trim()) out.push((JSON.parse(line) as { text: string }).text);
  }
  if (out.length === 0) throw new Error(`no corpus pastes under ${root}`);
  return out;
}

/** The floor: each guide's literal signatures (hints too), lowercased once, looked for in the lowercased paste. */
function plainScan(guides: readonly IndexableGuide[]): (text: string) => number {
  const literals: { guide: number; text: string }[] = [];
  guides.forEach((g, gi) => {
    for (const s of [...g.signatures, ...g.hints])
      if (!s.startsWith('/')) literals.push({ guide: gi, text: s.toLowerCase() });
  });
  return (text) => {
    const lower = text.toLowerCase();
    let found = 0;
    for (const l of literals) if (lower.includes(l.text)) found++;
    return found;
  };
}

function miniSearch(guides: readonly IndexableGuide[]): MiniSearch {
  const ms = new MiniSearch({ fields: ['title', 'aliases', 'signatures', 'hints', 'tags'], idField: 'id' });
  ms.addAll(
    guides.map((g) => ({
      id: g.id,
      title: g.title,
      aliases: g.aliases.join(' '),
      signatures: g.signatures.join(' '),
      hints: g.hints.join(' '),
      tags: g.tags.join(' '),
    })),
  );
  return ms;
}

const HOSTILE: Record<string, string> = {
  '1 MB of one letter': 'a'.repeat(1_000_000),
  'repeated signature prefix': 'timed out after '.repeat(20_000),
  '200,000 empty lines': '\n'.repeat(200_000),
  'nested brackets': '('.repeat(100_000) + ')'.repeat(100_000),
};

function fmt(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}
const x = (r: number) => `${r.toFixed(2)}×`;

function heapMb(): number {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Time per paste over a set of pastes: the mean of several interleaved rounds, so noise hits all alike. */
function perPaste(
  subjects: Record<string, (text: string) => unknown>,
  pastes: readonly string[],
  rounds: number,
): Record<string, number> {
  const total: Record<string, number[]> = {};
  for (const name of Object.keys(subjects)) total[name] = [];
  for (const fn of Object.values(subjects)) for (const p of pastes.slice(0, 20)) fn(p); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(subjects)) {
      const t0 = performance.now();
      for (const p of pastes) fn(p);
      total[name]?.push((performance.now() - t0) / pastes.length);
    }
  }
  const out: Record<string, number> = {};
  for (const [name, ts] of Object.entries(total)) out[name] = median(ts);
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * CPU time (user + system, ms) of this process's finished children, from /proc on Linux (undefined
 * elsewhere): what a spawned command cost the machine, which other processes' load moves much less than
 * its wall time. Counted in clock ticks, so only a sum over many runs is worth reading.
 */
function childrenCpu(): number | undefined {
  try {
    // The fields after the command name (which may hold spaces, so it is cut off at its closing paren).
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 after the name and state.
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Wall time of spawned commands (median), interleaved run by run so machine load hits every one alike,
 * and their mean CPU time when the system reports it.
 */
function startUp(
  commands: Record<string, string[]>,
  runs: number,
  env: NodeJS.ProcessEnv,
): { wall: Record<string, number>; cpu: Record<string, number> | undefined } {
  const times: Record<string, number[]> = {};
  const cpuSum: Record<string, number> = {};
  let cpuKnown = true;
  for (const name of Object.keys(commands)) times[name] = [];
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const c0 = childrenCpu();
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
      const ms = performance.now() - t0;
      const c1 = childrenCpu();
      if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
      times[name]?.push(ms);
      if (c0 === undefined || c1 === undefined) cpuKnown = false;
      else cpuSum[name] = (cpuSum[name] ?? 0) + c1 - c0;
    }
  }
  const wall: Record<string, number> = {};
  for (const [name, ts] of Object.entries(times)) wall[name] = median(ts);
  const cpu: Record<string, number> = {};
  for (const [name, sum] of Object.entries(cpuSum)) cpu[name] = sum / runs;
  return { wall, cpu: cpuKnown ? cpu : undefined };
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

async function main(): Promise<void> {
  const kb = loadKnowledge([builtinKnowledgeDir()]);
  const corpus = corpusPastes();
  if (process.argv.includes('--redaction')) return benchRedaction(corpus);
  console.log(
    `faultline bench: node ${process.version}, ${kb.guides.length} built-in guides, ${corpus.length} corpus pastes; load average ${load()}\n`,
  );

  // --- Start-up -------------------------------------------------------------------------------------
  const bin = path.join(packageRoot(), 'dist', 'cli', 'faultline.cjs');
  const cacheHome = mkdtempSync(path.join(tmpdir(), 'faultline-bench-cache-'));
  const env = { ...process.env, FAULTLINE_CACHE_DIR: cacheHome, NO_COLOR: '1' };
  const matchArgs = [bin, 'match', '--json', ONE_LINE];
  const explainArgs = [bin, 'explain', ONE_LINE];
  const t0 = performance.now();
  spawnSync(process.execPath, matchArgs, { env });
  const coldMs = performance.now() - t0;
  const runs = 15;
  const { wall: s, cpu } = startUp({ node: ['-e', '0'], match: matchArgs, explain: explainArgs }, runs, env);
  const noCache = startUp({ node: ['-e', '0'], match: matchArgs }, 5, { ...env, FAULTLINE_CACHE: '0' }).wall;
  rmSync(cacheHome, { recursive: true, force: true });
  const node = s.node as number;
  // CPU time beside wall time: on a shared machine the wall time also measures the other processes.
  const cpuOf = (name: string) => {
    if (!cpu) return '';
    const ms = cpu[name] as number;
    return `   CPU ${x(ms / (cpu.node as number)).padStart(6)}   ${fmt(ms)}`;
  };
  console.log(`== start-up, median of ${runs} interleaved runs (target: within 2.5× of bare node)`);
  console.log(
    `match --json        ${x((s.match as number) / node).padStart(7)}   ${fmt(s.match as number)}${cpuOf('match')}`,
  );
  console.log(
    `explain             ${x((s.explain as number) / node).padStart(7)}   ${fmt(s.explain as number)}${cpuOf('explain')}`,
  );
  console.log(`bare node -e 0      ${x(1).padStart(7)}   ${fmt(node)}${cpuOf('node')}`);
  console.log(
    `match, no cache     ${x((noCache.match as number) / (noCache.node as number)).padStart(7)}   ${fmt(noCache.match as number)} (FAULTLINE_CACHE=0, 5 runs)`,
  );
  console.log(`match, first run    ${' '.repeat(7)}   ${fmt(coldMs)} (builds the cache)\n`);
  // Start-up alone, to take it again when the machine is quieter than during the whole run.
  if (process.argv.includes('--startup')) return;

  // --- Per paste, both corpora ---------------------------------------------------------------------
  const report = (
    guides: readonly IndexableGuide[],
    pastes: readonly string[],
    rounds: number,
    label: string,
  ) => {
    const engine = new MatchEngine(guides);
    const scan = plainScan(guides);
    const ms = miniSearch(guides);
    const r = perPaste(
      {
        scan,
        engine: (t) => engine.match(t),
        minisearch: (t) => ms.search(t),
      },
      pastes,
      rounds,
    );
    const floor = r.scan as number;
    console.log(`== per paste, ${label} (mean of ${pastes.length} pastes, median of ${rounds} rounds)`);
    console.log(
      `engine / plain scan       ${x((r.engine as number) / floor).padStart(8)}   (target: within 2×)`,
    );
    console.log(`MiniSearch / plain scan   ${x((r.minisearch as number) / floor).padStart(8)}`);
    console.log(
      `absolute: plain scan ${fmt(floor)}, engine ${fmt(r.engine as number)}, MiniSearch ${fmt(r.minisearch as number)}\n`,
    );
    return { engine, r };
  };
  report(kb.guides, corpus, 7, `${kb.guides.length} built-in guides, written and real corpus`);

  // --- 1,000 and 10,000 guides ----------------------------------------------------------------------
  const sample = corpus.filter((_, i) => i % 8 === 0);
  const onePaste: Record<number, number> = {};
  for (const n of [1000, 10_000]) {
    const guides = syntheticGuides(kb.guides, n);
    // CPU time beside wall time: on a shared machine the wall time says as much about the other processes.
    const timed = <T>(fn: () => T) => {
      const before = heapMb();
      const cpu = process.cpuUsage();
      const t = performance.now();
      const value = fn();
      const wall = performance.now() - t;
      const used = process.cpuUsage(cpu);
      return { value, wall, cpu: (used.user + used.system) / 1000, mb: heapMb() - before };
    };
    const built = timed(() => new MatchIndex(guides));
    const snapshot = built.value.snapshot();
    const file = path.join(tmpdir(), `faultline-bench-${process.pid}-${n}.bin`);
    writeFileSync(file, snapshot);
    const restored = timed(() => new MatchIndex(readFileSync(file)));
    rmSync(file);
    // A restored index decodes keys and signatures as pastes reach them: the first paste pays for its own.
    const fresh = new MatchEngine(guides, undefined, restored.value);
    const firstPaste = timed(() => fresh.match(ONE_LINE));
    const ms = timed(() => miniSearch(guides));
    console.log(`== ${n.toLocaleString('en')} guides`);
    const target = n === 10_000 ? '   (target: under 1 s and 100 MB)' : '';
    console.log(
      `index build / MiniSearch build   ${x(built.wall / ms.wall).padStart(7)} time, ${x(built.mb / ms.mb)} memory; ${x(built.wall / node)} a bare node start${target}`,
    );
    console.log(
      `index: built in ${fmt(built.wall)} (${fmt(built.cpu)} CPU), ${built.mb.toFixed(0)} MB; MiniSearch built in ${fmt(ms.wall)} (${fmt(ms.cpu)} CPU), ${ms.mb.toFixed(0)} MB`,
    );
    console.log(
      `from the cache file (${(snapshot.length / 2 ** 20).toFixed(1)} MB): ${fmt(restored.wall)} (${fmt(restored.cpu)} CPU), ${restored.mb.toFixed(0)} MB; ${x(restored.wall / node)} a bare node start; its first one-line paste ${fmt(firstPaste.wall)} (${fmt(firstPaste.cpu)} CPU)`,
    );
    const { engine } = report(guides, sample, 3, `${n.toLocaleString('en')} guides, every 8th corpus paste`);
    const one = measure(() => engine.match(ONE_LINE), { minRuns: 50, maxRuns: 5000, budgetMs: 1500 });
    onePaste[n] = one.p50;
    const scale =
      n === 10_000 && onePaste[1000]
        ? `   ${x(one.p50 / onePaste[1000])} the 1,000-guide cost (target: within 2×)`
        : '';
    console.log(`one-line paste: p50 ${fmt(one.p50)}, p99 ${fmt(one.p99)}${scale}\n`);
  }

  // --- Hostile input --------------------------------------------------------------------------------
  const engine = new MatchEngine(kb.guides);
  console.log('== hostile input, built-in guides (single run each)');
  for (const [name, text] of Object.entries(HOSTILE)) {
    const st = measure(() => engine.match(text), { minRuns: 3, maxRuns: 3, budgetMs: 0 });
    console.log(`${name.padEnd(28)} p50 ${fmt(st.p50)}`);
  }
  // The worst case of a cubic team signature (issue 16): 256 KiB of lines at the line cap that carry every
  // literal of /error.*:.*:.*failed$/i but never match. It runs on the linear engine under the regex budget.
  const cubicLine = 'error' + ':'.repeat(3990) + 'failed!';
  const cubicPaste = Array.from(
    { length: Math.floor((256 * 1024) / (cubicLine.length + 1)) },
    () => cubicLine,
  ).join('\n');
  const team = new MatchEngine([
    ...kb.guides,
    {
      id: 'team-cubic',
      title: 'team cubic',
      summary: '',
      signatures: ['/error.*:.*:.*failed$/i'],
      hints: [],
      aliases: [],
      tags: [],
    },
  ]);
  let skipped = 0;
  const cubic = measure(() => (skipped = team.match(cubicPaste).skipped.length), {
    minRuns: 3,
    maxRuns: 3,
    budgetMs: 0,
  });
  console.log(
    `${'cubic team signature, 256 KiB'.padEnd(28)} p50 ${fmt(cubic.p50)} (${skipped} regex signatures skipped by the budget)`,
  );
  console.log('');
  benchRedaction(corpus);
  console.log(`\nload average at the end: ${load()}`);
  if (process.argv.includes('--ssh')) {
    const { runSshBench } = await import('./ssh.js');
    await runSshBench();
  }
}

/**
 * Redaction of a 256 KiB log: our own rules alone against ours plus gitleaks' imported rules, on the
 * written corpus joined into one log, and on a hostile log where every line holds imported rules'
 * keywords (so every rule runs) and a long near-secret.
 */
function benchRedaction(corpus: readonly string[]): void {
  const size = 256 * 1024;
  let log = '';
  for (let i = 0; log.length < size; i++) log += `${corpus[i % corpus.length] ?? ''}\n`;
  log = log.slice(0, size);
  const keywords = [...new Set(GITLEAKS_RULES.flatMap((r) => r.keywords))];
  let hostile = '';
  for (let i = 0; hostile.length < size; i++)
    hostile += `${keywords[i % keywords.length]} = "${'aZ9_-'.repeat(150)}" ${keywords[(i * 7) % keywords.length]}:\n`;
  hostile = hostile.slice(0, size);
  redactSecrets('warm up');
  console.log(`== redaction of a 256 KiB log (${GITLEAKS_RULES.length} imported gitleaks rules)`);
  for (const [name, text] of [
    ['written corpus as one log', log],
    ['every line holds keywords', hostile],
  ] as const) {
    const opts = { minRuns: 5, maxRuns: 50, budgetMs: 3000 };
    const own = measure(() => redactOwn(text), opts);
    const all = measure(() => redactSecrets(text), opts);
    console.log(
      `${name.padEnd(28)} ours ${fmt(own.p50)}, with imported ${fmt(all.p50)}   ${x(all.p50 / own.p50)}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
