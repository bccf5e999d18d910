/**
 * `npm run bench`: the matching engine against a naive baseline (fuse.js over every guide's title,
 * aliases, signatures and summary, queried with the whole paste), at the built-in knowledge base and at
 * 1,000 and 10,000 synthetic guides, measured in one run so the ratios compare like with like.
 */
import { pathToFileURL } from 'node:url';
import Fuse from 'fuse.js';
import { builtinKnowledgeDir, loadKnowledge } from '../src/knowledge/load.js';
import { MatchEngine } from '../src/match/engine.js';
import type { IndexableGuide } from '../src/match/index.js';

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

const BASELINE_SLICE = 10;

const ONE_LINE =
  '2026-11-24T03:12:09.114Z api-7f9c[2211]: write tcp 10.2.3.4:8080->10.9.8.7:51234: write: broken pipe';

function fiftyLineLog(): string {
  const lines: string[] = [];
  for (let i = 0; i < 49; i++)
    lines.push(
      `2026-11-24T03:12:${String(i).padStart(2, '0')}.114Z web-1 nginx[812]: 10.0.0.${i} - - "GET /api/v1/items/${i} HTTP/1.1" 200 512 "-" "curl/8.5.0"`,
    );
  lines.splice(
    37,
    0,
    '2026/11/24 03:12:37 [error] 812#812: *991 upstream prematurely closed connection while reading response header from upstream, client: 10.0.0.37',
  );
  return lines.join('\n');
}

function fiveHundredLineTrace(): string {
  const lines = ['Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'];
  for (let i = 0; i < 498; i++)
    lines.push(`\tat com.example.service.layer${i % 40}.Handler${i}.process(Handler${i}.java:${100 + i})`);
  lines.push('\t... 17 more');
  return lines.join('\n');
}

const HOSTILE: Record<string, string> = {
  '1 MB of one letter': 'a'.repeat(1_000_000),
  'repeated signature prefix': 'timed out after '.repeat(20_000),
  '200,000 empty lines': '\n'.repeat(200_000),
  'nested brackets': '('.repeat(100_000) + ')'.repeat(100_000),
};

function baseline(guides: readonly IndexableGuide[]): (text: string) => void {
  const fuse = new Fuse(
    guides.map((g) => ({
      id: g.id,
      title: g.title,
      aliases: g.aliases,
      signatures: g.signatures,
      summary: g.summary,
    })),
    {
      keys: ['title', 'aliases', 'signatures', 'summary'],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
    },
  );
  return (text) => void fuse.search(text, { limit: 5 });
}

function fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

function heapMb(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function main(): Promise<void> {
  const kb = loadKnowledge([builtinKnowledgeDir()]);
  const pastes: Record<string, string> = {
    'one line': ONE_LINE,
    '50-line log': fiftyLineLog(),
    '500-line trace': fiveHundredLineTrace(),
  };
  const sizes = [kb.guides.length, 1000, 10_000];
  const onePer: Record<string, number> = {};
  console.log(`faultline bench: node ${process.version}, ${kb.guides.length} built-in guides\n`);
  for (const n of sizes) {
    const guides = n === kb.guides.length ? kb.guides : syntheticGuides(kb.guides, n);
    const before = heapMb();
    const t0 = performance.now();
    const engine = new MatchEngine(guides);
    const loadMs = performance.now() - t0;
    const mem = heapMb() - before;
    const slice = Math.min(n, BASELINE_SLICE);
    const naiveSlice = baseline(guides.slice(0, slice));
    const naiveFull = n > slice ? baseline(guides) : naiveSlice;
    console.log(`== ${n} guides: index built in ${fmt(loadMs)}, index memory ~${mem.toFixed(1)} MB`);
    console.log(
      'paste            engine p50   engine p99   baseline p50  baseline p99  baseline/engine (p50)',
    );
    for (const [name, text] of Object.entries(pastes)) {
      const e = measure(() => engine.match(text), { minRuns: 50, maxRuns: 5000, budgetMs: 1500 });
      // fuse.js scans every item, so its time is linear in the number of guides: measure on a slice and
      // scale, and measure the whole set directly too where one run takes no more than a few seconds.
      const sliceStats = measure(() => naiveSlice(text), { minRuns: 1, maxRuns: 50, budgetMs: 2000 });
      let b = { p50: (sliceStats.p50 * n) / slice, p99: (sliceStats.p99 * n) / slice };
      let est = n > slice;
      if (est && b.p50 < 6000) {
        const direct = measure(() => naiveFull(text), { minRuns: 1, maxRuns: 3, budgetMs: 6000 });
        b = direct;
        est = false;
      }
      if (n === 1000) onePer[name] = e.p50;
      const scale =
        n === 10_000 && onePer[name]
          ? `   (x${(e.p50 / (onePer[name] as number)).toFixed(2)} of the 1,000 figure)`
          : '';
      const mark = est ? '*' : ' ';
      console.log(
        `${name.padEnd(16)} ${fmt(e.p50).padStart(10)}   ${fmt(e.p99).padStart(10)}   ${fmt(b.p50).padStart(11)}${mark} ${fmt(b.p99).padStart(11)}${mark} ${(b.p50 / e.p50).toFixed(0).padStart(8)}x${scale}`,
      );
    }
    console.log('');
  }
  console.log(
    `* baseline scaled from a ${BASELINE_SLICE}-guide slice (fuse.js time is linear in the number of guides)\n`,
  );
  const engine = new MatchEngine(kb.guides);
  console.log('== hostile input, built-in guides (single run each; compare with the one-line figure above)');
  for (const [name, text] of Object.entries(HOSTILE)) {
    const s = measure(() => engine.match(text), { minRuns: 3, maxRuns: 3, budgetMs: 0 });
    console.log(`${name.padEnd(28)} p50 ${fmt(s.p50)}`);
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
  if (process.argv.includes('--ssh')) {
    const { runSshBench } = await import('./ssh.js');
    await runSshBench();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
