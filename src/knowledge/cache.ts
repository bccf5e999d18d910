/**
 * The compiled knowledge cache: parsed guides and the built match index, kept on disk so that a one-shot
 * command starts without parsing YAML, validating guides or building the index. Only zod-free, yaml-free
 * modules are imported here: a start-up served from the cache must not load them.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  type Dirent,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchIndex, SNAPSHOT_FORMAT } from '../match/match-index.js';
import { exampleModelFor } from './example-model.js';
import type { KnowledgeBase } from './load.js';
import {
  EXAMPLE_MODEL_FILE,
  EXAMPLES_FILE,
  LogisticExampleModel,
  type PasteExample,
} from '../match/examples.js';
import type { Guide } from './schema.js';

export interface CompiledKnowledge {
  knowledge: KnowledgeBase;
  index: MatchIndex;
  /**
   * The example model of `knowledge.examples` and its guides: trained when the cache is built and kept in
   * it (the cache's stamp covers the examples), read on the first paste that asks; trained then when there
   * is no cache.
   */
  exampleModel: () => LogisticExampleModel;
}

export interface CacheOptions {
  env?: NodeJS.ProcessEnv;
  /** Where warnings go (a corrupt or unwritable cache); standard error by default. */
  warn?: (message: string) => void;
}

/** The cache folder, or undefined when `FAULTLINE_CACHE=0` turns the cache off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.FAULTLINE_CACHE === '0') return undefined;
  if (env.FAULTLINE_CACHE_DIR) return path.resolve(env.FAULTLINE_CACHE_DIR);
  const base = env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'faultline');
}

function defaultWarn(message: string): void {
  process.stderr.write(`faultline: warning: ${message}\n`);
}

function sha(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

let codeStampMemo: string | undefined;

declare global {
  interface ImportMeta {
    /** true in the bundle of dist/cli/ (rolldown.config.js defines it); undefined in tsc's output and under vitest. */
    faultlineBundle?: boolean;
  }
}

/**
 * Size and mtime of every module of this faultline (the bundle's chunks in dist/cli/ as users run it,
 * src/ under vitest, dist/src/ in tsc's output): a cache written by another build of the code, whose guide
 * shape or index may differ, is never used.
 */
export function codeStamp(): string {
  if (codeStampMemo) return codeStampMemo;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // The bundle is one flat folder of chunks, rewritten whole by every build; tsc's output is a tree.
  const root = import.meta.faultlineBundle ? here : path.dirname(here);
  const parts: string[] = [String(SNAPSHOT_FORMAT)];
  const walk = (dir: string) => {
    const entries: Dirent[] = readdirSync(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]s$/.test(e.name)) {
        const st = statSync(p);
        parts.push(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(root);
  codeStampMemo = sha(parts.join('\n'));
  return codeStampMemo;
}

interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

interface DirListing {
  dir: string;
  /** undefined when the folder does not exist (loading reports it as a problem). */
  files: FileStamp[] | undefined;
}

/** The guide files (`*.md`) and example pastes of each folder, as the loader reads them, with size and mtime: the quick check. */
function listGuides(dirs: readonly string[]): DirListing[] {
  return dirs.map((dir) => {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) return { dir, files: undefined };
      names = readdirSync(dir).filter(
        (n) => n.endsWith('.md') || n === EXAMPLES_FILE || n === EXAMPLE_MODEL_FILE,
      );
    } catch {
      return { dir, files: undefined };
    }
    names.sort();
    const files = names.map((name) => {
      const st = statSync(path.join(dir, name));
      return { name, size: st.size, mtimeMs: st.mtimeMs };
    });
    return { dir, files };
  });
}

/** Hash of every guide file's name and content, folder by folder: the check that settles it. */
function contentHash(listing: readonly DirListing[]): string {
  const h = createHash('sha256');
  for (const { dir, files } of listing) {
    h.update(`dir\0${dir}\0${files ? files.length : -1}\0`);
    for (const f of files ?? []) {
      h.update(`${f.name}\0`);
      h.update(readFileSync(path.join(dir, f.name)));
      h.update('\0');
    }
  }
  return h.digest('hex');
}

/**
 * A file changed within this long of the listing could change again without its mtime moving (coarse
 * filesystem clocks), so a listing that recent is confirmed by content, as git does for "racily clean" files.
 */
const RACY_MS = 2000;

/** What decides whether a cache file is still good; written first, so a stale file is rejected unread. */
interface CacheMeta {
  code: string;
  dirs: string[];
  listing: DirListing[];
  listedAt: number;
  content: string;
}

interface CacheFile {
  meta: CacheMeta;
  /** The knowledge base (`encodeKnowledge`), and the packed index (see `MatchIndex.snapshot`). */
  knowledge: Buffer;
  index: Uint8Array;
}

const MAGIC = 0x434b4c46; // "FLKC", little-endian
const HEADER_BYTES = 16;

/** Magic, the lengths of the meta and knowledge JSON, the index's offset (8-aligned for its typed arrays). */
function encode(f: CacheFile): Buffer {
  const meta = Buffer.from(JSON.stringify(f.meta), 'utf8');
  const indexAt = (HEADER_BYTES + meta.length + f.knowledge.length + 7) & ~7;
  const out = Buffer.alloc(indexAt + f.index.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(meta.length, 4);
  out.writeUInt32LE(f.knowledge.length, 8);
  out.writeUInt32LE(indexAt, 12);
  meta.copy(out, HEADER_BYTES);
  f.knowledge.copy(out, HEADER_BYTES + meta.length);
  out.set(f.index, indexAt);
  return out;
}

class NotACacheFile extends Error {}

/** The parts of a cache file; throws NotACacheFile for another kind of file, Error for a damaged one. */
function decode(buf: Buffer): CacheFile {
  if (buf.length < HEADER_BYTES || buf.readUInt32LE(0) !== MAGIC) throw new NotACacheFile();
  const metaLength = buf.readUInt32LE(4);
  const knowledgeLength = buf.readUInt32LE(8);
  const indexAt = buf.readUInt32LE(12);
  if (HEADER_BYTES + metaLength + knowledgeLength > indexAt || indexAt > buf.length)
    throw new Error('the file is truncated');
  const meta = JSON.parse(buf.subarray(HEADER_BYTES, HEADER_BYTES + metaLength).toString('utf8')) as unknown;
  if (!isMeta(meta)) throw new NotACacheFile();
  return {
    meta,
    knowledge: buf.subarray(HEADER_BYTES + metaLength, HEADER_BYTES + metaLength + knowledgeLength),
    index: buf.subarray(indexAt),
  };
}

function isMeta(v: unknown): v is CacheMeta {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.code === 'string' &&
    Array.isArray(c.dirs) &&
    Array.isArray(c.listing) &&
    typeof c.listedAt === 'number' &&
    typeof c.content === 'string'
  );
}

/** What is read of the knowledge base at once: each guide's id, its fields' names, and where its JSON is. */
interface KnowledgeHead {
  problems: KnowledgeBase['problems'];
  overridden: string[];
  /** Where the example pastes' JSON ends: it comes first, then the example model's, then the guides'. */
  examplesEnd: number;
  modelEnd: number;
  guides: { id: string; keys: string[]; end: number }[];
}

/**
 * The knowledge base as a JSON head (problems, and per guide its id, field names and where its JSON ends)
 * followed by the example pastes' JSON, the example model's and each guide's JSON: a start-up parses the
 * head, the model (or the examples) when a paste first needs their opinion, and a guide's page only when a
 * reply shows it.
 */
function encodeKnowledge(kb: KnowledgeBase, model: LogisticExampleModel): Buffer {
  const examples = Buffer.from(JSON.stringify(kb.examples), 'utf8');
  const modelBytes = Buffer.from(JSON.stringify(model.snapshot()), 'utf8');
  const bodies = kb.guides.map((g) => Buffer.from(JSON.stringify(g), 'utf8'));
  let end = examples.length + modelBytes.length;
  const head: KnowledgeHead = {
    problems: kb.problems,
    overridden: kb.overridden,
    examplesEnd: examples.length,
    modelEnd: end,
    guides: kb.guides.map((g, i) => ({ id: g.id, keys: Object.keys(g), end: (end += bodies[i]?.length ?? 0) })),
  };
  const headBytes = Buffer.from(JSON.stringify(head), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(headBytes.length, 0);
  return Buffer.concat([size, headBytes, examples, modelBytes, ...bodies]);
}

function isHead(v: unknown): v is KnowledgeHead {
  if (typeof v !== 'object' || v === null) return false;
  const kb = v as Record<string, unknown>;
  return (
    Array.isArray(kb.problems) &&
    Array.isArray(kb.overridden) &&
    typeof kb.examplesEnd === 'number' &&
    typeof kb.modelEnd === 'number' &&
    Array.isArray(kb.guides) &&
    kb.guides.every((g: unknown) => {
      const e = g as Record<string, unknown> | null;
      return (
        typeof e === 'object' &&
        e !== null &&
        typeof e.id === 'string' &&
        Array.isArray(e.keys) &&
        e.keys.every((k) => typeof k === 'string') &&
        typeof e.end === 'number'
      );
    })
  );
}

/** Throws (saying what is wrong) on bytes that `encodeKnowledge` did not write. */
function decodeKnowledge(
  buf: Buffer,
  file: string,
  warn: (m: string) => void,
): { knowledge: KnowledgeBase; exampleModel: () => LogisticExampleModel } {
  if (buf.length < 4) throw new Error('the guides are truncated');
  const headLength = buf.readUInt32LE(0);
  if (4 + headLength > buf.length) throw new Error('the guides are truncated');
  const head = JSON.parse(buf.toString('utf8', 4, 4 + headLength)) as unknown;
  if (!isHead(head)) throw new Error('the guides are not a knowledge base');
  const bodies = buf.subarray(4 + headLength);
  if (head.examplesEnd > head.modelEnd || head.modelEnd > bodies.length) throw new Error('the guides are truncated');
  let start = head.modelEnd;
  const guides = head.guides.map(({ id, keys, end }) => {
    if (end < start || end > bodies.length) throw new Error('the guides are truncated');
    const from = start;
    start = end;
    return lazyGuide(id, keys, () => bodies.toString('utf8', from, end));
  });
  if (start !== bodies.length) throw new Error('the guides are inconsistent');
  let examples: PasteExample[] | undefined;
  const kb = { guides, problems: head.problems, overridden: head.overridden } as Omit<KnowledgeBase, 'examples'>;
  // Most pastes are decided by a signature and never ask the examples: parse them on first read.
  const knowledge = Object.defineProperty(kb, 'examples', {
    enumerable: true,
    get: () => (examples ??= JSON.parse(bodies.toString('utf8', 0, head.examplesEnd)) as PasteExample[]),
  }) as KnowledgeBase;
  const exampleModel = () => {
    try {
      return LogisticExampleModel.fromSnapshot(
        JSON.parse(bodies.toString('utf8', head.examplesEnd, head.modelEnd)) as unknown,
      );
    } catch (e) {
      // Read long after the cache was checked: answer from a model trained now rather than from a broken one.
      warn(`knowledge cache ${file}: the example model is unreadable (${(e as Error).message}); training it again`);
      return LogisticExampleModel.train(knowledge.examples, knowledge.guides);
    }
  };
  return { knowledge, exampleModel };
}

/**
 * A guide whose id is there at once and whose other fields are parsed from its JSON on first read: a
 * one-shot command shows one guide, and parsing the pages of all of them was a tenth of its start-up.
 * The fields are ordinary enumerable properties to whoever reads, spreads or serialises the guide.
 */
function lazyGuide(id: string, keys: readonly string[], json: () => string): Guide {
  let parsed: Record<string, unknown> | undefined;
  const guide: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === 'id') guide.id = id;
    else
      Object.defineProperty(guide, key, {
        enumerable: true,
        configurable: true,
        get: () => (parsed ??= JSON.parse(json()) as Record<string, unknown>)[key],
        set: (value: unknown) =>
          Object.defineProperty(guide, key, { value, enumerable: true, configurable: true, writable: true }),
      });
  }
  return guide as unknown as Guide;
}

/** One file per list of folders; the content decides whether it is still good. */
export function knowledgeCacheFile(dir: string, dirs: readonly string[]): string {
  return path.join(dir, `knowledge-${sha(JSON.stringify(dirs)).slice(0, 20)}.bin`);
}

/** Written next to the target and renamed over it: readers see the old file or the new one, never half. */
export function writeAtomically(file: string, text: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file was never created.
    }
    throw e;
  }
}

type Lookup =
  | { kind: 'hit'; compiled: CompiledKnowledge }
  | { kind: 'miss'; listing: DirListing[]; listedAt: number; content: string | undefined };

function lookup(file: string, dirs: readonly string[], warn: (m: string) => void): Lookup {
  const listedAt = Date.now();
  const listing = listGuides(dirs);
  const miss = (content?: string): Lookup => ({ kind: 'miss', listing, listedAt, content });
  if (!existsSync(file)) return miss();
  let cached: CacheFile;
  try {
    cached = decode(readFileSync(file));
  } catch (e) {
    warn(
      e instanceof NotACacheFile
        ? `knowledge cache ${file} is not a faultline cache file; rebuilding it`
        : `knowledge cache ${file} is unreadable (${(e as Error).message}); rebuilding it`,
    );
    return miss();
  }
  const { meta } = cached;
  if (meta.code !== codeStamp() || JSON.stringify(meta.dirs) !== JSON.stringify(dirs)) return miss();
  const quick =
    JSON.stringify(meta.listing) === JSON.stringify(listing) &&
    listing.every(({ files }) => (files ?? []).every((f) => f.mtimeMs < meta.listedAt - RACY_MS));
  let content: string | undefined;
  if (!quick) {
    content = contentHash(listing);
    if (content !== meta.content) return miss(content);
  }
  try {
    const compiled = { ...decodeKnowledge(cached.knowledge, file, warn), index: new MatchIndex(cached.index) };
    // Touched but unchanged guides: record the new listing so that the next start is a quick check again.
    if (!quick) save(file, { ...cached, meta: { ...meta, listing, listedAt } }, warn);
    return { kind: 'hit', compiled };
  } catch (e) {
    warn(`knowledge cache ${file} is corrupt (${(e as Error).message}); rebuilding it`);
    return miss(content);
  }
}

function save(file: string, data: CacheFile, warn: (m: string) => void): void {
  try {
    writeAtomically(file, encode(data));
  } catch (e) {
    warn(`cannot write the knowledge cache ${file} (${(e as Error).message}); set FAULTLINE_CACHE=0 to stop trying`);
  }
}

/** The compiled knowledge if the cache holds it for exactly these guide files, else undefined. */
export function readKnowledgeCache(
  dirs: readonly string[],
  opts: CacheOptions = {},
): CompiledKnowledge | undefined {
  const dir = cacheDir(opts.env);
  if (!dir) return undefined;
  const r = lookup(knowledgeCacheFile(dir, dirs), dirs, opts.warn ?? defaultWarn);
  return r.kind === 'hit' ? r.compiled : undefined;
}

/**
 * The guides of `dirs` and their index, from the cache when it holds them for exactly these files, else
 * built with `build` and saved. A knowledge base with problems is kept too: the problems are part of it.
 */
export function loadKnowledgeCached(
  dirs: readonly string[],
  build: (dirs: readonly string[]) => KnowledgeBase,
  opts: CacheOptions = {},
): CompiledKnowledge {
  const dir = cacheDir(opts.env);
  const warn = opts.warn ?? defaultWarn;
  const compile = () => {
    const knowledge = build(dirs);
    let model: LogisticExampleModel | undefined;
    // The built-in folder ships its model; a team's own examples change the inputs, and then it is trained.
    const exampleModel = () => (model ??= exampleModelFor(dirs, knowledge, warn));
    return { knowledge, index: new MatchIndex(knowledge.guides), exampleModel };
  };
  if (!dir) return compile();
  const file = knowledgeCacheFile(dir, dirs);
  const r = lookup(file, dirs, warn);
  if (r.kind === 'hit') return r.compiled;
  // Hashed before parsing, so a guide edited while we read is caught by the next start, not cached as new.
  const content = r.content ?? contentHash(r.listing);
  const compiled = compile();
  save(
    file,
    {
      meta: { code: codeStamp(), dirs: [...dirs], listing: r.listing, listedAt: r.listedAt, content },
      // Trained once per change of the guides or examples, here, rather than on a paste.
      knowledge: encodeKnowledge(compiled.knowledge, compiled.exampleModel()),
      index: compiled.index.snapshot(),
    },
    warn,
  );
  return compiled;
}
