import { compileSignature, type CompiledSignature } from './signature.js';
import { tokens } from './clean.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** What the engine needs of a guide; `Guide` from src/knowledge satisfies it. */
export interface IndexableGuide {
  id: string;
  title: string;
  summary: string;
  signatures: readonly string[];
  hints: readonly string[];
  /** Strong evidence that yields to another guide's cause in the same paste (a `systemctl status` summary). */
  summaries?: readonly string[];
  aliases: readonly string[];
  tags: readonly string[];
}

export interface SignatureEntry {
  guide: number;
  /** Hints are weak evidence: they never make a confident match on their own. */
  weak: boolean;
  /** A summary line's signature: strong alone, but any other guide's cause in the paste outranks it. */
  summary: boolean;
  /** Short all-capital protocol tokens (`UNAVAILABLE`) match only in capitals: in lower case they are prose. */
  exact: string | undefined;
  sig: CompiledSignature;
}

interface LiteralKey {
  /** Characters of the literal before its key token. */
  offset: number;
  entry: SignatureEntry;
  text: string;
}

export interface GuideDoc {
  id: string;
  title: string;
  /** Sum of the term weights of the BM25 document (distinct tokens of title, aliases, signatures, hints, tags). */
  length: number;
  /** Title, aliases and a few canonical signatures (what people type), for fuse.js re-ranking. */
  phrases: string[];
  /**
   * Words of the guide's own (title, aliases, signatures) that at most a couple of guides use and no runtime
   * prints in every error: word overlap counts as evidence of its own only through these.
   */
  distinctive: string[];
  /** Each plain-language alias as its words: a paste that says all of them in one line names the guide. */
  aliasWords: string[][];
}

/** Characters of scripts written without spaces: literals in them are found by substring search. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{N}_]/u;

/** Scripts without spaces have no word boundaries to check. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && WORD.test(c) && !UNSPACED.test(c);
}

/**
 * The signature index: literals keyed by one of their word tokens (so one scan of a line's tokens finds
 * every literal), regexes keyed by a token their every match contains, and the inverted index for BM25.
 * Built once per knowledge base; matching does no allocation proportional to the number of guides.
 */
export class MatchIndex {
  readonly docs: GuideDoc[] = [];
  readonly literalsByToken = new Map<string, LiteralKey[]>();
  readonly substringLiterals: SignatureEntry[] = [];
  /**
   * `substringLiterals` grouped by their first two characters, each with its position in that list: a
   * paste is checked only against the groups whose prefix it contains, not against every such literal.
   */
  private substringGroups: Map<string, { at: number; entry: SignatureEntry }[]> | undefined;
  readonly regexByToken = new Map<string, SignatureEntry[]>();
  readonly regexAlways: SignatureEntry[] = [];
  /** term -> guide indexes containing it */
  readonly postings = new Map<string, number[]>();
  /** term frequency of each posting, aligned with `postings` */
  readonly postingTf = new Map<string, number[]>();
  /** BM25 length norm of each guide */
  readonly docNorm: number[] = [];
  /**
   * The largest BM25 contribution of each term to any one guide, aligned with `postings`: the bound that
   * lets the postings walk skip guides that cannot reach the best few.
   */
  readonly postingMax = new Map<string, number>();
  avgLength = 0;

  /** Every signature entry in build order, so that a snapshot can refer to them by position. */
  private readonly entries: SignatureEntry[] = [];
  /** Each guide's BM25 document while building: term -> weight. */
  private readonly building: Map<string, number>[] = [];
  /** Each guide's words that may count as its own evidence while building (see `add`). */
  private readonly ownTerms: Set<string>[] = [];
  /** How many literals contain each token: a literal is keyed by its rarest token. */
  private readonly literalTokenCounts = new Map<string, number>();
  private deletesMap: Map<string, string> | undefined;

  /** From guides, or from a snapshot of an index built earlier from the same guides (the knowledge cache). */
  constructor(source: readonly IndexableGuide[] | IndexSnapshot) {
    if (isSnapshot(source)) {
      this.restore(source);
      return;
    }
    const guides = source;
    for (const g of guides) {
      for (const raw of [...g.signatures, ...(g.summaries ?? []), ...g.hints]) {
        if (raw.startsWith('/')) continue;
        for (const t of new Set(tokens(raw.toLowerCase())))
          this.literalTokenCounts.set(t, (this.literalTokenCounts.get(t) ?? 0) + 1);
      }
    }
    guides.forEach((g, gi) => this.add(g, gi));
    this.literalTokenCounts.clear();
    let total = 0;
    for (const d of this.docs) total += d.length;
    this.avgLength = this.docs.length ? total / this.docs.length : 1;
    // BM25's per-document length norm and per-posting term weights, precomputed so that scoring a query
    // walks flat arrays instead of looking terms up in every document.
    for (const d of this.docs)
      this.docNorm.push(BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / this.avgLength));
    for (const [term, docs] of this.postings)
      this.postingTf.set(
        term,
        docs.map((gi) => this.building[gi]?.get(term) ?? 0),
      );
    this.docs.forEach((d, gi) => {
      for (const [t, w] of this.building[gi] ?? [])
        if (
          w === 1 &&
          t.length >= 4 &&
          !/^\d+$/.test(t) &&
          !GENERIC.has(t) &&
          this.ownTerms[gi]?.has(t) === true &&
          (this.postings.get(t)?.length ?? 0) <= DISTINCTIVE_MAX_GUIDES
        )
          d.distinctive.push(t);
    });
    this.building.length = 0;
    this.ownTerms.length = 0;
    this.computeBounds();
  }

  /**
   * Deletion neighbourhood (one character removed) -> the first vocabulary term (in postings order) that
   * has it, for typo tolerance. Built on first use: most pastes have no misspelt word, and a one-shot
   * command should not pay for it.
   */
  get deletes(): ReadonlyMap<string, string> {
    if (!this.deletesMap) {
      const map = new Map<string, string>();
      for (const term of this.postings.keys()) {
        if (term.length < 5 || /^\d+$/.test(term)) continue;
        for (let i = 0; i < term.length; i++) {
          const del = term.slice(0, i) + term.slice(i + 1);
          if (!map.has(del)) map.set(del, term);
        }
      }
      this.deletesMap = map;
    }
    return this.deletesMap;
  }

  /** The substring literals that occur in `whole` (a lowercased paste), in `substringLiterals` order. */
  substringsIn(whole: string): SignatureEntry[] {
    if (!this.substringGroups) {
      const groups = new Map<string, { at: number; entry: SignatureEntry }[]>();
      this.substringLiterals.forEach((entry, at) => {
        if (entry.sig.kind === 'literal') push(groups, entry.sig.text.slice(0, 2), { at, entry });
      });
      this.substringGroups = groups;
    }
    const found: { at: number; entry: SignatureEntry }[] = [];
    for (const [prefix, list] of this.substringGroups) {
      if (!whole.includes(prefix)) continue;
      for (const e of list)
        if (e.entry.sig.kind === 'literal' && whole.includes(e.entry.sig.text)) found.push(e);
    }
    found.sort((a, b) => a.at - b.at);
    return found.map((e) => e.entry);
  }

  /** The BM25 contribution of a posting; the engine's walk and the bounds use this one formula. */
  contribution(idf: number, tf: number, gi: number): number {
    return (idf * (tf * (BM25_K1 + 1))) / (tf + (this.docNorm[gi] as number));
  }

  private computeBounds(): void {
    for (const [term, docs] of this.postings) {
      const tfs = this.postingTf.get(term) ?? [];
      const idf = this.idf(term);
      let max = 0;
      for (let i = 0; i < docs.length; i++) {
        const s = this.contribution(idf, tfs[i] as number, docs[i] as number);
        if (s > max) max = s;
      }
      this.postingMax.set(term, max);
    }
  }

  /** Everything but compiled signatures, which a restored index compiles when a paste first needs them. */
  snapshot(): IndexSnapshot {
    const ids = new Map(this.entries.map((e, i) => [e, i]));
    const ref = (e: SignatureEntry) => ids.get(e) as number;
    return {
      format: SNAPSHOT_FORMAT,
      entries: this.entries.map((e) => [e.guide, e.weak, e.sig.raw, e.summary, e.exact ?? null]),
      docs: this.docs,
      literalsByToken: [...this.literalsByToken].map(([t, ks]) => [
        t,
        ks.map((k) => [k.offset, ref(k.entry), k.text]),
      ]),
      substringLiterals: this.substringLiterals.map(ref),
      regexByToken: [...this.regexByToken].map(([t, es]) => [t, es.map(ref)]),
      regexAlways: this.regexAlways.map(ref),
      postings: [...this.postings].map(([t, docs]) => [
        t,
        docs,
        this.postingTf.get(t) ?? [],
        this.postingMax.get(t) ?? 0,
      ]),
      docNorm: this.docNorm,
      avgLength: this.avgLength,
    };
  }

  private restore(s: IndexSnapshot): void {
    // Loops, not push(...spread): a spread of 10,000 guides' entries overflows the call stack.
    for (const [guide, weak, raw, summary, exact] of s.entries)
      this.entries.push(new SnapshotEntry(guide, weak, raw, summary, exact ?? undefined));
    const at = (i: number) => this.entries[i] as SignatureEntry;
    for (const d of s.docs) this.docs.push(d);
    for (const [t, ks] of s.literalsByToken)
      this.literalsByToken.set(
        t,
        ks.map(([offset, e, text]) => ({ offset, entry: at(e), text })),
      );
    for (const e of s.substringLiterals) this.substringLiterals.push(at(e));
    for (const [t, es] of s.regexByToken) this.regexByToken.set(t, es.map(at));
    for (const e of s.regexAlways) this.regexAlways.push(at(e));
    for (const [t, docs, tfs, bound] of s.postings) {
      this.postings.set(t, docs);
      this.postingTf.set(t, tfs);
      this.postingMax.set(t, bound);
    }
    for (const n of s.docNorm) this.docNorm.push(n);
    this.avgLength = s.avgLength;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const n = this.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private add(g: IndexableGuide, gi: number): void {
    const terms = new Map<string, number>();
    // Which words may count as the guide's own evidence: not a one-word hint (a product name such as
    // `kafka` is in every error of that product), and not the client's exception class that wraps a
    // signature's reason (`redis.exceptions.ResponseError: OOM ...` wraps every Redis error).
    const own = new Set<string>();
    const context = new Set<string>();
    const addTerms = (text: string, weight: number, kind: 'own' | 'wrapper' | 'hint' = 'own') => {
      for (const t of tokens(text.toLowerCase())) {
        if (STOPWORDS.has(t)) continue;
        terms.set(t, Math.max(terms.get(t) ?? 0, weight));
        if (kind === 'own') own.add(t);
        else if (kind === 'hint') context.add(t);
      }
    };
    addTerms(g.title, 1);
    addTerms(g.id.replace(/-/g, ' '), 1);
    for (const a of g.aliases) addTerms(a, 1);
    for (const t of g.tags) addTerms(t, 0.5);
    const phrases = [g.title, ...g.aliases];
    const addSig = (raw: string, weak: boolean, summary = false) => {
      const sig = compileSignature(raw);
      const exact = sig.kind === 'literal' && EXACT_CASE.test(raw) && !ERRNO_LIKE.test(raw) ? raw : undefined;
      const entry: SignatureEntry = { guide: gi, weak, summary, exact, sig };
      this.entries.push(entry);
      if (sig.kind === 'literal') {
        const wrapper = weak ? undefined : WRAPPER_PREFIX.exec(sig.text)?.[1];
        if (wrapper) addTerms(wrapper, 1, 'wrapper');
        const rest = wrapper ? sig.text.slice(wrapper.length) : sig.text;
        // A one-word hint is a context word (a product, a setting); a phrase hint still says what happened.
        addTerms(rest, weak ? 0.5 : 1, weak && tokens(rest.toLowerCase()).length === 1 ? 'hint' : 'own');
        this.addLiteral(entry, sig.text);
      } else {
        if (sig.required) addTerms(sig.required, weak ? 0.5 : 1);
        const key = sig.required ? completeToken(sig.re.source, sig.required) : undefined;
        const keys = key ? [key] : alternativeTokens(sig.re.source);
        if (keys) for (const k of new Set(keys)) push(this.regexByToken, k, entry);
        else this.regexAlways.push(entry);
        if (keys && !key) for (const k of keys) addTerms(k, weak ? 0.5 : 1);
      }
    };
    g.signatures.forEach((s) => addSig(s, false));
    // The first few short literal signatures are the canonical wording people retype, typos included.
    phrases.push(...g.signatures.filter((s) => !s.startsWith('/') && s.length <= 32).slice(0, 4));
    (g.summaries ?? []).forEach((s) => addSig(s, false, true));
    g.hints.forEach((s) => addSig(s, true));
    for (const t of terms.keys()) push(this.postings, t, gi);
    let length = 0;
    for (const w of terms.values()) length += w;
    const aliasWords = g.aliases
      .map((a) => tokens(a.toLowerCase()).filter((t) => !STOPWORDS.has(t)))
      .filter((words) => words.length >= 2);
    this.building.push(terms);
    for (const t of context) own.delete(t);
    this.ownTerms.push(own);
    this.docs.push({ id: g.id, title: g.title, length, phrases, distinctive: [], aliasWords });
  }

  /**
   * Keyed by the literal's rarest token (every token of a literal is a whole word wherever the literal
   * matches), so that a common word in a paste ("java", "at") does not drag in hundreds of literals.
   */
  private addLiteral(entry: SignatureEntry, text: string): void {
    if (UNSPACED.test(text)) {
      this.substringLiterals.push(entry);
      return;
    }
    let best: { token: string; index: number; count: number } | undefined;
    for (const m of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
      const count = this.literalTokenCounts.get(m[0]) ?? 0;
      if (!best || count < best.count || (count === best.count && m[0].length > best.token.length))
        best = { token: m[0], index: m.index, count };
    }
    if (!best) {
      this.substringLiterals.push(entry);
      return;
    }
    push(this.literalsByToken, best.token, { offset: best.index, entry, text });
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A token of `required` that is a whole word in every match of the regex (so a line's token set can
 * rule the regex out), or undefined. A token is whole when the regex puts a word boundary or a non-word
 * character on both sides of it.
 */
function completeToken(source: string, required: string): string | undefined {
  const lowerSource = source.toLowerCase();
  const candidates = tokens(required).sort((a, b) => b.length - a.length);
  for (const t of candidates) {
    if (t.length < 3 || UNSPACED.test(t)) continue;
    const at = lowerSource.indexOf(t);
    if (at < 0) continue;
    const before = lowerSource.slice(0, at);
    const after = lowerSource.slice(at + t.length);
    const okBefore =
      before === '' ||
      before === '^' ||
      /\\b$/.test(before) ||
      (/(?:^|[^\\])[ :=/.,'"\-[\]]$/.test(before) && !/\[[^\]]*$/.test(before));
    const okAfter =
      after === '' ||
      after === '$' ||
      /^\\b/.test(after) ||
      (/^(?:\\[.:/-]|[ :=/,'"\-\]])/.test(after) && !/^[^[]*\]/.test(after));
    if (okBefore && okAfter) return t;
  }
  return undefined;
}

/**
 * For a regex that starts with a group of word alternatives, `\b(?:errno|os error)[ =:]*32\b`, one token
 * per alternative: every match contains one of them, so the regex is keyed under each.
 */
function alternativeTokens(source: string): string[] | undefined {
  const m =
    /^(?:\^|\\b)?\((?:\?:)?((?:[A-Za-z0-9_ ]+\|)+[A-Za-z0-9_ ]+)\)(?![?*{])(\\b|[ \\[:=.,\-'"]|$)/.exec(
      source,
    );
  if (!m?.[1]) return undefined;
  const out: string[] = [];
  for (const alt of m[1].split('|')) {
    const words = alt.toLowerCase().split(' ').filter(Boolean);
    // The last word touches the text after the group, so it is whole only where the group ends on a boundary.
    const best = words.sort((a, b) => b.length - a.length)[0];
    if (!best || best.length < 2) return undefined;
    out.push(best);
  }
  return out;
}

/** Bumped whenever the snapshot's shape or the way an index is built changes, so old caches are rebuilt. */
export const SNAPSHOT_FORMAT = 3;

/** A built index as plain JSON data (see `MatchIndex.snapshot`). */
export interface IndexSnapshot {
  format: number;
  /** [guide, weak, signature as written, summary, exact-case text] */
  entries: [number, boolean, string, boolean, string | null][];
  docs: GuideDoc[];
  /** token -> [offset, entry, literal text] */
  literalsByToken: [string, [number, number, string][]][];
  substringLiterals: number[];
  regexByToken: [string, number[]][];
  regexAlways: number[];
  /** term -> guides, term frequencies, largest contribution */
  postings: [string, number[], number[], number][];
  docNorm: number[];
  avgLength: number;
}

function isSnapshot(source: readonly IndexableGuide[] | IndexSnapshot): source is IndexSnapshot {
  return !Array.isArray(source);
}

/** A signature from a snapshot: compiled (and so checked) the first time a paste needs it. */
class SnapshotEntry implements SignatureEntry {
  private compiled: CompiledSignature | undefined;
  constructor(
    readonly guide: number,
    readonly weak: boolean,
    private readonly raw: string,
    readonly summary: boolean,
    readonly exact: string | undefined,
  ) {}
  get sig(): CompiledSignature {
    return (this.compiled ??= compileSignature(this.raw));
  }
}

/** A word shared by more guides than this is no guide's own. */
const DISTINCTIVE_MAX_GUIDES = 2;

/**
 * A client's exception class in front of the reason it carries: `redis.exceptions.ResponseError: `,
 * `JedisDataException: `. Dotted, or named ...Exception / ...Error, followed by a colon and more text.
 */
const WRAPPER_PREFIX =
  /^((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*(?:Exception|Error))(?=:\s+\S)/;
const EXACT_CASE = /^[A-Z]{3,12}$/;
/** errno, signal and Winsock names are printed in lower case by some runtimes and loggers. */
const ERRNO_LIKE = /^(?:E[A-Z]+|SIG[A-Z]+|WSA[A-Z]+)$/;

/**
 * Words that every error of some runtime or tool prints (traceback frames, package folders, npm's error
 * lines, install commands): never evidence for one guide on their own.
 */
export const GENERIC = new Set(
  `traceback most recent call last module modules node_modules site packages package dist lib lib64 usr
  local src main java python python3 node npm npx yarn pnpm pip pip3 install installing installed
  registry timeout timed classpath systemctl kubectl docker sudo code errno exit status request response
  client server service connection connect http https localhost host port internal fatal panic
  caused thread exception stack frame function object value null undefined true false return returned
  process command running started start stopped starting failed unable could during while after before
  being using without within query request already still again other another given found changed
  hosts parse parsing parser`.split(/\s+/),
);

/** Words too common in pastes and guides to say anything about which error it is. */
export const STOPWORDS = new Set(
  `a an and are as at be but by for from has have i if in into is it its of on or that the this to was
  were will with you your we our my me not no can cannot could would should do does did so than then
  there these those what when where which who why how all any some more most other such only own same
  too very s t just don now error errors failed fail failure exception warn warning info debug trace
  at line file`.split(/\s+/),
);
