import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AppContext } from '../../../src/app.js';
import type { Bot } from '../../../src/bot/bot.js';
import type { LearnedExample } from '../../../src/match/learned.js';
import type { Gap } from '../../../src/store/learned.js';
import type { Stores } from '../../../src/store/stores.js';

/** What the learning commands need from the composition root. */
export interface LearningDeps {
  app: () => AppContext;
  makeStore: (ctx: AppContext) => Promise<Stores>;
  makeBot: (ctx: AppContext, store: Stores) => Promise<Bot>;
  readStdin: () => Promise<string>;
}

class LearningError extends Error {}

/** Opens the store, runs `fn`, closes it; a store that cannot be opened is one line, exit 1. */
async function withStore<T>(deps: LearningDeps, fn: (store: Stores, ctx: AppContext) => Promise<T>) {
  const ctx = deps.app();
  let store: Stores;
  try {
    store = await deps.makeStore(ctx);
  } catch (e) {
    throw new LearningError(`the store is unavailable: ${(e as Error).message}`);
  }
  try {
    return await fn(store, ctx);
  } finally {
    await store.close();
  }
}

function fail(message: string, code: number): void {
  process.stderr.write(`faultline: ${message}\n`);
  process.exitCode = code;
}

/** `7d`, `12h`, `30m` -> milliseconds. */
export function parseSince(v: string): number {
  const m = /^(\d+)([dhm])$/.exec(v.trim());
  if (!m) throw new LearningError(`--since must look like 7d, 12h or 30m, not "${v}"`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

/** The gaps newest first among the most frequent: clusters by count, then by when last seen. */
export function rankGaps(gaps: Gap[], sinceMs: number | undefined, now = Date.now()): Gap[] {
  return gaps
    .filter((g) => sinceMs === undefined || now - Date.parse(g.lastSeen) <= sinceMs)
    .sort((a, b) => b.count - a.count || (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
}

export function registerLearningCommands(program: Command, deps: LearningDeps): void {
  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      try {
        await fn(...args);
      } catch (e) {
        if (e instanceof LearningError) fail(e.message, 1);
        else throw e;
      }
    };

  program
    .command('learn')
    .description('record a correction as the terminal user: this paste is answered by --guide ID, or by none')
    .argument('[text...]', 'the pasted error; read from standard input when omitted')
    .option('--guide <id>', 'the guide that fits')
    .option('--none', 'no guide fits: stay quiet on pastes like this one and list it under gaps')
    .action(
      run(async (words: string[], o: { guide?: string; none?: boolean }) => {
        if (Boolean(o.guide) === Boolean(o.none)) {
          fail('give exactly one of --guide ID and --none', 2);
          return;
        }
        const text = words.length ? words.join(' ') : await deps.readStdin();
        await withStore(deps, async (store, ctx) => {
          const bot = await deps.makeBot(ctx, store);
          const res = await bot.learnFrom(
            { platform: 'terminal', user: ctx.config.terminal.user },
            text,
            o.guide,
          );
          if (!res.ok) return fail(res.error, 2);
          process.stdout.write(`learned ${res.id}: ${o.guide ?? 'none of these'} for\n${res.template}\n`);
        });
      }),
    );

  const learned = program
    .command('learned')
    .description('the corrections the matching has learned (list, remove, export)')
    .option('--json', 'print them as JSON')
    .action(
      run(async (o: { json?: boolean }) => {
        const list = await withStore(deps, (store) => store.learned.list());
        if (o.json) {
          process.stdout.write(JSON.stringify({ learned: list }, null, 2) + '\n');
          return;
        }
        if (!list.length) process.stdout.write('No learned examples yet.\n');
        for (const e of list)
          process.stdout.write(
            `${e.id}  ${e.verdict.padEnd(5)} ${(e.guideId ?? '-').padEnd(36)} ${e.platform}:${e.user}  ${e.at}\n    ${e.template.split('\n')[0] ?? ''}\n`,
          );
      }),
    );

  learned
    .command('remove')
    .description('drop one learned example')
    .argument('<id>')
    .action(
      run(async (id: string) => {
        const removed = await withStore(deps, (store) => store.learned.remove(id));
        if (!removed) return fail(`no learned example "${id}" (see faultline learned)`, 2);
        process.stdout.write(`removed ${id}\n`);
      }),
    );

  learned
    .command('export')
    .description('write corrections as examples: into team guides in DIR, for review')
    .requiredOption('--into <dir>', 'a team guide folder (a copy of a built-in guide is written there)')
    .action(
      run(async (o: { into: string }) => {
        const ctx = deps.app();
        const list = await withStore(deps, (store) => store.learned.list());
        const written = await exportLearned(ctx, list, o.into);
        for (const w of written) process.stdout.write(`${w.file}: ${w.added} example(s) added\n`);
        if (!written.length) process.stdout.write('Nothing to export: no correction names a guide.\n');
      }),
    );

  program
    .command('gaps')
    .description('pastes no guide answered, grouped by template: the guides to write next')
    .option('--since <age>', 'only those seen within this long (7d, 12h, 30m)')
    .option('--json', 'print {"gaps": [...]}')
    .action(
      run(async (o: { since?: string; json?: boolean }) => {
        const since = o.since === undefined ? undefined : parseSince(o.since);
        const gaps = rankGaps(await withStore(deps, (store) => store.gaps.list()), since);
        if (o.json) {
          const out = gaps.map(({ template, count, sample, lastSeen, nearest }) => ({
            template,
            count,
            sample,
            lastSeen,
            nearest,
          }));
          process.stdout.write(JSON.stringify({ gaps: out }, null, 2) + '\n');
          return;
        }
        if (!gaps.length) process.stdout.write('No unanswered pastes recorded.\n');
        for (const g of gaps) {
          const near = g.nearest.map((n) => `${n.id} ${Math.round(n.score * 100)}%`).join(', ') || 'none';
          process.stdout.write(
            `${String(g.count).padStart(4)}x  last ${g.lastSeen}  nearest: ${near}\n${g.sample
              .split('\n')
              .map((l) => `      ${l}`)
              .join('\n')}\n\n`,
          );
        }
      }),
    );
}

/**
 * Adds each correction's redacted sample to the `examples:` of its guide in `dir`: the team's copy when
 * there is one, else a copy of the loaded guide. Examples already present are not added again.
 */
async function exportLearned(
  ctx: AppContext,
  list: readonly LearnedExample[],
  dir: string,
): Promise<{ file: string; added: number }[]> {
  const { parseDocument } = await import('yaml');
  const byGuide = new Map<string, string[]>();
  for (const e of list)
    if (e.verdict === 'right' && e.guideId)
      byGuide.set(e.guideId, [...(byGuide.get(e.guideId) ?? []), e.sample]);
  mkdirSync(dir, { recursive: true });
  const out: { file: string; added: number }[] = [];
  for (const [id, samples] of byGuide) {
    const guide = ctx.knowledge.guides.find((g) => g.id === id);
    if (!guide) {
      process.stderr.write(`faultline: skipped corrections for unknown guide "${id}"\n`);
      continue;
    }
    const target = path.join(dir, `${id}.md`);
    const source = existsSync(target) ? target : guide.source.file;
    const text = readFileSync(source, 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
    if (!m) throw new LearningError(`${source}:1: no front matter`);
    const doc = parseDocument(m[1] ?? '');
    const examples = (doc.get('examples') as { items?: unknown[] } | undefined)?.items ?? [];
    const have = new Set(examples.map((x) => String((x as { value?: unknown }).value ?? x)));
    let added = 0;
    for (const s of samples)
      if (!have.has(s)) {
        doc.addIn(['examples'], s);
        have.add(s);
        added++;
      }
    if (!added) continue;
    writeFileSync(target, `---\n${doc.toString().trimEnd()}\n---\n${text.slice(m[0].length)}`);
    out.push({ file: target, added });
  }
  return out;
}
