/**
 * The match index as one binary blob, for the knowledge cache. Numbers live in typed arrays over the file's
 * own bytes and strings in UTF-8 sections cut by offsets; keys, postings, keyed literals and guide documents
 * are decoded when a paste asks for them. Restoring 10,000 guides then costs reading the file and checking
 * its cross-references, not recreating half a million strings, Map entries and objects (the JSON snapshot
 * this replaced took as long to load as a rebuild).
 */

/** The parts of an index the engine reads by key. A built index satisfies them with Maps. */
export interface KeyedLookup<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
}

const MAGIC = 0x34584c46; // "FLX4", little-endian

/** One typed-array section: its kind and element count, in the order they follow the header. */
type SectionKind = 'u32' | 'f64' | 'u8';
const BYTES: Record<SectionKind, number> = { u32: 4, f64: 8, u8: 1 };

/** The index's strings as the packer gives them. */
export interface PackedStrings {
  /**
   * In the order the built index met them (typo correction takes the first term that fits, so the order is
   * part of the ranking); `termOrder` lists their positions in code-unit order for the binary search.
   */
  terms: string[];
  /** Sorted in code-unit order. */
  literalKeys: string[];
  regexKeys: string[];
  /** Each signature entry's text as written. */
  raws: string[];
  /** Each guide's `GuideDoc` as JSON. */
  docs: string[];
}

/**
 * A list of keys, read like an array: `at` and iteration. An unpacked index decodes each key when it is
 * first read, so that restoring 10,000 guides does not make half a million strings before the first paste.
 */
export interface KeyList extends Iterable<string> {
  readonly length: number;
  at(i: number): string | undefined;
}

/** The same strings as an unpacked index reads them: each key and text decoded on first use. */
export interface UnpackedStrings {
  terms: KeyList;
  literalKeys: KeyList;
  regexKeys: KeyList;
  rawCount: number;
  raw(i: number): string;
  docCount: number;
  doc(i: number): string;
}

export interface PackedNumbers {
  termOrder: Uint32Array;
  postingStart: Uint32Array;
  postingGuide: Uint32Array;
  postingTf: Float64Array;
  postingMax: Float64Array;
  docNorm: Float64Array;
  entryGuide: Uint32Array;
  /** bit 0 weak, bit 1 summary, bit 2 exact-case */
  entryFlags: Uint8Array;
  literalStart: Uint32Array;
  literalOffset: Uint32Array;
  literalEntry: Uint32Array;
  regexStart: Uint32Array;
  regexEntry: Uint32Array;
  substring: Uint32Array;
  always: Uint32Array;
}

/** Every text is cut from its section by byte offsets (`…Start`, one more than the texts). */
interface TextSections {
  termText: Uint8Array;
  termStart: Uint32Array;
  literalKeyText: Uint8Array;
  literalKeyStart: Uint32Array;
  regexKeyText: Uint8Array;
  regexKeyStart: Uint32Array;
  rawText: Uint8Array;
  rawStart: Uint32Array;
  docText: Uint8Array;
  docStart: Uint32Array;
}

type Sections = PackedNumbers & TextSections;

const SECTIONS: [keyof Sections, SectionKind][] = [
  ['postingMax', 'f64'],
  ['postingTf', 'f64'],
  ['docNorm', 'f64'],
  ['termOrder', 'u32'],
  ['postingStart', 'u32'],
  ['postingGuide', 'u32'],
  ['entryGuide', 'u32'],
  ['literalStart', 'u32'],
  ['literalOffset', 'u32'],
  ['literalEntry', 'u32'],
  ['regexStart', 'u32'],
  ['regexEntry', 'u32'],
  ['substring', 'u32'],
  ['always', 'u32'],
  ['rawStart', 'u32'],
  ['docStart', 'u32'],
  ['termStart', 'u32'],
  ['literalKeyStart', 'u32'],
  ['regexKeyStart', 'u32'],
  ['entryFlags', 'u8'],
  ['termText', 'u8'],
  ['literalKeyText', 'u8'],
  ['regexKeyText', 'u8'],
  ['rawText', 'u8'],
  ['docText', 'u8'],
];

export interface Packed {
  avgLength: number;
  strings: PackedStrings;
  numbers: PackedNumbers;
}

export interface Unpacked {
  avgLength: number;
  strings: UnpackedStrings;
  numbers: PackedNumbers;
}

function joined(texts: readonly string[]): { text: Uint8Array; start: Uint32Array } {
  const parts = texts.map((t) => Buffer.from(t, 'utf8'));
  const start = new Uint32Array(parts.length + 1);
  let at = 0;
  parts.forEach((b, i) => {
    start[i] = at;
    at += b.length;
  });
  start[parts.length] = at;
  return { text: Buffer.concat(parts), start };
}

/** Layout: magic, header length, header JSON (counts, avgLength), then each section 8-aligned. */
export function pack(p: Packed): Uint8Array {
  const raws = joined(p.strings.raws);
  const docs = joined(p.strings.docs);
  const terms = joined(p.strings.terms);
  const literalKeys = joined(p.strings.literalKeys);
  const regexKeys = joined(p.strings.regexKeys);
  const sections: Sections = {
    ...p.numbers,
    termText: terms.text,
    termStart: terms.start,
    literalKeyText: literalKeys.text,
    literalKeyStart: literalKeys.start,
    regexKeyText: regexKeys.text,
    regexKeyStart: regexKeys.start,
    rawText: raws.text,
    rawStart: raws.start,
    docText: docs.text,
    docStart: docs.start,
  };
  const counts = SECTIONS.map(([name]) => sections[name].length);
  const header = Buffer.from(
    JSON.stringify({
      avgLength: p.avgLength,
      counts,
      keys: [p.strings.terms.length, p.strings.literalKeys.length, p.strings.regexKeys.length],
    }),
    'utf8',
  );
  let size = align(8 + header.length);
  for (const [name, kind] of SECTIONS) size = align(size + sections[name].length * BYTES[kind]);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  let at = align(8 + header.length);
  for (const [name, kind] of SECTIONS) {
    const arr = sections[name];
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.length * BYTES[kind]), at);
    at = align(at + arr.length * BYTES[kind]);
  }
  return out;
}

/** Throws (with what is wrong) on anything but a blob `pack` wrote; the cache then rebuilds. */
export function unpack(bytes: Uint8Array): Unpacked {
  // Typed arrays need aligned offsets: a Buffer from a pool may start anywhere.
  const buf = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  if (buf.length < 8) throw new Error('the index is truncated');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  if (view.getUint32(0, true) !== MAGIC) throw new Error('the index has the wrong format');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > buf.length) throw new Error('the index is truncated');
  const header = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + 8, headerLength).toString('utf8')) as {
    avgLength: unknown;
    counts: unknown;
    keys: unknown;
  };
  const keyCounts = header.keys;
  if (
    typeof header.avgLength !== 'number' ||
    !Array.isArray(header.counts) ||
    !Array.isArray(keyCounts) ||
    keyCounts.length !== 3
  )
    throw new Error('the index header is malformed');
  let at = align(8 + headerLength);
  const sections = {} as Record<keyof Sections, Uint32Array | Float64Array | Uint8Array>;
  SECTIONS.forEach(([name, kind], i) => {
    const n: unknown = (header.counts as unknown[])[i];
    if (typeof n !== 'number' || n < 0 || at + n * BYTES[kind] > buf.length)
      throw new Error('the index is truncated');
    const offset = buf.byteOffset + at;
    sections[name] =
      kind === 'f64'
        ? new Float64Array(buf.buffer, offset, n)
        : kind === 'u32'
          ? new Uint32Array(buf.buffer, offset, n)
          : new Uint8Array(buf.buffer, offset, n);
    at = align(at + n * BYTES[kind]);
  });
  const s = sections as unknown as Sections;
  const text = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);
  const keys = (b: Uint8Array, start: Uint32Array, n: unknown): KeyList => {
    if (start.length !== (n as number) + 1) throw new Error('the index keys are inconsistent');
    return new PackedKeys(text(b), start);
  };
  const rawText = text(s.rawText);
  const docText = text(s.docText);
  const strings: UnpackedStrings = {
    terms: keys(s.termText, s.termStart, keyCounts[0]),
    literalKeys: keys(s.literalKeyText, s.literalKeyStart, keyCounts[1]),
    regexKeys: keys(s.regexKeyText, s.regexKeyStart, keyCounts[2]),
    rawCount: s.rawStart.length - 1,
    raw: (i) => rawText.toString('utf8', s.rawStart[i], s.rawStart[i + 1]),
    docCount: s.docStart.length - 1,
    doc: (i) => docText.toString('utf8', s.docStart[i], s.docStart[i + 1]),
  };
  const p: Unpacked = { avgLength: header.avgLength, strings, numbers: s };
  check(p, s);
  return p;
}

/** The cross-references a decoded index relies on, so that a damaged file fails here and not mid-paste. */
function check(p: Unpacked, t: TextSections): void {
  const { strings: s, numbers: n } = p;
  const ok =
    t.rawStart.length >= 1 &&
    t.docStart.length >= 1 &&
    t.rawStart[s.rawCount] === t.rawText.length &&
    t.docStart[s.docCount] === t.docText.length &&
    t.termStart[s.terms.length] === t.termText.length &&
    t.literalKeyStart[s.literalKeys.length] === t.literalKeyText.length &&
    t.regexKeyStart[s.regexKeys.length] === t.regexKeyText.length &&
    ascending(t.rawStart) &&
    ascending(t.docStart) &&
    ascending(t.termStart) &&
    ascending(t.literalKeyStart) &&
    ascending(t.regexKeyStart) &&
    n.postingStart.length === s.terms.length + 1 &&
    n.termOrder.length === s.terms.length &&
    every(n.termOrder, s.terms.length) &&
    n.postingMax.length === s.terms.length &&
    n.postingTf.length === n.postingGuide.length &&
    n.postingStart[s.terms.length] === n.postingGuide.length &&
    n.docNorm.length === s.docCount &&
    n.entryGuide.length === s.rawCount &&
    n.entryFlags.length === s.rawCount &&
    n.literalStart.length === s.literalKeys.length + 1 &&
    n.literalStart[s.literalKeys.length] === n.literalEntry.length &&
    n.literalOffset.length === n.literalEntry.length &&
    n.regexStart.length === s.regexKeys.length + 1 &&
    n.regexStart[s.regexKeys.length] === n.regexEntry.length &&
    every(n.postingGuide, s.docCount) &&
    every(n.entryGuide, s.docCount) &&
    every(n.literalEntry, s.rawCount) &&
    every(n.regexEntry, s.rawCount) &&
    every(n.substring, s.rawCount) &&
    every(n.always, s.rawCount) &&
    ascending(n.postingStart) &&
    ascending(n.literalStart) &&
    ascending(n.regexStart);
  if (!ok) throw new Error('the index is inconsistent');
}

function every(a: Uint32Array, below: number): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) >= below) return false;
  return true;
}

function ascending(a: Uint32Array): boolean {
  for (let i = 1; i < a.length; i++) if ((a[i] as number) < (a[i - 1] as number)) return false;
  return a.length === 0 || a[0] === 0;
}

function align(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Position of `key` in `keys`, or -1: `order` lists positions of `keys` in code-unit order (absent when
 * `keys` itself is sorted).
 */
export function findSorted(keys: KeyList, key: string, order?: Uint32Array): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = order ? (order[mid] as number) : mid;
    const k = keys.at(at) as string;
    if (k === key) return at;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Code-unit order, the order `findSorted` searches (not `localeCompare`). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A CSR range lookup: the key that `find` places at `i` owns the values from `start[i]` to `start[i + 1]`,
 * decoded by `decode` once per key.
 */
export class RangeLookup<V> implements KeyedLookup<V> {
  private readonly memo = new Map<number, V>();
  constructor(
    private readonly find: (key: string) => number,
    private readonly start: Uint32Array,
    private readonly decode: (from: number, to: number) => V,
    private readonly keyList: Iterable<string> = [],
  ) {}
  get(key: string): V | undefined {
    const i = this.find(key);
    if (i < 0) return undefined;
    let v = this.memo.get(i);
    if (v === undefined) {
      v = this.decode(this.start[i] as number, this.start[i + 1] as number);
      this.memo.set(i, v);
    }
    return v;
  }
  has(key: string): boolean {
    return this.find(key) >= 0;
  }
  /** The keys in the order of their positions. */
  keys(): Iterable<string> {
    return this.keyList;
  }
}

/** Keys cut from one UTF-8 section by offsets, each decoded once, when first read. */
class PackedKeys implements KeyList {
  private readonly decoded: (string | undefined)[];
  readonly length: number;
  constructor(
    private readonly text: Buffer,
    private readonly start: Uint32Array,
  ) {
    this.length = start.length - 1;
    this.decoded = new Array<string | undefined>(this.length);
  }
  at(i: number): string | undefined {
    if (i < 0 || i >= this.length) return undefined;
    return (this.decoded[i] ??= this.text.toString('utf8', this.start[i], this.start[i + 1]));
  }
  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as string;
  }
}
