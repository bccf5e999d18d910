import type { MatchIndex } from './match-index.js';

/** One guide's BM25 result: the raw score and the paste line of the term that contributed most. */
export interface LexicalHit {
  guide: number;
  score: number;
  line: number;
}

interface QueryTerm {
  /** Position in the query, for tie-breaking: the query lists terms in the order the paste shows them. */
  q: number;
  idf: number;
  /** The most this term adds to any one guide's score. */
  bound: number;
  line: number;
  posting: ArrayLike<number>;
  tfs: ArrayLike<number>;
}

/**
 * Per-guide accumulators, one slot per guide, reused across pastes (matching is synchronous) and cleared
 * for the guides a paste touched, so a paste costs what it touches, not the size of the knowledge base.
 */
export class Bm25Accumulators {
  score = new Float64Array(0);
  weight = new Float64Array(0);
  line = new Int32Array(0);
  /** Query position of the term that set `weight`, and of the first term that touched the guide (+1; 0 = untouched). */
  weightQ = new Int32Array(0);
  firstQ = new Int32Array(0);

  ensure(n: number): void {
    if (this.score.length >= n) return;
    this.score = new Float64Array(n);
    this.weight = new Float64Array(n);
    this.line = new Int32Array(n);
    this.weightQ = new Int32Array(n);
    this.firstQ = new Int32Array(n);
  }
}

/**
 * The query's terms, most valuable first (largest bound, then query order). Scores are summed in this
 * order by both walks below, so they agree to the last bit.
 */
function prepare(idx: MatchIndex, query: ReadonlyMap<string, number>): QueryTerm[] {
  const out: QueryTerm[] = [];
  let q = 0;
  for (const [term, line] of query) {
    const posting = idx.postings.get(term);
    const tfs = idx.postingTf.get(term);
    const bound = idx.postingMax.get(term);
    if (posting && tfs && bound !== undefined) out.push({ q, idf: idx.idf(term), bound, line, posting, tfs });
    q++;
  }
  out.sort((a, b) => b.bound - a.bound || a.q - b.q);
  return out;
}

function add(acc: Bm25Accumulators, t: QueryTerm, gi: number, s: number, touched: number[]): void {
  if (acc.firstQ[gi] === 0) {
    touched.push(gi);
    acc.firstQ[gi] = t.q + 1;
    acc.score[gi] = s;
    acc.weight[gi] = s;
    acc.weightQ[gi] = t.q;
    acc.line[gi] = t.line;
    return;
  }
  acc.score[gi] = (acc.score[gi] as number) + s;
  if (t.q + 1 < (acc.firstQ[gi] as number)) acc.firstQ[gi] = t.q + 1;
  const w = acc.weight[gi] as number;
  if (s > w || (s === w && t.q < (acc.weightQ[gi] as number))) {
    acc.weight[gi] = s;
    acc.weightQ[gi] = t.q;
    acc.line[gi] = t.line;
  }
}

/** Best `k` by score; ties go to the guide an earlier query term found, then to the earlier guide. */
function select(acc: Bm25Accumulators, touched: number[], k: number): LexicalHit[] {
  const before = (a: number, b: number) => {
    const sa = acc.score[a] as number;
    const sb = acc.score[b] as number;
    if (sa !== sb) return sa > sb;
    const fa = acc.firstQ[a] as number;
    const fb = acc.firstQ[b] as number;
    return fa !== fb ? fa < fb : a < b;
  };
  const best: number[] = [];
  for (const gi of touched) {
    if (best.length === k && !before(gi, best[k - 1] as number)) continue;
    let at = best.length;
    while (at > 0 && before(gi, best[at - 1] as number)) at--;
    best.splice(at, 0, gi);
    if (best.length > k) best.pop();
  }
  const out = best.map((gi) => ({ guide: gi, score: acc.score[gi] as number, line: acc.line[gi] as number }));
  // The accumulators are reused by the next paste: clear what this one touched.
  for (const gi of touched) acc.firstQ[gi] = 0;
  return out;
}

/** The reference: every posting of every query term. The bounded walk must return exactly this. */
export function bm25Exhaustive(
  idx: MatchIndex,
  query: ReadonlyMap<string, number>,
  k: number,
  acc: Bm25Accumulators,
): LexicalHit[] {
  acc.ensure(idx.docCount);
  const touched: number[] = [];
  for (const t of prepare(idx, query)) {
    for (let i = 0; i < t.posting.length; i++) {
      const gi = t.posting[i] as number;
      add(acc, t, gi, idx.contribution(t.idf, t.tfs[i] as number, gi), touched);
    }
  }
  return select(acc, touched, k);
}

/**
 * MaxScore, term at a time: terms are walked most valuable first; once the bounds of the terms left add
 * up to less than the k-th best partial score, no guide they alone could bring in can reach the best k,
 * so their postings add only to the guides already in play (looked up by binary search when those are few).
 * A common word shared by thousands of guides then costs a few lookups instead of a full walk.
 */
export function bm25Bounded(
  idx: MatchIndex,
  query: ReadonlyMap<string, number>,
  k: number,
  acc: Bm25Accumulators,
): LexicalHit[] {
  acc.ensure(idx.docCount);
  const terms = prepare(idx, query);
  const rest = new Float64Array(terms.length + 1);
  for (let j = terms.length - 1; j >= 0; j--)
    rest[j] = (rest[j + 1] as number) + (terms[j] as QueryTerm).bound;
  const touched: number[] = [];
  let maxPartial = 0;
  let j = 0;
  for (; j < terms.length; j++) {
    // A margin far above rounding error keeps the bound safe whatever order partial sums were added in.
    const left = (rest[j] as number) * (1 + 1e-9);
    if (touched.length >= k && left < maxPartial && atLeast(acc, touched, k, left)) break;
    const t = terms[j] as QueryTerm;
    for (let i = 0; i < t.posting.length; i++) {
      const gi = t.posting[i] as number;
      add(acc, t, gi, idx.contribution(t.idf, t.tfs[i] as number, gi), touched);
      const s = acc.score[gi] as number;
      if (s > maxPartial) maxPartial = s;
    }
  }
  // The terms not walked still count for the guides in play, in the same order as the exhaustive walk:
  // looked up when few guides are in play, else their postings are walked adding to those guides only.
  const n = touched.length;
  for (; j < terms.length; j++) {
    const t = terms[j] as QueryTerm;
    if (n * Math.log2(t.posting.length + 1) < t.posting.length) {
      for (let c = 0; c < n; c++) {
        const gi = touched[c] as number;
        const i = find(t.posting, gi);
        if (i >= 0) add(acc, t, gi, idx.contribution(t.idf, t.tfs[i] as number, gi), touched);
      }
    } else {
      for (let i = 0; i < t.posting.length; i++) {
        const gi = t.posting[i] as number;
        if (acc.firstQ[gi] !== 0) add(acc, t, gi, idx.contribution(t.idf, t.tfs[i] as number, gi), touched);
      }
    }
  }
  return select(acc, touched, k);
}

/** Whether at least k guides touched so far have a partial score above `floor` (the k-th best is above it). */
function atLeast(acc: Bm25Accumulators, touched: number[], k: number, floor: number): boolean {
  let n = 0;
  for (let i = 0; i < touched.length; i++)
    if ((acc.score[touched[i] as number] as number) > floor && ++n >= k) return true;
  return false;
}

/** Index of `gi` in an ascending postings list, or -1. */
function find(posting: ArrayLike<number>, gi: number): number {
  let lo = 0;
  let hi = posting.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = posting[mid] as number;
    if (v === gi) return mid;
    if (v < gi) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
