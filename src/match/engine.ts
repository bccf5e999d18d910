import type Fuse from 'fuse.js';
import { evidenceWindow } from './window.js';
import { cleanPaste, maskVolatile, tokens, type CleanedPaste } from './clean.js';
import { bm25Bounded, Bm25Accumulators } from './bm25.js';
import { ERRORISH } from './errorish.js';
import { pasteShape, type LearnedSet } from './learned.js';
import { EXAMPLE_TUNING, LogisticExampleModel, exampleLinesOf, type PasteExample } from './examples.js';
import { fuseJs } from '../util/lazy-deps.js';
import {
  compileSignature,
  lazySignature,
  mayMatch,
  regexNeeds,
  type CompiledSignature,
} from './signature.js';
import {
  isWordChar,
  MatchIndex,
  STOPWORDS,
  type GuideDoc,
  type IndexableGuide,
  type SignatureEntry,
} from './match-index.js';

export interface Evidence {
  /** 1-based line in the paste as it was pasted. */
  line: number;
  /** The line, or a window of it around the match (`evidenceWindow`). */
  text: string;
  /** The signature that matched, as written in the guide; undefined when found by word overlap alone. */
  signature: string | undefined;
  /** Where in `text` the signature matched. */
  at?: [number, number];
}

export interface Match {
  id: string;
  title: string;
  /** Calibrated confidence in [0, 1]; one threshold separates "fits" from "no guide". */
  score: number;
  evidence: Evidence;
  /** Set when learned examples moved this guide: a correction on the same template, or on a close one. */
  learned?: 'same' | 'close' | 'demoted';
  /** Set when the knowledge base's example pastes confirmed this guide, or quieted the answer. */
  examples?: 'confirmed' | 'preferred' | 'quieted';
}

export interface MatchResult {
  /** Best first; only those at or above the threshold. */
  matches: Match[];
  /** The best few below the threshold, for "nearest guides" when nothing fits. */
  nearest: Match[];
  truncated: boolean;
  bytes: number;
  /** Of `bytes`, how many were read (less when `truncated`). */
  readBytes: number;
  /**
   * Regex signatures that did not run on some lines because this paste used up the regex time budget;
   * the result may miss the guides they belong to. Empty on every ordinary paste.
   */
  skipped: string[];
  /** The paste's template, when learned examples were consulted (the key a correction would be kept under). */
  template?: string;
}

export interface MatchOptions {
  threshold: number;
  maxPasteBytes: number;
  maxResults: number;
  /**
   * Milliseconds of regex matching one paste may use; once spent, the remaining regex signatures are
   * skipped (and named in `skipped`). Every signature runs in linear time, so this bounds the sum.
   */
  regexBudgetMs: number;
  /** Weigh the knowledge folders' example pastes (`examples.jsonl`); on unless false. */
  useExamples?: boolean;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  threshold: 0.5,
  maxPasteBytes: 256 * 1024,
  maxResults: 5,
  regexBudgetMs: 500,
};

interface RegexBudget {
  deadline: number;
  skipped: Set<string>;
}

/** For one paste: a guide's lines that are no evidence for it, or undefined when it loses none. */
type Excepted = (guide: number) => ((line: number) => boolean) | undefined;

interface Hit {
  entry: SignatureEntry;
  line: number;
  start: number;
  length: number;
}

interface Candidate {
  guide: number;
  strong: number;
  weak: number;
  firstLine: number;
  evidenceLine: number;
  signature: string | undefined;
  lexical: number;
  /** Every strong hit of this guide is a summary line (`Failed with result 'exit-code'`, a pod table). */
  summaryOnly: boolean;
}

/** Tuning constants, kept together so the eval and the sweep in docs/matching.md refer to one place. */
const TUNING = {
  /** A strong signature alone scores this much... */
  strongBase: 0.78,
  /** ...plus up to this much for a long (specific) match. */
  strongLengthBonus: 0.17,
  weakBase: 0.3,
  /** How much a match on a later line loses to one on the first line, for "earliest root symptom". */
  earliness: 0.08,
  /** A guide that lost its line to a more specific one keeps this share of the hit. */
  outranked: 0.45,
  /** Word overlap alone never exceeds this. */
  lexicalCap: 0.72,
  lexicalHalf: 9,
  candidates: 8,
  /** Word overlap reads every line of a paste up to this many lines, and only error lines after. */
  lexicalAllLines: 30,
  lexicalMaxTerms: 40,
  /** Only the best few guides by word overlap become candidates. */
  lexicalKeep: 20,
  /** fuse.js only sees pastes up to this long. */
  fuzzyMaxChars: 32,
  /**
   * Without a signature, a guide needs its own words on an error line (or one of its plain-language
   * aliases said whole) to get past this: word overlap and hints alone stay under the default threshold.
   */
  unsupportedCap: 0.45,
  /** A plain-language alias said whole in one line ("the pod keeps restarting"). */
  aliasPhrase: 0.6,
  /** How many of a guide's distinctive words on error lines count as evidence of its own. */
  distinctiveNeeded: 2,
  /**
   * A distinctive word that at least this many example pastes of other guides (or of none) show, and this
   * many times as many as of its own guide, is no evidence of its own: the labelled pastes say it is common.
   */
  commonInOthers: 20,
  commonRatio: 5,
  /** In a log that marks its errors, evidence on a WARN, INFO or DEBUG line keeps this share of its strength. */
  quietLine: 0.92,
  /** A summary-only guide ranks this far below the best guide whose cause is in the paste. */
  summaryYield: 0.05,
};

/**
 * npm's `errno N` line after a failed script is the script's exit status, not an OS errno (npm prints those
 * negative, with their code): `npm ERR! errno 2` is no file-not-found.
 */
const NPM_EXIT_STATUS = /^\s*npm (?:err!|error) errno \d+\s*$/;
/** A log line whose own level says it is not an error. */
const QUIET_LEVEL =
  /^(?:\S+\s+){0,4}?\[?(?:WARN|WARNING|INFO|DEBUG|TRACE|NOTICE)\]?[\s:]|^[IWD]\d{4} \d|\blevel=["']?(?:warn|warning|info|debug)\b|"level":\s?"(?:warn|warning|info|debug)"/i;

const LOUD_LEVEL =
  /^(?:\S+\s+){0,4}?\[?(?:ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|EMERG|ALERT)\]?[\s:]|^E\d{4} \d|\blevel=["']?(?:error|fatal|crit)|"level":\s?"(?:error|fatal|crit)/;

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * A line that opens as a change request or a review (`PR:`, `PR idea:`, `feature request:`, `suggestion for
 * the X config:`, `docs feedback:`, `review note:`) proposes a setting or behaviour, or comments on one; the
 * failure words in it are the topic, not something that happened. For every guide it is what an `unless`
 * line is for one.
 */
const CHANGE_REQUEST =
  /^\s{0,8}(?:PR(?: idea)?|[Ii]dea|[Pp]roposal|[Ss]uggestion(?: for [^:\n]{1,40})?|[Ff]eature [Rr]equest|[Ee]nhancement|[Dd]ocs? (?:feedback|note|suggestion)|[Rr]eview (?:note|comment))\s?[:\u2013\u2014-]\s/;

export class MatchEngine {
  readonly index: MatchIndex;
  /** Each guide's `unless` patterns, by guide index, compiled when a paste first needs them. */
  private readonly exceptions: (CompiledSignature[] | undefined)[];
  /** Built on the first paste that asks the examples (most are decided by a signature first). */
  private exampleModel: LogisticExampleModel | undefined;
  /** Per guide index, its distinctive words that the example pastes show mostly elsewhere; built on first use. */
  private commonOwn: ReadonlySet<string>[] | undefined;

  constructor(
    readonly guides: readonly IndexableGuide[],
    readonly options: MatchOptions = DEFAULT_MATCH_OPTIONS,
    /** Restored from the knowledge cache when it holds one for these guides. */
    index?: MatchIndex,
    /**
     * Labelled real pastes shipped with the knowledge folders (`KnowledgeBase.examples`), or how to read
     * them: the cache parses them only when a paste first asks.
     */
    private readonly examples: readonly PasteExample[] | (() => readonly PasteExample[]) = [],
    /** The model of those examples when the knowledge cache holds it trained; else trained on first use. */
    private readonly trainedModel?: () => LogisticExampleModel,
  ) {
    this.exceptions = new Array(guides.length);
    // Guides restored with their index from the knowledge cache were checked when it was written; guides
    // indexed here are checked now, so a bad pattern in a guide built in code fails at once.
    this.index = index ?? new MatchIndex(guides);
    if (!index) guides.forEach((_, gi) => this.exceptionsOf(gi, true));
  }

  /**
   * A guide's `unless` patterns. Compiled on first use, not at construction, and each regex only when a
   * line holds the texts it needs: a start that answers one paste would otherwise compile every guide's
   * patterns to use a few (docs/performance.md). Loading refuses a pattern that does not compile, with its
   * file and line; a guide built in code throws here, naming guide and pattern.
   */
  private exceptionsOf(guide: number, eager = false): CompiledSignature[] {
    let pats = this.exceptions[guide];
    if (!pats) {
      const g = this.guides[guide];
      pats = (g?.unless ?? []).map((raw, i) => {
        try {
          return eager ? compileSignature(raw) : lazySignature(raw);
        } catch (e) {
          throw new Error(`guide ${g?.id ?? guide}: unless[${i}]: ${(e as Error).message}`);
        }
      });
      this.exceptions[guide] = pats;
    }
    return pats;
  }

  /**
   * Ranks the guides for a paste. `learned` holds the team's corrections (read from the store by the
   * caller, so matching stays free of I/O); without it the ranking is the knowledge base's alone.
   */
  match(text: string, overrides: Partial<MatchOptions> = {}, learned?: LearnedSet): MatchResult {
    const opts = { ...this.options, ...overrides };
    const paste = cleanPaste(text, opts.maxPasteBytes);
    const budget = { deadline: performance.now() + opts.regexBudgetMs, skipped: new Set<string>() };
    let ranked = this.rank(paste, budget, opts.useExamples !== false);
    if (opts.useExamples !== false) ranked = this.weighExamples(paste, ranked);
    let template: string | undefined;
    if (learned?.size) {
      template = pasteShape(text, opts.maxPasteBytes).template;
      ranked = this.applyLearned(ranked, learned, template, opts.threshold);
    }
    const limit = opts.maxResults;
    return {
      matches: ranked.filter((m) => m.score >= opts.threshold).slice(0, limit),
      nearest: ranked.filter((m) => m.score < opts.threshold).slice(0, 3),
      truncated: paste.truncated,
      bytes: paste.originalBytes,
      readBytes: paste.readBytes,
      skipped: [...budget.skipped],
      ...(template !== undefined ? { template } : {}),
    };
  }

  /**
   * Corrections on the same template are strong evidence (a floor under the guide's score), on a close
   * template a small nudge for a guide already in the running; repeated "wrong" keeps a guide below the
   * threshold for the template, and "none of these" keeps every guide below it.
   */
  private applyLearned(ranked: Match[], learned: LearnedSet, template: string, threshold: number): Match[] {
    const verdict = learned.verdictFor(template);
    if (!verdict.guides.size && !verdict.quiet) return ranked;
    const below = Math.max(0, threshold - 0.01);
    const byId = new Map(ranked.map((m) => [m.id, { ...m }]));
    for (const [id, adj] of verdict.guides) {
      let m = byId.get(id);
      if (!m) {
        // Only a same-template correction brings in a guide the knowledge base did not propose.
        if (adj.floor === undefined) continue;
        const doc = this.index.doc(this.index.guideIndex(id) ?? -1);
        if (!doc) continue;
        const top = ranked[0]?.evidence;
        m = {
          id,
          title: doc.title,
          score: 0,
          evidence: { line: top?.line ?? 1, text: top?.text ?? '', signature: undefined },
        };
        byId.set(id, m);
      }
      if (adj.floor !== undefined && adj.floor > m.score) {
        m.score = adj.floor;
        m.learned = 'same';
      }
      if (adj.nudge !== undefined) {
        m.score = round(Math.min(1, m.score + adj.nudge));
        m.learned ??= 'close';
      }
      if (adj.factor !== undefined) m.score = round(m.score * adj.factor);
      if (adj.demoted) {
        m.score = Math.min(m.score, below);
        m.learned = 'demoted';
      }
    }
    const out = [...byId.values()];
    if (verdict.quiet) for (const m of out) m.score = Math.min(m.score, below);
    out.sort((a, b) => b.score - a.score || a.evidence.line - b.evidence.line);
    return out;
  }

  /**
   * The example pastes have a say only at the edge of the threshold: a guide ranked first just under it
   * (word overlap without two words of its own) is confirmed when the examples name it too, a guide ranked
   * first or second that they are sure of answers instead of a weak answer or none, and a weak answer (word
   * overlap, a paraphrase) is withdrawn when the paste reads like the pastes no guide owns.
   * Measured on pastes no rule had seen (docs/matching.md); a signature's answer is never touched.
   */
  private weighExamples(paste: CleanedPaste, ranked: Match[]): Match[] {
    const top = ranked[0];
    if (!top) return ranked;
    const T = EXAMPLE_TUNING;
    // The configured threshold, not a call's: the eval asks with 0 to see every ranking, and the edge the
    // examples work at is the one the bot answers with.
    const threshold = this.options.threshold;
    const answers = T.confirmed >= threshold;
    const confirm = answers && top.score >= T.confirmFrom && top.score < threshold;
    const weak = top.score >= threshold && top.score < T.quietBelow && top.evidence.signature === undefined;
    const prefer =
      answers &&
      (top.score < threshold || weak) &&
      ranked.slice(0, T.preferRank).some((m) => m.score >= T.preferFrom);
    if (!confirm && !weak && !prefer) return ranked;
    this.exampleModel ??=
      this.trainedModel?.() ??
      LogisticExampleModel.train(
        typeof this.examples === 'function' ? this.examples() : this.examples,
        this.guides,
      );
    if (!this.exampleModel.size) return ranked;
    const { words, fromErrors, lines } = exampleLinesOf(paste);
    const said = this.exampleModel.opinion(words);
    if (!said) return ranked;
    // A success message names a product as often as a failure does: an error line, a sentence or two, or
    // prose the examples are sure of, confirms.
    const described = fromErrors || lines <= T.describedLines || said.p >= T.describedSure;
    if (confirm && described && said.guide === top.id && said.p >= T.agree)
      return [{ ...top, score: T.confirmed, examples: 'confirmed' }, ...ranked.slice(1)];
    if (prefer && described && said.guide !== null && said.p >= T.preferSure) {
      const chosen = ranked
        .slice(0, T.preferRank)
        .find((m) => m.id === said.guide && m.score >= T.preferFrom);
      if (chosen && !(chosen === top && top.score >= threshold)) {
        // The answer it displaces stays in the list, under it.
        const under = T.confirmed - 0.01;
        return [
          { ...chosen, score: Math.max(T.confirmed, chosen.score), examples: 'preferred' },
          ...ranked.filter((m) => m !== chosen).map((m) => (m.score > under ? { ...m, score: under } : m)),
        ];
      }
    }
    if (weak && said.of(null) >= T.quietAgree) {
      const below = Math.max(0, threshold - 0.01);
      return ranked.map((m) =>
        m.score >= threshold ? { ...m, score: Math.min(m.score, below), examples: 'quieted' } : m,
      );
    }
    return ranked;
  }

  private rank(paste: CleanedPaste, budget: RegexBudget, useExamples: boolean): Match[] {
    const excepted = this.exceptionsIn(paste);
    // A guide's hits on a line its `unless` patterns take from it are no evidence.
    const hits = this.findHits(paste, budget).filter((h) => !excepted(h.entry.guide)?.(h.line));
    const cands = new Map<number, Candidate>();
    const lineCount = Math.max(1, paste.lines.length);
    const cand = (g: number) => {
      let c = cands.get(g);
      if (!c) {
        c = {
          guide: g,
          strong: 0,
          weak: 0,
          firstLine: Infinity,
          evidenceLine: -1,
          signature: undefined,
          lexical: 0,
          summaryOnly: true,
        };
        cands.set(g, c);
      }
      return c;
    };

    // Whether the log marks some lines as errors: only then is a warning line mere context.
    let loud: boolean | undefined;
    // Exact evidence, line by line: the longest match owns its line.
    for (const lineHits of groupByLine(hits)) {
      let owner: Hit | undefined;
      // A summary's signature owns a line only when no cause shares it ("Liveness probe failed: ... refused").
      for (const h of lineHits) if (!h.entry.weak && (!owner || ownsBefore(h, owner))) owner = h;
      const perGuide = new Map<number, { p: number; best: Hit }>();
      for (const h of lineHits) {
        let w = h.entry.weak
          ? TUNING.weakBase
          : TUNING.strongBase + TUNING.strongLengthBonus * Math.min(1, h.length / 40);
        if (owner && h.entry.guide !== owner.entry.guide) {
          const inside = h.start >= owner.start && h.start + h.length <= owner.start + owner.length;
          if (inside) continue;
          w *= TUNING.outranked;
        }
        const g = perGuide.get(h.entry.guide);
        if (!g) perGuide.set(h.entry.guide, { p: 1 - w, best: h });
        else {
          // Two signatures of one guide on the same words say one thing once; apart, they add up.
          const overlaps = h.start < g.best.start + g.best.length && g.best.start < h.start + h.length;
          g.p = overlaps ? Math.min(g.p, 1 - w) : g.p * (1 - w);
          // Strong evidence is the line's evidence for its guide even where a hint matched the same text.
          if (!h.entry.weak && (g.best.entry.weak || h.length > g.best.length)) g.best = h;
        }
      }
      for (const [gi, { p, best }] of perGuide) {
        const c = cand(gi);
        const s = 1 - p;
        const line = best.line;
        const pos = line / lineCount;
        // A warning or info line is context; the root symptom is on an error line when the log says which.
        const level =
          (loud ??= paste.lines.some((l) => LOUD_LEVEL.test(l.slice(0, 80)))) &&
          QUIET_LEVEL.test(paste.lines[line]?.slice(0, 80) ?? '')
            ? TUNING.quietLine
            : 1;
        const adjusted = s * (1 - TUNING.earliness * pos) * level;
        if (!best.entry.weak) {
          if (!best.entry.summary) c.summaryOnly = false;
          c.firstLine = Math.min(c.firstLine, line);
          if (adjusted > c.strong) {
            c.strong = adjusted;
            c.evidenceLine = line;
            c.signature = best.entry.sig.raw;
          }
        } else if (adjusted > c.weak) {
          c.weak = adjusted;
          if (c.strong === 0) {
            c.evidenceLine = line;
            c.signature = best.entry.sig.raw;
          }
        }
      }
    }

    // Word overlap (BM25) for pastes whose wording no signature covers.
    const lexical = this.lexicalScores(paste);
    for (const [gi, { score, line }] of lexical) {
      // A paste whose only evidence for a guide is a line its `unless` patterns take from it is that other
      // failure: the guide's words elsewhere (frames, paths, prose) do not bring it back.
      const found = cands.get(gi);
      const lost = excepted(gi);
      if (!found?.strong && !found?.weak && lost && paste.lines.some((_, i) => lost(i))) continue;
      const c = cand(gi);
      c.lexical = score;
      if (c.evidenceLine < 0) c.evidenceLine = line;
    }

    const out: Match[] = [];
    let support: OwnWords | undefined;
    let bestCause = 0;
    for (const c of cands.values())
      if (c.strong > 0 && !c.summaryOnly) bestCause = Math.max(bestCause, c.strong);
    for (const c of cands.values()) {
      const doc = this.index.doc(c.guide);
      if (!doc) continue;
      let score: number;
      if (c.strong > 0) {
        score = c.strong + (1 - c.strong) * 0.3 * Math.max(c.weak, c.lexical);
        // A summary line (`Failed with result 'exit-code'`, `core dumped`) gives way to the cause it summarises.
        if (c.summaryOnly && bestCause > 0) score = Math.min(score, bestCause - TUNING.summaryYield);
      } else {
        // Weak evidence and word overlap must agree to get over the threshold.
        score = Math.max(c.weak, c.lexical) * 0.85 + 0.35 * Math.min(c.weak, c.lexical);
        score = Math.min(score, TUNING.lexicalCap);
        if (score > TUNING.unsupportedCap) {
          support ??= ownWords(paste);
          const own = support.evidence(doc, excepted(c.guide));
          if (own.phrase) {
            score = Math.max(score, aliasScore(c));
            c.evidenceLine = own.line;
          } else if (this.ownCount(own.distinctive, c.guide, useExamples) < TUNING.distinctiveNeeded)
            score = TUNING.unsupportedCap;
        } else if (c.lexical > 0 || c.weak > 0) {
          support ??= ownWords(paste);
          const own = support.evidence(doc, excepted(c.guide));
          if (own.phrase) {
            score = aliasScore(c);
            c.evidenceLine = own.line;
          }
        }
      }
      const lineIdx = Math.max(0, c.evidenceLine);
      out.push({
        id: doc.id,
        title: doc.title,
        score: round(Math.min(1, score)),
        evidence: {
          line: paste.lineNumbers[lineIdx] ?? 1,
          ...evidenceWindow(paste.lines[lineIdx] ?? '', c.signature),
          signature: c.signature,
        },
      });
    }
    out.sort((a, b) => b.score - a.score || a.evidence.line - b.evidence.line);
    return this.rerankWithFuse(paste, out);
  }

  private findHits(paste: CleanedPaste, budget: RegexBudget): Hit[] {
    const hits: Hit[] = [];
    const idx = this.index;
    // Signatures that no token can key are prefiltered once against the whole paste, so that per line
    // only those whose text occurs somewhere run at all.
    const whole = paste.lower.join('\n');
    const always = idx.regexAlways.filter(
      (e) =>
        e.sig.kind !== 'regex' ||
        ((!e.sig.required || whole.includes(e.sig.required)) && mayMatch(regexNeeds(e.sig.raw), whole)),
    );
    const substrings = idx.substringsIn(whole);
    paste.lower.forEach((lower, line) => {
      if (!lower || paste.inert[line] || NPM_EXIT_STATUS.test(lower)) return;
      // Most lines are ASCII, and the ASCII word regex is several times faster than the Unicode one.
      const wordRe = NON_ASCII.test(lower) ? /[\p{L}\p{N}_]+/gu : /[a-z0-9_]+/g;
      let m: RegExpExecArray | null;
      let seen: Set<string> | undefined;
      while ((m = wordRe.exec(lower))) {
        const tok = m[0];
        const lits = idx.literalsByToken.get(tok);
        if (lits) {
          for (const k of lits) {
            const start = m.index - k.offset;
            if (start < 0 || !lower.startsWith(k.text, start)) continue;
            if (isWordChar(k.text[0]) && isWordChar(lower[start - 1])) continue;
            const end = start + k.text.length;
            if (isWordChar(k.text[k.text.length - 1]) && isWordChar(lower[end])) continue;
            if (k.entry.exact && paste.lines[line]?.slice(start, end) !== k.entry.exact) continue;
            hits.push({ entry: k.entry, line, start, length: k.text.length });
          }
        }
        const regs = idx.regexByToken.get(tok);
        if (regs && !seen?.has(tok)) {
          (seen ??= new Set()).add(tok);
          for (const e of regs)
            if (mayMatch(regexNeeds(e.sig.raw), lower))
              this.tryRegex(e, paste.lines[line] ?? '', line, hits, budget);
        }
      }
      for (const e of substrings) {
        if (e.sig.kind !== 'literal') continue;
        const at = lower.indexOf(e.sig.text);
        if (at >= 0) hits.push({ entry: e, line, start: at, length: e.sig.text.length });
      }
      for (const e of always) {
        if (e.sig.kind === 'regex' && e.sig.required && !lower.includes(e.sig.required)) continue;
        if (!mayMatch(regexNeeds(e.sig.raw), lower)) continue;
        this.tryRegex(e, paste.lines[line] ?? '', line, hits, budget);
      }
    });
    return hits;
  }

  /**
   * Which lines of this paste are no evidence for a guide: its `unless` patterns' lines, and for every guide a
   * line that opens as a change request. Each guide's lines are tested at most once per paste, however many
   * steps of the ranking ask; undefined for a guide that loses no line.
   */
  private exceptionsIn(paste: CleanedPaste): Excepted {
    const n = paste.lines.length;
    const proposing = paste.lines.map((l) => CHANGE_REQUEST.test(l));
    const proposes = proposing.includes(true);
    const memo = new Map<number, ((line: number) => boolean) | undefined>();
    return (guide) => {
      if (memo.has(guide)) return memo.get(guide);
      const pats = this.exceptionsOf(guide);
      let test: ((line: number) => boolean) | undefined;
      if (pats.length || proposes) {
        const seen: (boolean | undefined)[] = new Array(n);
        const at = (i: number): boolean =>
          (seen[i] ??=
            proposing[i] === true ||
            pats.some((p) =>
              p.kind === 'literal'
                ? (paste.lower[i] ?? '').includes(p.text)
                : mayMatch(regexNeeds(p.raw), paste.lower[i] ?? '') && p.exec(paste.lines[i] ?? '') !== null,
            ));
        test = (i) => i >= 0 && i < n && at(i);
      }
      memo.set(guide, test);
      return test;
    };
  }

  private tryRegex(e: SignatureEntry, text: string, line: number, hits: Hit[], budget: RegexBudget): void {
    if (e.sig.kind !== 'regex') return;
    // Native signatures are proven to do constant work per position; only the linear engine is metered.
    if (e.sig.engine === 'linear') {
      if (budget.skipped.has(e.sig.raw) || performance.now() > budget.deadline) {
        budget.skipped.add(e.sig.raw);
        return;
      }
    }
    const m = e.sig.exec(text);
    if (m) hits.push({ entry: e, line, start: m.index, length: m.length });
  }

  /** BM25 over the guides' words, normalised to [0, 1), with one-typo correction of unknown words. */
  private lexicalScores(paste: CleanedPaste): Map<number, { score: number; line: number }> {
    const idx = this.index;
    const found = new Map<string, number>();
    let errorish = false;
    const many = paste.lower.length > TUNING.lexicalAllLines;
    paste.lower.forEach((lower, line) => {
      if (!lower || paste.inert[line]) return;
      const isError = ERRORISH.test(lower);
      errorish ||= isError;
      // In a long paste only the lines that read like errors describe the error; the rest is frames and chatter.
      if (many && !isError && line >= TUNING.lexicalAllLines) return;
      for (const t of tokens(maskVolatile(lower))) {
        if (t.length < 2 || found.has(t) || STOPWORDS.has(t) || /^\d{6,}$/.test(t)) continue;
        found.set(t, line);
      }
    });
    // The rarest words say the most; a bounded query keeps long pastes cheap.
    const queryTerms = new Map<string, number>();
    const scored: [string, number, number][] = [];
    for (const [t, line] of found) {
      const term = idx.postings.has(t) ? t : this.correct(t);
      if (term && !queryTerms.has(term)) {
        queryTerms.set(term, line);
        scored.push([term, line, idx.idf(term)]);
      }
    }
    if (scored.length > TUNING.lexicalMaxTerms) {
      scored.sort((a, b) => b[2] - a[2]);
      queryTerms.clear();
      for (const [term, line] of scored.slice(0, TUNING.lexicalMaxTerms)) queryTerms.set(term, line);
    }
    const out = new Map<number, { score: number; line: number }>();
    const damp = errorish ? 1 : 0.6;
    for (const { guide, score, line } of bm25Bounded(idx, queryTerms, TUNING.lexicalKeep, this.acc))
      out.set(guide, { score: damp * (score / (score + TUNING.lexicalHalf)), line });
    return out;
  }

  private correct(term: string): string | undefined {
    if (term.length < 5 || /\d/.test(term)) return undefined;
    const idx = this.index;
    const direct = idx.deletes.get(term);
    if (direct) return direct;
    for (let i = 0; i < term.length; i++) {
      const del = term.slice(0, i) + term.slice(i + 1);
      if (idx.postings.has(del)) return del;
      const via = idx.deletes.get(del);
      if (via) return via;
    }
    return undefined;
  }

  private readonly acc = new Bm25Accumulators();
  private readonly fuseCache = new Map<string, Fuse<string>>();

  /** One small fuse.js index per guide, built the first time that guide is a candidate. */
  private fuseFor(id: string): Fuse<string> | undefined {
    let f = this.fuseCache.get(id);
    if (!f) {
      const doc = this.index.doc(this.index.guideIndex(id) ?? -1);
      if (!doc) return undefined;
      const Fuse = fuseJs();
      f = new Fuse(doc.phrases, { includeScore: true, ignoreLocation: true, threshold: 0.4 });
      this.fuseCache.set(id, f);
    }
    return f;
  }

  /**
   * How many of a guide's distinctive words in a paste count, less the common ones (the examples are read
   * only when there are enough words to matter).
   */
  private ownCount(words: readonly string[], guide: number, useExamples: boolean): number {
    if (!useExamples || words.length < TUNING.distinctiveNeeded) return words.length;
    const common = this.commonOwnWords()[guide];
    return common ? words.filter((w) => !common.has(w)).length : words.length;
  }

  /**
   * Each guide's distinctive words that its example pastes rarely show and other pastes often do ("over",
   * "step", "redis" for the pool guide): counted from the examples, so a team's folder teaches it too.
   */
  private commonOwnWords(): readonly (ReadonlySet<string> | undefined)[] {
    if (this.commonOwn) return this.commonOwn;
    const examples = typeof this.examples === 'function' ? this.examples() : this.examples;
    const byWord = new Map<string, Map<string | null, number>>();
    for (const e of examples)
      for (const w of e.words) {
        let m = byWord.get(w);
        if (!m) byWord.set(w, (m = new Map()));
        m.set(e.guide, (m.get(e.guide) ?? 0) + 1);
      }
    const total = (m: Map<string | null, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    this.commonOwn = this.guides.map((g, gi) => {
      const out = new Set<string>();
      for (const w of this.index.doc(gi)?.distinctive ?? []) {
        const m = byWord.get(w);
        if (!m) continue;
        const own = m.get(g.id) ?? 0;
        const others = total(m) - own;
        if (others >= TUNING.commonInOthers && others >= TUNING.commonRatio * Math.max(1, own)) out.add(w);
      }
      return out;
    });
    return this.commonOwn;
  }

  /**
   * fuse.js re-ranks only a short candidate list, and only with one short line of the paste, when no
   * signature decided the match: typo tolerance without scanning the knowledge base with a whole paste.
   */
  private rerankWithFuse(paste: CleanedPaste, ranked: Match[]): Match[] {
    const top = ranked[0];
    if (!top || top.evidence.signature !== undefined) return ranked;
    // Typos matter in what people type, not in what they paste from a log: only short text is re-ranked,
    // which also keeps fuse's bitap search (costly past 32 characters a pattern) off long pastes.
    const query = paste.lines.join(' ').trim();
    if (query.length < 4 || query.length > TUNING.fuzzyMaxChars) return ranked;
    const head = ranked.slice(0, TUNING.candidates);
    const fuzzy = new Map<string, number>();
    for (const m of head) {
      const best = this.fuseFor(m.id)?.search(query, { limit: 1 })[0];
      if (best) fuzzy.set(m.id, 1 - (best.score ?? 1));
    }
    const rescored = head.map((m) => ({
      ...m,
      score: round(Math.min(TUNING.lexicalCap, Math.max(m.score, 0.8 * (fuzzy.get(m.id) ?? 0)))),
    }));
    rescored.sort((a, b) => b.score - a.score);
    return [...rescored, ...ranked.slice(TUNING.candidates)];
  }
}

/** Where a guide's own words appear in a paste: the evidence word overlap needs to count. */
interface OwnWords {
  /** `excepted`: lines that are no evidence for this guide (its `unless` patterns). */
  evidence(
    doc: GuideDoc,
    excepted?: (line: number) => boolean,
  ): { distinctive: string[]; phrase: boolean; line: number };
}

/** The paste's words once, by line, for checking candidates' own words without another scan per guide. */
function ownWords(paste: CleanedPaste): OwnWords {
  const onErrorLine = new Set<string>();
  const lineWords: string[][] = [];
  const errorLine: boolean[] = [];
  paste.lower.forEach((lower, i) => {
    const words = paste.inert[i] ? [] : tokens(lower);
    lineWords.push(words);
    const isError = ERRORISH.test(lower);
    errorLine.push(isError);
    if (isError) for (const w of words) onErrorLine.add(w);
  });
  // A short paste with no error line at all is a description ("the pod keeps restarting"): its words count.
  const described = !onErrorLine.size && paste.lines.length <= 3;
  const counted = described ? new Set(lineWords.flat()) : onErrorLine;
  return {
    evidence(doc, excepted) {
      let own = counted;
      if (excepted && lineWords.some((_, i) => excepted(i))) {
        own = new Set();
        lineWords.forEach((words, i) => {
          if ((described || errorLine[i]) && !excepted(i)) for (const w of words) own.add(w);
        });
      }
      const distinctive = doc.distinctive.filter((w) => own.has(w));
      for (const alias of doc.aliasWords) {
        const line = lineWords.findIndex(
          (words, i) => (described || errorLine[i]) && !excepted?.(i) && saysInOrder(words, alias),
        );
        if (line >= 0) return { distinctive, phrase: true, line };
      }
      return { distinctive, phrase: false, line: -1 };
    },
  };
}

/** The alias's words in order, with at most two other words between them in all ("pod keeps on restarting"). */
function saysInOrder(words: readonly string[], alias: readonly string[]): boolean {
  for (
    let start = words.indexOf(alias[0] as string);
    start >= 0;
    start = words.indexOf(alias[0] as string, start + 1)
  ) {
    let at = start;
    let ok = true;
    for (let k = 1; k < alias.length && ok; k++) {
      const next = words.indexOf(alias[k] as string, at + 1);
      ok = next > at && next - start <= k + 2;
      at = next;
    }
    if (ok) return true;
  }
  return false;
}

/** A paraphrase answers at one level; the rest of the paste's words break ties between two of them. */
function aliasScore(c: Candidate): number {
  return TUNING.aliasPhrase + 0.05 * Math.max(c.lexical, c.weak);
}

function ownsBefore(h: Hit, owner: Hit): boolean {
  if (h.entry.summary !== owner.entry.summary) return !h.entry.summary;
  return h.length > owner.length;
}

function groupByLine(hits: Hit[]): Hit[][] {
  const groups: Hit[][] = [];
  let cur: Hit[] = [];
  let line = -1;
  for (const h of hits) {
    if (h.line !== line && cur.length) {
      groups.push(cur);
      cur = [];
    }
    line = h.line;
    cur.push(h);
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** Down, never up: a score of 0.4997 must not read as 0.5 and clear the threshold. */
function round(x: number): number {
  return Math.floor(x * 1000) / 1000;
}
