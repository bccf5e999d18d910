import type { Command } from 'commander';
import { learnedOf, type Cli } from '../cli.js';
import { ProblemsError } from '../../../src/util/problems.js';
import { UsageError } from '../usage.js';
import type { CorpusSplit } from '../../../src/eval/collections.js';
import type { EvalReport } from '../../../src/eval/evaluate.js';
import type { PasteExample } from '../../../src/match/examples.js';

const SWEEP = [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

export function registerEvalCommand(program: Command, cli: Cli): void {
  program
    .command('eval')
    .description(
      'measure matching quality on labelled pastes, per collection and split (test/corpus/<collection>/<split>.jsonl)',
    )
    .argument(
      '[dir]',
      'corpus folder: one folder per collection, or one folder of <split>.jsonl files',
      'test/corpus',
    )
    .option('--collection <name>', 'only this collection (real, written)')
    .option('--split <name>', 'only this split (dev, test)')
    .option('--misses', 'list every miss with its text')
    .option('--held-out-misses', 'also list the misses of the held-out test split (never tune on them)')
    .option('--json', 'print the reports as JSON')
    .option(
      '--no-examples',
      "without the knowledge folders' example pastes (examples.jsonl), to see what they add",
    )
    .option(
      '--cv <k>',
      "k-fold cross-validation by source thread: each fold's example pastes come from the other folds only",
    )
    .action(
      async (
        dir: string,
        o: {
          collection?: string;
          split?: string;
          misses?: boolean;
          heldOutMisses?: boolean;
          json?: boolean;
          examples: boolean;
          cv?: string;
        },
      ) => {
        const ctx = cli.app();
        const folds = o.cv === undefined ? undefined : Number(o.cv);
        if (folds !== undefined && (!Number.isInteger(folds) || folds < 2))
          throw new UsageError(`--cv: a whole number of folds, at least 2 (got "${o.cv}")`);
        const [{ evaluate }, { crossValidate }, { readCollections }, { formatReport }, { MatchEngine }] =
          await Promise.all([
            import('../../../src/eval/evaluate.js'),
            import('../../../src/eval/cross-validate.js'),
            import('../../../src/eval/collections.js'),
            import('../../../src/eval/report.js'),
            import('../../../src/match/engine.js'),
          ]);
        const engine = o.examples
          ? ctx.engine
          : new MatchEngine(
              ctx.engine.guides,
              { ...ctx.engine.options, useExamples: false },
              ctx.engine.index,
            );
        const ids = new Set(ctx.knowledge.guides.map((g) => g.id));
        let splits: CorpusSplit[];
        try {
          splits = readCollections(dir, ids, o);
        } catch (e) {
          if (e instanceof ProblemsError) throw e;
          throw new UsageError((e as Error).message);
        }
        const threshold = ctx.config.match.threshold;
        const reports: Record<string, EvalReport> = {};
        const heldOut = new Set<string>();
        // With learned examples in the store, both: a correction must never make the eval worse.
        const learned = await learnedOf(ctx);
        for (const s of splits) {
          if (folds !== undefined) {
            // The split's own pastes, by fold, are the only examples: the shipped ones hold them already.
            const withExamples = (examples: readonly PasteExample[]) =>
              new MatchEngine(ctx.engine.guides, ctx.engine.options, ctx.engine.index, examples);
            reports[`${s.collection}/${s.split} cv${folds}`] = crossValidate(
              withExamples,
              s.lines,
              folds,
              threshold,
              SWEEP,
            );
            if (s.split === 'test') heldOut.add(`${s.collection}/${s.split}`);
            continue;
          }
          reports[`${s.collection}/${s.split}`] = evaluate(engine, s.lines, threshold, SWEEP);
          if (s.split === 'test') heldOut.add(`${s.collection}/${s.split}`);
          if (learned.size)
            reports[`${s.collection}/${s.split} with ${learned.size} learned`] = evaluate(
              engine,
              s.lines,
              threshold,
              SWEEP,
              learned,
            );
        }
        if (o.json) {
          process.stdout.write(JSON.stringify(reports, null, 2) + '\n');
          return;
        }
        for (const [name, r] of Object.entries(reports))
          process.stdout.write(
            formatReport(name, r, threshold, {
              showText: Boolean(o.misses),
              listMisses: o.heldOutMisses || ![...heldOut].some((h) => name.startsWith(h)),
            }),
          );
      },
    );
}
