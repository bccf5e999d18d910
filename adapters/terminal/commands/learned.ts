import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AppContext } from '../../../src/app.js';
import type { LearnedExample } from '../../../src/match/learned.js';
import type { Cli } from '../cli.js';
import { withStore } from '../cli.js';
import { UsageError } from '../usage.js';

export function registerLearnedCommand(program: Command, cli: Cli): void {
  const learned = program
    .command('learned')
    .description('the corrections the matching has learned (list, remove, export)')
    .option('--json', 'print them as JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await withStore(cli.app(), (store) => store.learned.list());
      if (o.json) {
        process.stdout.write(JSON.stringify({ learned: list }, null, 2) + '\n');
        return;
      }
      if (!list.length) process.stdout.write('No learned examples yet.\n');
      for (const e of list)
        process.stdout.write(
          `${e.id}  ${e.verdict.padEnd(5)} ${(e.guideId ?? '-').padEnd(36)} ${e.platform}:${e.user}  ${e.at}\n    ${e.template.split('\n')[0] ?? ''}\n`,
        );
    });

  learned
    .command('remove')
    .description('drop one learned example')
    .argument('<id>')
    .action(async (id: string) => {
      const removed = await withStore(cli.app(), (store) => store.learned.remove(id));
      if (!removed) throw new UsageError(`no learned example "${id}" (see faultline learned)`);
      process.stdout.write(`removed ${id}\n`);
    });

  learned
    .command('export')
    .description('write corrections as examples: into team guides in DIR, for review')
    .requiredOption('--into <dir>', 'a team guide folder (a copy of a built-in guide is written there)')
    .action(async (o: { into: string }) => {
      const ctx = cli.app();
      const list = await withStore(ctx, (store) => store.learned.list());
      const written = await exportLearned(ctx, list, o.into);
      for (const w of written) process.stdout.write(`${w.file}: ${w.added} example(s) added\n`);
      if (!written.length) process.stdout.write('Nothing to export: no correction names a guide.\n');
    });
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
      // A guide removed since the correction was made: said, not silently dropped.
      process.stderr.write(`faultline: skipped corrections for unknown guide "${id}"\n`);
      continue;
    }
    const target = path.join(dir, `${id}.md`);
    const source = existsSync(target) ? target : guide.source.file;
    const text = readFileSync(source, 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
    if (!m) throw new Error(`${source}:1: no front matter`);
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
