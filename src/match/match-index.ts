import {
  compileSignature,
  lazySignature,
  REGEX_FORM,
  requiredLiteral,
  type CompiledSignature,
} from './signature.js';
import { tokens } from './clean.js';
import {
  byCodeUnit,
  findSorted,
  pack,
  RangeLookup,
  unpack,
  type KeyedLookup,
  type PackedNumbers,
} from './packed-index.js';

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
  /**
   * Other languages' texts of the guide's signatures (glibc's catalogs of errno messages): exact evidence
   * like a signature, but no words of the guide's own text, which pastes in English are scored against.
   */
  translations?: readonly string[];
  /**
   * Lines on which the guide's signatures and hints are no evidence: a message that shares its words but is
   * another failure (MQTT's `Connection Refused: not authorized` is an authorization answer, not a refused TCP
   * connection). Patterns in the signatures' syntax.
   */
  unless?: readonly string[];
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
/**
 * Korean is spaced, but particles and endings are glued to a message's last word (`입력/출력 오류가` holds
 * `입력/출력 오류`), so neither a word boundary there nor that word as a token finds it: its literals are
 * found by substring search too.
 */
const HANGUL = /\p{Script=Hangul}/u;
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

/**
 * An index as flat arrays, the layout of the packed cache: a build fills it directly and a restore reads it
 * in place from the cache's bytes. Keys are found by `termAt` / `literalAt` / `regexAt` (a Map of interned
 * words after a build, a binary search after a restore), whose positions index the start arrays.
 */
interface Tables {
  avgLength: number;
  numbers: Omit<PackedNumbers, 'termOrder'>;
  /** The BM25 vocabulary in the order the build met it (typo correction takes the first term that fits). */
  terms: Iterable<string>;
  termAt: (key: string) => number;
  literalAt: (key: string) => number;
  regexAt: (key: string) => number;
  rawCount: number;
  raw: (i: number) => string;
  docCount: number;
  doc: (i: number) => GuideDoc;
  pack: () => Uint8Array;
}

/** The lookups the engine reads, over either a build's or a restore's tables: decoded on demand. */
function partsOf(t: Tables): IndexParts {
  const n = t.numbers;
  const entries: (SignatureEntry | undefined)[] = new Array(t.rawCount);
  const entry = (i: number): SignatureEntry => {
    let e = entries[i];
    if (!e) {
      const raw = t.raw(i);
      const flags = n.entryFlags[i] as number;
      e = new LazyEntry(
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
  const docs: (GuideDoc | undefined)[] = new Array(t.docCount);
  return {
    docCount: t.docCount,
    postings: new RangeLookup(t.termAt, n.postingStart, (a, b) => n.postingGuide.subarray(a, b), t.terms),
    postingTf: new RangeLookup(t.termAt, n.postingStart, (a, b) => n.postingTf.subarray(a, b)),
    postingMax: {
      get: (key) => {
        const i = t.termAt(key);
        return i < 0 ? undefined : n.postingMax[i];
      },
      has: (key) => t.termAt(key) >= 0,
    },
    docNorm: n.docNorm,
    literalsByToken: new RangeLookup(t.literalAt, n.literalStart, (a, b) => {
      const out: LiteralKey[] = [];
      for (let j = a; j < b; j++) {
        const at = n.literalEntry[j] as number;
        // A keyed literal's text is its signature lowercased, as `compileSignature` makes it.
        out.push({ offset: n.literalOffset[j] as number, entry: entry(at), text: t.raw(at).toLowerCase() });
      }
      return out;
    }),
    regexByToken: new RangeLookup(t.regexAt, n.regexStart, (a, b) =>
      Array.from(n.regexEntry.subarray(a, b), entry),
    ),
    substringLiterals: Array.from(n.substring, entry),
    regexAlways: Array.from(n.always, entry),
    avgLength: t.avgLength,
    docAt: (gi) => (gi < 0 || gi >= t.docCount ? undefined : (docs[gi] ??= t.doc(gi))),
    pack: t.pack,
  };
}

/**
 * A growable column of numbers: the build appends to these instead of making an object or array per item.
 * Integers and floats are two classes, so that each `push` stays monomorphic.
 */
class Ints {
  length = 0;
  data: Int32Array;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
  /** The filled part, as an array of its own (what the index keeps); every value is below 2^31. */
  u32(): Uint32Array {
    return new Uint32Array(this.data.buffer, 0, this.length).slice();
  }
  u8(): Uint8Array {
    return Uint8Array.from(this.data.subarray(0, this.length));
  }
}

class Floats {
  length = 0;
  data: Float64Array;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = v;
  }
}

/** Compressed rows from (row, value) pairs appended in order: each row keeps its values in that order. */
function rows(rowOf: Ints, rowCount: number): { start: Uint32Array; order: Uint32Array } {
  const start = new Uint32Array(rowCount + 1);
  for (let i = 0; i < rowOf.length; i++) {
    const r = (rowOf.data[i] as number) + 1;
    start[r] = (start[r] as number) + 1;
  }
  for (let r = 0; r < rowCount; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
  const next = start.slice(0, rowCount);
  /** order[k]: which appended pair lands at position k */
  const order = new Uint32Array(rowOf.length);
  for (let i = 0; i < rowOf.length; i++) {
    const r = rowOf.data[i] as number;
    const k = next[r] as number;
    next[r] = k + 1;
    order[k] = i;
  }
  return { start, order };
}

/** `column`'s values in `order`. */
function pick(column: Ints, order: Uint32Array): Uint32Array {
  const out = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = column.data[order[k] as number] as number;
  return out;
}

/** Every word the build meets, interned once to a number, with what the build needs to know of it. */
class Vocabulary {
  readonly words: string[] = [];
  /**
   * Open addressing over the words' hashes (a slot holds a word's number + 1): a word is looked up from the
   * characters of the text it is in, so a word met before costs no new string, and none costs a Map entry.
   */
  private slots = new Int32Array(1 << 12);
  private hashes = new Uint32Array(0);
  /** bit 0: a stopword; bit 1: long enough, not a number and not generic, so it may be a guide's own word */
  kind = new Uint8Array(0);
  /** Position in the BM25 term list, or -1 */
  term = new Int32Array(0);
  /** Row in the literal / regex key lists, or -1 */
  literalRow = new Int32Array(0);
  regexRow = new Int32Array(0);
  /** How many literals contain the word: a literal is keyed by its rarest word. */
  literalCount = new Uint32Array(0);
  /** Per-guide marks, set to the guide's number + 1 (so no clearing between guides). */
  inGuide = new Int32Array(0);
  weight = new Float64Array(0);
  own = new Int32Array(0);
  context = new Int32Array(0);
  seen = new Int32Array(0);

  id(word: string): number {
    return this.idOf(word, 0, word.length);
  }

  /**
   * The number of `text.slice(from, to)` (lowercased when `fold`: the text is ASCII and `h` is the hash of
   * its lowercase), given one when new.
   */
  idOf(text: string, from: number, to: number, h = hash(text, from, to), fold = false): number {
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = (this.slots[s] as number) - 1;
      if (at < 0) break;
      if (this.hashes[at] === h && same(this.words[at] as string, text, from, to)) return at;
    }
    const whole = from === 0 && to === text.length ? text : text.slice(from, to);
    const word = fold ? whole.toLowerCase() : whole;
    const id = this.words.length;
    if (id === this.kind.length) this.grow(Math.max(1024, id * 2));
    this.words.push(word);
    this.hashes[id] = h;
    this.kind[id] =
      (STOPWORDS.has(word) ? STOP : 0) |
      (word.length >= 4 && !/^\d+$/.test(word) && !GENERIC.has(word) ? MAY_OWN : 0);
    this.term[id] = -1;
    this.literalRow[id] = -1;
    this.regexRow[id] = -1;
    if (2 * (id + 1) > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  /** The number of a word already met, or -1. */
  find(word: string): number {
    const h = hash(word, 0, word.length);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const at = (this.slots[s] as number) - 1;
      if (at < 0) return -1;
      if (this.hashes[at] === h && this.words[at] === word) return at;
    }
  }

  /** Drops what only the build needs; the lookups stay. */
  release(): void {
    this.literalCount = new Uint32Array(0);
    this.inGuide = new Int32Array(0);
    this.weight = new Float64Array(0);
    this.own = new Int32Array(0);
    this.context = new Int32Array(0);
    this.seen = new Int32Array(0);
    this.kind = new Uint8Array(0);
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let s = (this.hashes[id] as number) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.words.length; id++) this.place(id);
  }

  private grow(n: number): void {
    const more = <A extends Uint8Array | Int32Array | Uint32Array | Float64Array>(a: A, b: A): A => {
      b.set(a);
      return b;
    };
    this.hashes = more(this.hashes, new Uint32Array(n));
    this.kind = more(this.kind, new Uint8Array(n));
    this.term = more(this.term, new Int32Array(n));
    this.literalRow = more(this.literalRow, new Int32Array(n));
    this.regexRow = more(this.regexRow, new Int32Array(n));
    this.literalCount = more(this.literalCount, new Uint32Array(n));
    this.inGuide = more(this.inGuide, new Int32Array(n));
    this.weight = more(this.weight, new Float64Array(n));
    this.own = more(this.own, new Int32Array(n));
    this.context = more(this.context, new Int32Array(n));
    this.seen = more(this.seen, new Int32Array(n));
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Whether `word` is `text.slice(from, to)`, ASCII capitals in `text` read as small letters. */
function same(word: string, text: string, from: number, to: number): boolean {
  if (word.length !== to - from) return false;
  for (let i = 0; i < word.length; i++) {
    let c = text.charCodeAt(from + i);
    if (c >= 65 && c <= 90) c += 32;
    if (word.charCodeAt(i) !== c) return false;
  }
  return true;
}

const STOP = 1;
const MAY_OWN = 2;
const NON_ASCII = /[^\u0000-\u007f]/;
const TOKEN = /[\p{L}\p{N}_]+/gu;

/** Word tokens of a lowercased text as `tokens` finds them, interned, with their positions. */
class Tokens {
  readonly id = new Ints();
  readonly at = new Ints();
  scan(lower: string, vocab: Vocabulary): void {
    if (NON_ASCII.test(lower)) {
      for (const m of lower.matchAll(TOKEN)) {
        this.id.push(vocab.id(m[0]));
        this.at.push(m.index);
      }
    } else this.scanAscii(lower, vocab);
  }

  /**
   * The same for an ASCII text not yet lowercased: in lowercase ASCII, `[\p{L}\p{N}_]` is `[a-z0-9_]`, and a
   * loop that hashes each word as it reads it costs a fraction of the regex and of a lowercased copy.
   */
  scanAscii(text: string, vocab: Vocabulary): void {
    let start = -1;
    let h = 0;
    let capitals = false;
    for (let i = 0; i <= text.length; i++) {
      let c = i < text.length ? text.charCodeAt(i) : 32;
      if (c >= 65 && c <= 90) {
        c += 32;
        capitals = true;
      }
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) {
        if (start < 0) {
          start = i;
          h = FNV_OFFSET;
          capitals = c !== text.charCodeAt(i);
        }
        h = Math.imul(h ^ c, FNV_PRIME);
      } else if (start >= 0) {
        this.id.push(vocab.idOf(text, start, i, h >>> 0, capitals));
        this.at.push(start);
        start = -1;
      }
    }
  }
  clear(): void {
    this.id.length = 0;
    this.at.length = 0;
  }
}

type TermKind = 'own' | 'wrapper' | 'hint';

/**
 * Builds the index straight into the packed layout: every word interned once to a number, postings and
 * keyed signatures appended to typed columns and put in rows at the end, signatures compiled when a paste
 * first needs them. The ranking is the one the Maps-and-objects build gave (the packed bytes are equal).
 */
class Builder {
  private readonly vocab = new Vocabulary();
  private readonly docs: GuideDoc[] = [];
  private readonly raws: string[] = [];
  private readonly entryGuide = new Ints();
  private readonly entryFlags = new Ints();
  /** (word, guide, weight, own) for each term of each guide, in the order the guide's text gives them */
  private readonly termWord = new Ints(4096);
  private readonly termWeight = new Floats(4096);
  private readonly termOwn = new Ints(4096);
  private readonly guideStart = new Ints();
  /** Keyed literals: (row, offset of the key, entry); keyed regexes: (row, entry) */
  private readonly literalRowOf = new Ints();
  private readonly literalOffset = new Ints();
  private readonly literalEntry = new Ints();
  private readonly literalKeys: string[] = [];
  private readonly regexRowOf = new Ints();
  private readonly regexEntry = new Ints();
  private readonly regexKeys: string[] = [];
  private readonly substring = new Ints();
  private readonly always = new Ints();
  /** The words of every literal, each lowercased and scanned once; literals to key once all are counted */
  private readonly literalTokens = new Tokens();
  private readonly pendingEntry = new Ints();
  private readonly pendingFrom = new Ints();
  private readonly pendingTo = new Ints();
  /** Marks a literal's words as counted (each literal counts a word once). */
  private seen = 0;
  private readonly scratch = new Tokens();
  private readonly guideTerms: number[] = [];
  private mark = 0;

  constructor(guides: readonly IndexableGuide[]) {
    guides.forEach((g, gi) => this.add(g, gi));
    this.guideStart.push(this.termWord.length);
    this.keyLiterals();
  }

  tables(): Tables {
    const v = this.vocab;
    const n = this.docs.length;
    let total = 0;
    for (const d of this.docs) total += d.length;
    const avgLength = n ? total / n : 1;
    // BM25's per-document length norm and per-posting term weights, precomputed so that scoring a query
    // walks flat arrays instead of looking terms up in every document.
    const docNorm = new Float64Array(n);
    this.docs.forEach((d, gi) => (docNorm[gi] = BM25_K1 * (1 - BM25_B + (BM25_B * d.length) / avgLength)));
    const terms: string[] = [];
    const termRow = new Ints(this.termWord.length);
    for (let i = 0; i < this.termWord.length; i++) {
      const w = this.termWord.data[i] as number;
      if (v.term[w] === -1) {
        v.term[w] = terms.length;
        terms.push(v.words[w] as string);
      }
      termRow.push(v.term[w] as number);
    }
    const { start: postingStart, order } = rows(termRow, terms.length);
    const postingGuide = new Uint32Array(order.length);
    const postingTf = new Float64Array(order.length);
    const guideOf = new Uint32Array(this.termWord.length);
    for (let gi = 0; gi < n; gi++)
      guideOf.fill(gi, this.guideStart.data[gi] as number, this.guideStart.data[gi + 1] as number);
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      postingGuide[k] = guideOf[i] as number;
      postingTf[k] = this.termWeight.data[i] as number;
    }
    const postingMax = new Float64Array(terms.length);
    for (let t = 0; t < terms.length; t++) {
      const a = postingStart[t] as number;
      const b = postingStart[t + 1] as number;
      const idf = Math.log(1 + (n - (b - a) + 0.5) / (b - a + 0.5));
      let max = 0;
      for (let k = a; k < b; k++) {
        const c = contribution(idf, postingTf[k] as number, docNorm[postingGuide[k] as number] as number);
        if (c > max) max = c;
      }
      postingMax[t] = max;
    }
    // Words of a guide's own that at most a couple of guides use (see `GuideDoc.distinctive`).
    for (let gi = 0; gi < n; gi++) {
      const d = this.docs[gi] as GuideDoc;
      for (let i = this.guideStart.data[gi] as number; i < (this.guideStart.data[gi + 1] as number); i++) {
        const w = this.termWord.data[i] as number;
        const t = v.term[w] as number;
        if (
          this.termWeight.data[i] === 1 &&
          (v.kind[w] as number) & MAY_OWN &&
          this.termOwn.data[i] === 1 &&
          (postingStart[t + 1] as number) - (postingStart[t] as number) <= DISTINCTIVE_MAX_GUIDES
        )
          d.distinctive.push(v.words[w] as string);
      }
    }
    const lit = rows(this.literalRowOf, this.literalKeys.length);
    const reg = rows(this.regexRowOf, this.regexKeys.length);
    const numbers: Omit<PackedNumbers, 'termOrder'> = {
      postingStart,
      postingGuide,
      postingTf,
      postingMax,
      docNorm,
      entryGuide: this.entryGuide.u32(),
      entryFlags: this.entryFlags.u8(),
      literalStart: lit.start,
      literalOffset: pick(this.literalOffset, lit.order),
      literalEntry: pick(this.literalEntry, lit.order),
      regexStart: reg.start,
      regexEntry: pick(this.regexEntry, reg.order),
      substring: this.substring.u32(),
      always: this.always.u32(),
    };
    v.release();
    const at = (row: Int32Array) => (key: string) => {
      const w = v.find(key);
      return w < 0 ? -1 : (row[w] as number);
    };
    const { raws, docs, literalKeys, regexKeys } = this;
    return {
      avgLength,
      numbers,
      terms,
      termAt: at(v.term),
      literalAt: at(v.literalRow),
      regexAt: at(v.regexRow),
      rawCount: raws.length,
      raw: (i) => raws[i] as string,
      docCount: n,
      doc: (i) => docs[i] as GuideDoc,
      pack: () => packTables(avgLength, numbers, terms, literalKeys, regexKeys, raws, docs),
    };
  }

  private add(g: IndexableGuide, gi: number): void {
    this.guideStart.push(this.termWord.length);
    this.guideTerms.length = 0;
    const mark = ++this.mark;
    const phrases = [g.title, ...g.aliases];
    this.addText(g.title, 1, 'own', mark);
    this.addText(g.id.replace(/-/g, ' '), 1, 'own', mark);
    for (const a of g.aliases) this.addText(a, 1, 'own', mark);
    for (const t of g.tags) this.addText(t, 0.5, 'own', mark);
    for (const s of g.signatures) this.addSig(s, gi, false, false, mark);
    // The first few short literal signatures are the canonical wording people retype, typos included.
    phrases.push(...g.signatures.filter((s) => !s.startsWith('/') && s.length <= 32).slice(0, 4));
    for (const s of g.summaries ?? []) this.addSig(s, gi, false, true, mark);
    for (const s of g.translations ?? []) this.addSig(s, gi, false, false, mark, false);
    for (const s of g.hints) this.addSig(s, gi, true, false, mark);
    const v = this.vocab;
    let length = 0;
    for (const w of this.guideTerms) {
      this.termWord.push(w);
      this.termWeight.push(v.weight[w] as number);
      // Which words may count as the guide's own evidence: not a one-word hint (a product name such as
      // `kafka` is in every error of that product), and not the client's exception class that wraps a
      // signature's reason (`redis.exceptions.ResponseError: OOM ...` wraps every Redis error).
      this.termOwn.push(v.own[w] === mark && v.context[w] !== mark ? 1 : 0);
      length += v.weight[w] as number;
    }
    const aliasWords: string[][] = [];
    for (const a of g.aliases) {
      this.scratch.clear();
      this.scratch.scan(a.toLowerCase(), v);
      const words: string[] = [];
      for (let k = 0; k < this.scratch.id.length; k++) {
        const w = this.scratch.id.data[k] as number;
        if (!((v.kind[w] as number) & STOP)) words.push(v.words[w] as string);
      }
      if (words.length >= 2) aliasWords.push(words);
    }
    this.docs.push({ id: g.id, title: g.title, length, phrases, distinctive: [], aliasWords });
  }

  /** One word of the guide's BM25 document: its weight is the largest it is given. */
  private addTerm(w: number, weight: number, kind: TermKind, mark: number): void {
    const v = this.vocab;
    if ((v.kind[w] as number) & STOP) return;
    if (v.inGuide[w] !== mark) {
      v.inGuide[w] = mark;
      v.weight[w] = weight;
      this.guideTerms.push(w);
    } else if (weight > (v.weight[w] as number)) v.weight[w] = weight;
    if (kind === 'own') v.own[w] = mark;
    else if (kind === 'hint') v.context[w] = mark;
  }

  private addText(text: string, weight: number, kind: TermKind, mark: number): void {
    this.scratch.clear();
    this.scratch.scan(text.toLowerCase(), this.vocab);
    for (let k = 0; k < this.scratch.id.length; k++)
      this.addTerm(this.scratch.id.data[k] as number, weight, kind, mark);
  }

  private addSig(raw: string, gi: number, weak: boolean, summary: boolean, mark: number, words = true): void {
    const entry = this.raws.length;
    this.raws.push(raw);
    this.entryGuide.push(gi);
    const form = raw.startsWith('/') ? REGEX_FORM.exec(raw) : null;
    if (!form) {
      const exact = EXACT_CASE.test(raw) && !ERRNO_LIKE.test(raw);
      this.entryFlags.push((weak ? 1 : 0) | (summary ? 2 : 0) | (exact ? 4 : 0));
      this.addLiteral(raw, entry, weak, mark, words);
      return;
    }
    this.entryFlags.push((weak ? 1 : 0) | (summary ? 2 : 0));
    // The regex itself is compiled when a paste first needs it; what keys it comes from its source alone.
    // A signature that does not even parse is refused here, with the reason `compileSignature` gives.
    const source = form[1] ?? '';
    let re: RegExp;
    try {
      if (/[^imsu]/.test(form[2] ?? '')) throw new Error('flags');
      re = new RegExp(source, form[2]);
    } catch {
      compileSignature(raw);
      throw new Error(`regex ${raw} does not compile`);
    }
    const required = requiredLiteral(source);
    if (required && words) this.addText(required, weak ? 0.5 : 1, 'own', mark);
    const key = required ? completeToken(re.source, required) : undefined;
    const keys = key ? [key] : alternativeTokens(re.source);
    if (!keys) {
      this.always.push(entry);
      return;
    }
    for (const k of new Set(keys)) {
      const w = this.vocab.id(k);
      if (this.vocab.regexRow[w] === -1) {
        this.vocab.regexRow[w] = this.regexKeys.length;
        this.regexKeys.push(k);
      }
      this.regexRowOf.push(this.vocab.regexRow[w] as number);
      this.regexEntry.push(entry);
    }
    if (!key) for (const k of keys) this.addText(k, weak ? 0.5 : 1, 'own', mark);
  }

  /**
   * A literal's words go into the guide's document; the literal is keyed by its rarest word (every word of
   * a literal is a whole word wherever the literal matches), so that a common word in a paste ("java",
   * "at") does not drag in hundreds of literals.
   */
  private addLiteral(raw: string, entry: number, weak: boolean, mark: number, words: boolean): void {
    const v = this.vocab;
    const toks = this.literalTokens;
    const from = toks.id.length;
    // Most signatures are ASCII: read in place, lowercased as they are read; the rest as a lowercased copy.
    const text = NON_ASCII.test(raw) ? raw.toLowerCase() : undefined;
    if (text === undefined) toks.scanAscii(raw, v);
    else toks.scan(text, v);
    const to = toks.id.length;
    const ids = toks.id.data;
    const at = toks.at.data;
    // Literals are keyed once every literal's words are counted; a text in slashes that is no regex is
    // keyed but not counted, as it always was.
    if (!raw.startsWith('/')) {
      const seen = ++this.seen;
      for (let k = from; k < to; k++) {
        const w = ids[k] as number;
        if (v.seen[w] === seen) continue;
        v.seen[w] = seen;
        v.literalCount[w] = (v.literalCount[w] as number) + 1;
      }
    }
    const wrapper = weak || !raw.includes(':') ? undefined : WRAPPER_PREFIX.exec(raw.toLowerCase())?.[1];
    // The wrapper ends before a colon, so the words before it and after it are the text's own words.
    let rest = from;
    if (wrapper) {
      while (rest < to && (at[rest] as number) < wrapper.length) rest++;
      if (words) for (let k = from; k < rest; k++) this.addTerm(ids[k] as number, 1, 'wrapper', mark);
    }
    // A one-word hint is a context word (a product, a setting); a phrase hint still says what happened.
    const kind: TermKind = weak && to - rest === 1 ? 'hint' : 'own';
    if (words) for (let k = rest; k < to; k++) this.addTerm(ids[k] as number, weak ? 0.5 : 1, kind, mark);
    if (to === from || (text !== undefined && (UNSPACED.test(text) || HANGUL.test(text))))
      this.substring.push(entry);
    else {
      this.pendingEntry.push(entry);
      this.pendingFrom.push(from);
      this.pendingTo.push(to);
    }
  }

  /**
   * Each literal keyed by its rarest word (every word of a literal is a whole word wherever the literal
   * matches), so that a common word in a paste ("java", "at") does not drag in hundreds of literals.
   */
  private keyLiterals(): void {
    const v = this.vocab;
    const ids = this.literalTokens.id.data;
    const at = this.literalTokens.at.data;
    for (let p = 0; p < this.pendingEntry.length; p++) {
      const from = this.pendingFrom.data[p] as number;
      const to = this.pendingTo.data[p] as number;
      let best = from;
      for (let k = from + 1; k < to; k++) {
        const w = ids[k] as number;
        const b = ids[best] as number;
        const count = v.literalCount[w] as number;
        const bestCount = v.literalCount[b] as number;
        if (
          count < bestCount ||
          (count === bestCount && (v.words[w] as string).length > (v.words[b] as string).length)
        )
          best = k;
      }
      const w = ids[best] as number;
      if (v.literalRow[w] === -1) {
        v.literalRow[w] = this.literalKeys.length;
        this.literalKeys.push(v.words[w] as string);
      }
      this.literalRowOf.push(v.literalRow[w] as number);
      this.literalOffset.push(at[best] as number);
      this.literalEntry.push(this.pendingEntry.data[p] as number);
    }
  }
}

/** The cache's bytes for built tables: keys in code-unit order for the binary search a restore does. */
function packTables(
  avgLength: number,
  n: Omit<PackedNumbers, 'termOrder'>,
  terms: readonly string[],
  literalKeys: readonly string[],
  regexKeys: readonly string[],
  raws: readonly string[],
  docs: readonly GuideDoc[],
): Uint8Array {
  const sorted = (keys: readonly string[]) =>
    Uint32Array.from(keys.keys()).sort((a, b) => byCodeUnit(keys[a] as string, keys[b] as string));
  /** The rows of `start` put in `order`, with their values from each of `values`. */
  const reorder = (order: Uint32Array, start: Uint32Array, values: Uint32Array[]) => {
    const newStart = new Uint32Array(order.length + 1);
    const out = values.map((a) => new Uint32Array(a.length));
    let k = 0;
    order.forEach((row, i) => {
      newStart[i] = k;
      for (let j = start[row] as number; j < (start[row + 1] as number); j++, k++)
        values.forEach((a, c) => ((out[c] as Uint32Array)[k] = a[j] as number));
    });
    newStart[order.length] = k;
    return { start: newStart, values: out };
  };
  const litOrder = sorted(literalKeys);
  const regOrder = sorted(regexKeys);
  const lits = reorder(litOrder, n.literalStart, [n.literalOffset, n.literalEntry]);
  const regs = reorder(regOrder, n.regexStart, [n.regexEntry]);
  return pack({
    avgLength,
    strings: {
      terms: [...terms],
      literalKeys: Array.from(litOrder, (i) => literalKeys[i] as string),
      regexKeys: Array.from(regOrder, (i) => regexKeys[i] as string),
      raws: [...raws],
      docs: docs.map((d) => JSON.stringify(d)),
    },
    numbers: {
      ...n,
      termOrder: sorted(terms),
      literalStart: lits.start,
      literalOffset: lits.values[0] as Uint32Array,
      literalEntry: lits.values[1] as Uint32Array,
      regexStart: regs.start,
      regexEntry: regs.values[0] as Uint32Array,
    },
  });
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function build(guides: readonly IndexableGuide[]): IndexParts {
  return partsOf(new Builder(guides).tables());
}

/** An index from the cache's bytes: lookups decode on demand, signatures compile when first needed. */
function restore(bytes: Uint8Array): IndexParts {
  const { avgLength, strings: s, numbers: n } = unpack(bytes);
  return partsOf({
    avgLength,
    numbers: n,
    terms: s.terms,
    termAt: (key) => findSorted(s.terms, key, n.termOrder),
    literalAt: (key) => findSorted(s.literalKeys, key),
    regexAt: (key) => findSorted(s.regexKeys, key),
    rawCount: s.rawCount,
    raw: s.raw,
    docCount: s.docCount,
    doc: (i) => JSON.parse(s.doc(i)) as GuideDoc,
    pack: () => bytes,
  });
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
    // The source's own start or end is no boundary: `time-?out` matches inside "runtimeout".
    const okBefore =
      before === '^' ||
      /\\b$/.test(before) ||
      (/(?:^|[^\\])[ :=/.,'"\-[\]]$/.test(before) && !/\[[^\]]*$/.test(before));
    const okAfter =
      after === '$' ||
      /^\\b/.test(after) ||
      // A boundary character that a quantifier makes optional (`time-?out`) is no boundary.
      (/^(?:\\[.:/-]|[ :=/,'"\-\]])(?![?*{])/.test(after) && !/^[^[]*\]/.test(after));
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

/** A signature entry of a built or restored index: compiled (and so checked) the first time a paste needs it. */
class LazyEntry implements SignatureEntry {
  private compiled: CompiledSignature | undefined;
  constructor(
    readonly guide: number,
    readonly weak: boolean,
    private readonly raw: string,
    readonly summary: boolean,
    readonly exact: string | undefined,
  ) {}
  get sig(): CompiledSignature {
    return (this.compiled ??= lazySignature(this.raw));
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
