import { compileSignature, type CompiledSignature } from './signature.js';
import { tokens } from './clean.js';
import { byCodeUnit, findSorted, pack, RangeLookup, unpack, type KeyedLookup } from './packed-index.js';

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
  /** How many guides the index holds. */
  readonly docCount: number;
  /** term -> guide indexes containing it */
  readonly postings: KeyedLookup<ArrayLike<number>> & { keys(): Iterable<string> };
  /** term frequency of each posting, aligned with `postings` */
  readonly postingTf: KeyedLookup<ArrayLike<number>>;
  /**
   * The largest BM25 contribution of each term to any one guide, aligned with `postings`: the bound that
   * lets the postings walk skip guides that cannot reach the best few.
   */
  readonly postingMax: KeyedLookup<number>;
  /** BM25 length norm of each guide */
  readonly docNorm: ArrayLike<number>;
  readonly literalsByToken: KeyedLookup<readonly LiteralKey[]>;
  readonly regexByToken: KeyedLookup<readonly SignatureEntry[]>;
  readonly substringLiterals: readonly SignatureEntry[];
  readonly regexAlways: readonly SignatureEntry[];
  readonly avgLength: number;
  /**
   * `substringLiterals` grouped by their first two characters, each with its position in that list: a
   * paste is checked only against the groups whose prefix it contains, not against every such literal.
   */
  private substringGroups: Map<string, { at: number; entry: SignatureEntry }[]> | undefined;
  private deletesMap: Map<string, string> | undefined;
  private readonly docAt: (gi: number) => GuideDoc | undefined;
  private byId: Map<string, number> | undefined;
  /** What `snapshot` returns: packed once, on first request (or the bytes this index was restored from). */
  private packed: Uint8Array | undefined;
  private readonly packNow: () => Uint8Array;

  /** From guides, or from a snapshot of an index built earlier from the same guides (the knowledge cache). */
  constructor(source: readonly IndexableGuide[] | Uint8Array) {
    const built = source instanceof Uint8Array ? restore(source) : build(source);
    this.docCount = built.docCount;
    this.postings = built.postings;
    this.postingTf = built.postingTf;
    this.postingMax = built.postingMax;
    this.docNorm = built.docNorm;
    this.literalsByToken = built.literalsByToken;
    this.regexByToken = built.regexByToken;
    this.substringLiterals = built.substringLiterals;
    this.regexAlways = built.regexAlways;
    this.avgLength = built.avgLength;
    this.docAt = built.docAt;
    this.packNow = built.pack;
    if (source instanceof Uint8Array) this.packed = source;
  }

  /** One guide's BM25 document and phrases. */
  doc(gi: number): GuideDoc | undefined {
    return this.docAt(gi);
  }

  /** The index of the guide with this id. */
  guideIndex(id: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.docCount; i++) {
        const d = this.docAt(i);
        if (d) this.byId.set(d.id, i);
      }
    }
    return this.byId.get(id);
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
    return contribution(idf, tf, this.docNorm[gi] as number);
  }

  /** The index as bytes for the knowledge cache (`new MatchIndex(bytes)` restores it). */
  snapshot(): Uint8Array {
    return (this.packed ??= this.packNow());
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const n = this.docCount;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
}

/** What the constructor takes from a build or a restore. */
interface IndexParts {
  docCount: number;
  postings: KeyedLookup<ArrayLike<number>> & { keys(): Iterable<string> };
  postingTf: KeyedLookup<ArrayLike<number>>;
  postingMax: KeyedLookup<number>;
  docNorm: ArrayLike<number>;
  literalsByToken: KeyedLookup<readonly LiteralKey[]>;
  regexByToken: KeyedLookup<readonly SignatureEntry[]>;
  substringLiterals: readonly SignatureEntry[];
  regexAlways: readonly SignatureEntry[];
  avgLength: number;
  docAt: (gi: number) => GuideDoc | undefined;
  pack: () => Uint8Array;
}

function contribution(idf: number, tf: number, norm: number): number {
  return (idf * (tf * (BM25_K1 + 1))) / (tf + norm);
}

/** Builds the index from guides, in Maps; `pack` turns it into the cache's bytes. */
class Builder {
  readonly docs: GuideDoc[] = [];
  readonly literalsByToken = new Map<string, LiteralKey[]>();
  readonly substringLiterals: SignatureEntry[] = [];
  readonly regexByToken = new Map<string, SignatureEntry[]>();
  readonly regexAlways: SignatureEntry[] = [];
  readonly postings = new Map<string, number[]>();
  readonly postingTf = new Map<string, number[]>();
  readonly postingMax = new Map<string, number>();
  readonly docNorm: number[] = [];
  avgLength = 0;
  /** Every signature entry in build order, so that the packed index can refer to them by position. */
  readonly entries: SignatureEntry[] = [];
  /** Each guide's BM25 document while building: term -> weight. */
  private readonly building: Map<string, number>[] = [];
  /** Each guide's words that may count as its own evidence while building (see `add`). */
  private readonly ownTerms: Set<string>[] = [];
  /** How many literals contain each token: a literal is keyed by its rarest token. */
  private readonly literalTokenCounts = new Map<string, number>();

  constructor(guides: readonly IndexableGuide[]) {
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
    const n = this.docs.length;
    for (const [term, docs] of this.postings) {
      const tfs = docs.map((gi) => this.building[gi]?.get(term) ?? 0);
      this.postingTf.set(term, tfs);
      const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      let max = 0;
      for (let i = 0; i < docs.length; i++) {
        const c = contribution(idf, tfs[i] as number, this.docNorm[docs[i] as number] as number);
        if (c > max) max = c;
      }
      this.postingMax.set(term, max);
    }
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
  }

  parts(): IndexParts {
    return {
      docCount: this.docs.length,
      postings: this.postings,
      postingTf: this.postingTf,
      postingMax: this.postingMax,
      docNorm: this.docNorm,
      literalsByToken: this.literalsByToken,
      regexByToken: this.regexByToken,
      substringLiterals: this.substringLiterals,
      regexAlways: this.regexAlways,
      avgLength: this.avgLength,
      docAt: (gi) => this.docs[gi],
      pack: () => this.pack(),
    };
  }

  private pack(): Uint8Array {
    const entryAt = new Map(this.entries.map((e, i) => [e, i]));
    const ref = (e: SignatureEntry) => entryAt.get(e) as number;
    const terms = [...this.postings.keys()];
    const termOrder = Uint32Array.from(terms.keys()).sort((a, b) =>
      byCodeUnit(terms[a] as string, terms[b] as string),
    );
    const literalKeys = [...this.literalsByToken.keys()].sort(byCodeUnit);
    const regexKeys = [...this.regexByToken.keys()].sort(byCodeUnit);
    const postingStart = new Uint32Array(terms.length + 1);
    let total = 0;
    terms.forEach((t, i) => {
      postingStart[i] = total;
      total += this.postings.get(t)?.length ?? 0;
    });
    postingStart[terms.length] = total;
    const postingGuide = new Uint32Array(total);
    const postingTf = new Float64Array(total);
    const postingMax = new Float64Array(terms.length);
    terms.forEach((t, i) => {
      postingGuide.set(this.postings.get(t) ?? [], postingStart[i] as number);
      postingTf.set(this.postingTf.get(t) ?? [], postingStart[i] as number);
      postingMax[i] = this.postingMax.get(t) ?? 0;
    });
    const ranges = <V>(keys: string[], map: Map<string, V[]>) => {
      const start = new Uint32Array(keys.length + 1);
      const flat: V[] = [];
      keys.forEach((k, i) => {
        start[i] = flat.length;
        for (const v of map.get(k) ?? []) flat.push(v);
      });
      start[keys.length] = flat.length;
      return { start, flat };
    };
    const lits = ranges(literalKeys, this.literalsByToken);
    const regs = ranges(regexKeys, this.regexByToken);
    return pack({
      avgLength: this.avgLength,
      strings: {
        terms,
        literalKeys,
        regexKeys,
        raws: this.entries.map((e) => e.sig.raw),
        docs: this.docs.map((d) => JSON.stringify(d)),
      },
      numbers: {
        termOrder,
        postingStart,
        postingGuide,
        postingTf,
        postingMax,
        docNorm: Float64Array.from(this.docNorm),
        entryGuide: Uint32Array.from(this.entries, (e) => e.guide),
        entryFlags: Uint8Array.from(
          this.entries,
          (e) => (e.weak ? 1 : 0) | (e.summary ? 2 : 0) | (e.exact !== undefined ? 4 : 0),
        ),
        literalStart: lits.start,
        literalOffset: Uint32Array.from(lits.flat, (k) => k.offset),
        literalEntry: Uint32Array.from(lits.flat, (k) => ref(k.entry)),
        regexStart: regs.start,
        regexEntry: Uint32Array.from(regs.flat, ref),
        substring: Uint32Array.from(this.substringLiterals, ref),
        always: Uint32Array.from(this.regexAlways, ref),
      },
    });
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

function build(guides: readonly IndexableGuide[]): IndexParts {
  return new Builder(guides).parts();
}

/** An index from the cache's bytes: lookups decode on demand, signatures compile when first needed. */
function restore(bytes: Uint8Array): IndexParts {
  const { avgLength, strings, numbers: n } = unpack(bytes);
  const entries: (SignatureEntry | undefined)[] = new Array(strings.rawCount);
  const entry = (i: number): SignatureEntry => {
    let e = entries[i];
    if (!e) {
      const raw = strings.raw(i);
      const flags = n.entryFlags[i] as number;
      e = new SnapshotEntry(
        n.entryGuide[i] as number,
        (flags & 1) !== 0,
        raw,
        (flags & 2) !== 0,
        flags & 4 ? raw : undefined,
      );
      entries[i] = e;
    }
    return e;
  };
  const docs: (GuideDoc | undefined)[] = new Array(strings.docCount);
  const postings = new RangeLookup(
    strings.terms,
    n.postingStart,
    (a, b) => n.postingGuide.subarray(a, b),
    n.termOrder,
  );
  return {
    docCount: strings.docCount,
    postings,
    postingTf: new RangeLookup(
      strings.terms,
      n.postingStart,
      (a, b) => n.postingTf.subarray(a, b),
      n.termOrder,
    ),
    postingMax: {
      get: (t) => {
        const i = findSorted(strings.terms, t, n.termOrder);
        return i < 0 ? undefined : n.postingMax[i];
      },
      has: (t) => findSorted(strings.terms, t, n.termOrder) >= 0,
    },
    docNorm: n.docNorm,
    literalsByToken: new RangeLookup(strings.literalKeys, n.literalStart, (a, b) => {
      const out: LiteralKey[] = [];
      for (let j = a; j < b; j++) {
        const e = entry(n.literalEntry[j] as number);
        // A keyed literal's text is its signature lowercased, as `compileSignature` makes it.
        out.push({
          offset: n.literalOffset[j] as number,
          entry: e,
          text: strings.raw(n.literalEntry[j] as number).toLowerCase(),
        });
      }
      return out;
    }),
    regexByToken: new RangeLookup(strings.regexKeys, n.regexStart, (a, b) =>
      Array.from(n.regexEntry.subarray(a, b), entry),
    ),
    substringLiterals: Array.from(n.substring, entry),
    regexAlways: Array.from(n.always, entry),
    avgLength,
    docAt: (gi) => {
      if (gi < 0 || gi >= docs.length) return undefined;
      return (docs[gi] ??= JSON.parse(strings.doc(gi)) as GuideDoc);
    },
    pack: () => bytes,
  };
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

/** Bumped whenever the packed layout or the way an index is built changes, so old caches are rebuilt. */
export const SNAPSHOT_FORMAT = 4;

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
  hosts parse parsing parser script output looks like went wrong something sorry please try gives throws
  returns getting handle handling encountered currently probably means someone likely additional above
  visual studio decode character note rustc`.split(/\s+/),
);

/** Words too common in pastes and guides to say anything about which error it is. */
export const STOPWORDS = new Set(
  `a an and are as at be but by for from has have i if in into is it its of on or that the this to was
  were will with you your we our my me not no can cannot could would should do does did so than then
  there these those what when where which who why how all any some more most other such only own same
  too very s t just don now error errors failed fail failure exception warn warning info debug trace
  at line file`.split(/\s+/),
);
