/**
 * The extension's index store (IndexedDB through Dexie), implementing the
 * same narrow IndexReader the matcher uses. The index is a list of immutable
 * segments (the bundled starter index, each feed's full index and its
 * deltas), each stored under its own generation number with its own global
 * doc range. An import writes a new generation in small batches and then
 * switches the active state (which names the live segments and the docs that
 * deltas removed) in a single transaction, so lookups always see a whole
 * index and the last good one survives any failure during an import.
 *
 * Postings are stored in buckets (one row per hash prefix, holding that
 * prefix's sorted hashes and their docs) — IndexedDB's cost is per row, so
 * rows of a hundred postings import fast and stay small. A membership (Bloom)
 * filter over each tier's hashes (kept in memory while the background lives) lets
 * a page look up only the k-grams the index may hold; each is stored as one Blob
 * in its segment's filter row, read once the worker's lookups pause, outside the
 * store's queue of requests (a page's reads never wait behind tens of MB), and
 * serves the lookups as soon as it is read. The rewrite tier's postings live in the same
 * table under bucket numbers from 2^16 on, with a filter of their own, and the
 * translation tier's (lib/translate/keys.ts) from 2 × 2^16 on, with a third.
 * Originals are found by id and by address through two key tiers packed the same
 * way (from 3 × 2^16 and 4 × 2^16, no filter), and their metadata is stored in
 * blocks of 64 (MetaBlockRow): IndexedDB's cost is per row and per index entry.
 */
import Dexie, { type Table } from 'dexie';
import { deflateSync, inflateSync } from 'fflate';
import type { Registry } from '../credit/registry';
import type { RetiredKey } from '../feed/format';
import type { FingerprintParams } from '../fingerprint';
import type { MemoryIndex } from '../index/memory-index';
import { sortedIndexOf } from '../index/sorted';
import { fnv1a, linkKey } from '../link-key';
import type { IndexHeader, IndexReader, LookupOptions, OriginalMeta, Postings, Tier } from '../index/types';
import type { RewriteParams } from '../rewrite/grams';
import { TERMS_VERSION } from '../rewrite/terms';
import { TRANSLATE_VERSION } from '../translate/keys';
import { TermTableBuilder, type SearchRow } from '../search/terms';
import { FilterProbes, filterSize, MAX_FILTER_BITS, MAX_PROBES, MAX_VERBATIM_FILTER_BITS } from './membership';
import { packBucket, unpackBucket } from './packed-bucket';

export interface BucketRow {
  gen: number;
  bucket: number;
  /** The bucket's hashes and their segment-local docs, packed (lib/store/packed-bucket.ts). */
  data: Uint8Array;
}
/** A bucket as schema 4 and before stored it (three arrays, global docs): converted by the upgrade to 5. */
interface BucketRowV4 {
  gen: number;
  bucket: number;
  hashes: Uint32Array;
  offsets: Uint32Array;
  docs: Uint32Array;
}
export interface FilterRow {
  gen: number;
  /**
   * Bytes of each tier's membership filter (verbatim, rewrite, translation; 0 where the segment
   * has no such tier): a Bloom filter whose probes for a hash fall in one part of partBytes
   * (lib/store/membership.ts).
   */
  bytes: [number, number, number];
  /**
   * Each tier's filter as a Blob (schema 10 on; null where the segment has no such tier): read
   * outside the store's queue of requests, 64 MB in about 0.3–0.5 s where rows of 32 KiB came at
   * about 12 MB/s.
   */
  blobs: [Blob | null, Blob | null, Blob | null];
  /** Each tier's probes per hash; absent (filters written before probes were counted, 2026-12-01): one, bit h mod (bytes × 8). */
  probes?: [number, number, number];
  /** Bytes of each part, the block a hash's probes fall in (a power of two; FILTER_PART_BYTES unless a test chose smaller ones). */
  partBytes: number;
  /**
   * The translation tier's long lists (more than LONG_LIST docs): their keys, ascending, and lengths.
   * A lookup that skips lists above some length (common concepts) then leaves their rows unread.
   */
  long3?: { hashes: Uint32Array; lengths: Uint32Array };
}
/** A filter row as schema 6 and before stored it (the three filters whole): converted by the upgrade to 7. */
interface FilterRowV6 {
  gen: number;
  bits: Uint8Array;
  bits2?: Uint8Array;
  bits3?: Uint8Array;
  long3?: FilterRow['long3'];
}
/** One part of a tier's membership filter as schemas 7–9 stored them: bytes [index × partBytes, …) of it; part = tier × 2^16 + index. */
export interface FilterPartRow {
  gen: number;
  part: number;
  bits: Uint8Array;
}
/**
 * Bytes of a filter part, the block that all of a hash's probes fall in (a filter smaller than
 * this is one part). Schemas 7–9 stored each part as a row of its own.
 */
export const FILTER_PART_BYTES = 1 << 15;

/** Lookups pause this long before a reader reads its filters (their Blobs' bytes share the store with the page's reads). */
const FILTER_LOAD_PAUSE_MS = 300;
/** … or this long after its first lookup at the latest. */
const FILTER_LOAD_WAIT_MS = 2000;

/** Sizes a reader can use: each tier's bytes a whole number of bytes, parts a power of two from 8 bytes to FILTER_PART_BYTES. */
function wellFormedFilter(row: FilterRow): boolean {
  const p = row.partBytes;
  return (
    Array.isArray(row.bytes) &&
    row.bytes.length === 3 &&
    row.bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 2 ** 28) &&
    Number.isInteger(p) &&
    p >= 8 &&
    p <= FILTER_PART_BYTES &&
    (p & (p - 1)) === 0 &&
    (row.probes === undefined || (Array.isArray(row.probes) && row.probes.length === 3 && row.probes.every((k) => Number.isInteger(k) && k >= 1 && k <= MAX_PROBES))) &&
    Array.isArray(row.blobs) &&
    row.blobs.length === 3 &&
    row.blobs.every((b, t) => (row.bytes[t] ? b instanceof Blob && b.size === row.bytes[t] : b === null || b instanceof Blob))
  );
}

/** A tier's filter as its parts' rows. */
function filterParts(gen: number, tier: number, bits: Uint8Array, partBytes = FILTER_PART_BYTES): FilterPartRow[] {
  const rows: FilterPartRow[] = [];
  for (let i = 0; i * partBytes < bits.length; i++) rows.push({ gen, part: tier * 2 ** 16 + i, bits: bits.slice(i * partBytes, (i + 1) * partBytes) });
  return rows;
}


/** Lists longer than this (counted before a later delta's removals) are named in the filter row (FilterRow.long3). */
export const LONG_LIST = 1000;

function longLists(p: Postings): { hashes: Uint32Array; lengths: Uint32Array } {
  const hashes: number[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < p.hashes.length; i++) {
    const n = p.offsets[i + 1]! - p.offsets[i]!;
    if (n > LONG_LIST) {
      hashes.push(p.hashes[i]!);
      lengths.push(n);
    }
  }
  return { hashes: Uint32Array.from(hashes), lengths: Uint32Array.from(lengths) };
}

/** At most 2^16 buckets per tier (bits of hash prefix). */
export const BUCKET_BITS = 16;
/**
 * Hashes a postings row holds, about, in a small segment (a feed's delta, the bundled index).
 * IndexedDB's cost is per row (in Chromium here about 0.2–0.3 ms a row written, whether it holds 50
 * hashes or 500): rows of about 512 hashes (2–3 KB) let a 10k delta write about 2,100 rows, not the
 * 15,800 that rows of 64 took (3.3 of its 5.8 s, measured 2026-12-01). A page's lookups read few rows
 * of a small segment (its filter passes only the hashes it holds).
 */
export const ROW_HASHES = 512;
/**
 * Hashes a row in a large segment (a full import: every page reads its rows): rows of 512 made a
 * page's lookups at 100k originals about 15 ms slower (load → badge p50 48–50 against 33–35 ms,
 * 2026-12-01), so large segments keep rows of about 64. At a million originals the cap of 2^16
 * buckets makes rows of about 1,100 hashes either way.
 */
export const LARGE_ROW_HASHES = 64;
/** A tier of at least this many hashes is large (a 10k delta has about 760,000 verbatim hashes, a 100k import 7.6M). */
export const LARGE_TIER = 1 << 21;
/**
 * Bits of hash prefix per bucket for a tier of `hashes` distinct hashes: about ROW_HASHES (or, in a
 * large tier, LARGE_ROW_HASHES) hashes a row, at least 2^4 and at most 2^16 buckets. A segment
 * records its bits (Segment.bucketBits), so segments written with another target (64 everywhere
 * before 2026-12-01) are read as they were written.
 */
export function bucketBitsFor(hashes: number): number {
  const perRow = hashes >= LARGE_TIER ? LARGE_ROW_HASHES : ROW_HASHES;
  return Math.min(BUCKET_BITS, Math.max(4, Math.ceil(Math.log2(Math.max(1, hashes / perRow)))));
}
const bucketIn = (h: number, bits: number) => h >>> (32 - bits);
/** The rewrite tier's buckets are numbered after the verbatim tier's, the translation tier's after those. */
export const REWRITE_BUCKETS = 1 << BUCKET_BITS;
export const TRANSLATE_BUCKETS = 2 << BUCKET_BITS;
/**
 * The key tiers (schema 8 on), after the postings tiers: an original's id (fnv1a of it) → its
 * segment-local docs, and its address (fnv1a of linkKey(url)) → its docs. They replace the indexes
 * by id and by address hash that each original's row had; no membership filter (a lookup reads
 * the bucket), and a hit is checked against the original's metadata (hashes collide).
 */
export const ID_BUCKETS = 3 << BUCKET_BITS;
export const URL_BUCKETS = 4 << BUCKET_BITS;
/**
 * Progress marker: every postings row of every tier is written, the key tiers' too. (Before the key
 * tiers it was 3 × 2^16, and before the translation tier 2 × 2^16: the upgrades to schemas 5 and 8
 * drop the imports under way, so that none resumes past rows it had not written.)
 */
export const POSTINGS_DONE = 5 << BUCKET_BITS;

/** A segment's bucket bits per tier: verbatim, rewrite, translation, id, address (segments written before they varied used 16). */
function bitsOf(s: Segment): [number, number, number, number, number] {
  const b: readonly number[] = s.bucketBits ?? [BUCKET_BITS, BUCKET_BITS];
  return [b[0]!, b[1]!, b[2] ?? BUCKET_BITS, b[3] ?? BUCKET_BITS, b[4] ?? BUCKET_BITS];
}
/**
 * An original's metadata as schemas 5 to 7 stored it (converted to blocks by the upgrade to 8): its
 * keys, and the rest as one JSON array (compactOf).
 */
export interface OriginalRow {
  gen: number;
  doc: number;
  id: string;
  m: string;
  /** Hash of the original's normalised address (lib/link-key.ts), indexed (schemas 6 and 7). */
  u?: number;
}
/** An original as schema 4 and before stored it (converted by the upgrade to 5). */
type OriginalRowV4 = OriginalMeta & { gen: number };

/**
 * An original's metadata but its doc and id as one array (no property names): [outlet, url, title,
 * published, lang, units, fps, group − doc, fps2, grams, sha], trailing absent ones left out.
 */
function compactOf(meta: OriginalMeta): unknown[] {
  const m: unknown[] = [meta.outlet, meta.url, meta.title, meta.published, meta.lang, meta.units, meta.fps, meta.group - meta.doc, meta.fps2 ?? null, meta.grams ?? null, meta.sha ?? null];
  while (m.at(-1) === null) m.pop();
  return m;
}

/** The metadata of a compact array (a malformed one is an IndexCorruptError). */
function metaOfCompact(m: unknown, doc: number, id: unknown): OriginalMeta {
  if (!Array.isArray(m) || m.length < 8 || typeof id !== 'string') throw new IndexCorruptError(`unreadable metadata of doc ${doc}`);
  const [outlet, url, title, published, lang, units, fps, group, fps2, grams, sha] = m as [string, string, string, string, string, number, number, number, number | null, number | null, string | null];
  return {
    doc,
    id,
    outlet,
    url,
    title,
    published,
    lang,
    units,
    fps,
    ...(fps2 != null ? { fps2 } : {}),
    ...(grams != null ? { grams } : {}),
    group: doc + group,
    ...(sha != null ? { sha } : {}),
  };
}

/** A schema 5–7 row of an original with global doc and group. */
export function originalRow(gen: number, meta: OriginalMeta): OriginalRow {
  const key = linkKey(meta.url);
  return { gen, doc: meta.doc, id: meta.id, m: JSON.stringify(compactOf(meta)), ...(key ? { u: fnv1a(key) } : {}) };
}

/** The metadata of a schema 5–7 row (a malformed row is an IndexCorruptError). */
export function metaOfRow(row: OriginalRow): OriginalMeta {
  let m: unknown;
  try {
    m = JSON.parse(row.m);
  } catch {
    m = undefined;
  }
  return metaOfCompact(m, row.doc, row.id);
}

/** Originals per metadata block: block = segment-local doc >> BLOCK_SHIFT. */
export const BLOCK_SHIFT = 6;
/**
 * The metadata of up to 64 originals of a segment (schema 8 on): one row where there were 64 (each
 * with two secondary index entries). `m` is a JSON array in UTF-8 with one entry per local doc
 * block × 64 + i: [id, ...compactOf(meta)], or null where the segment has no such doc. (UTF-8, not a
 * string: a string with one Chinese title would be stored two bytes a character throughout.)
 * Since 2026-12-02 `m` is deflated (raw deflate, `z: 1`): a block's 64 entries share outlets,
 * address patterns, dates and title words, so realistic metadata takes about a third of the bytes
 * (benchmarks); rows without `z` (written before) are read as they are.
 */
export interface MetaBlockRow {
  gen: number;
  block: number;
  m: Uint8Array;
  /** 1: `m` is raw deflate of the UTF-8 JSON, of `n` bytes (inflated into a buffer of that size: six times faster than letting it grow). */
  z?: 1;
  n?: number;
}
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The blocks of a segment's originals, given as [local doc, id, metadata] (group − doc is all the metadata keeps of docs). */
export function blockRows(gen: number, originals: Iterable<readonly [number, string, OriginalMeta]>): MetaBlockRow[] {
  const blocks = new Map<number, unknown[]>();
  for (const [local, id, meta] of originals) {
    const block = local >>> BLOCK_SHIFT;
    let entries = blocks.get(block);
    if (!entries) blocks.set(block, (entries = []));
    entries[local & ((1 << BLOCK_SHIFT) - 1)] = [id, ...compactOf(meta)];
  }
  return [...blocks.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([block, entries]) => {
      const json = utf8.encode(JSON.stringify(Array.from(entries, (e) => e ?? null)));
      return { gen, block, m: deflateSync(json, { level: META_LEVEL }), z: 1 as const, n: json.length };
    });
}
/** A block's JSON is at most this long (64 entries of a few hundred bytes; a larger `n` is not trusted as a buffer size). */
const MAX_BLOCK_BYTES = 1 << 22;
/** Deflate's level for metadata blocks: at 6 (zlib's default) realistic blocks took 88 bytes an original, at 4 90, at 1 96, in about the same time (0.4–0.5 ms a block). */
const META_LEVEL = 6;

/** A block's entries (a malformed block is an IndexCorruptError). */
function parseBlock(row: MetaBlockRow): unknown[] {
  let m: unknown;
  try {
    m = JSON.parse(fromUtf8.decode(row.z === 1 ? inflateSync(row.m, Number.isInteger(row.n) && row.n! > 0 && row.n! <= MAX_BLOCK_BYTES ? { out: new Uint8Array(row.n!) } : {}) : row.m));
  } catch {
    m = undefined;
  }
  if (!Array.isArray(m)) throw new IndexCorruptError(`unreadable metadata block ${row.block} of generation ${row.gen}`);
  return m;
}

/** The original of a block's entry (undefined where the block has none). */
function metaOfEntry(entry: unknown, doc: number): OriginalMeta | undefined {
  if (entry == null) return undefined;
  if (!Array.isArray(entry)) throw new IndexCorruptError(`unreadable metadata of doc ${doc}`);
  return metaOfCompact(entry.slice(1), doc, entry[0]);
}

/**
 * The key tiers' postings of a segment's originals, added as (local doc, id, url): fnv1a(id) → docs
 * and fnv1a(linkKey(url)) → docs (an address that is not http(s) has no key), docs ascending.
 */
class KeyTiers {
  private readonly ids: [number[], number[]] = [[], []];
  private readonly urls: [number[], number[]] = [[], []];
  add(local: number, id: string, url: string): void {
    this.ids[0].push(fnv1a(id));
    this.ids[1].push(local);
    const key = linkKey(url);
    if (key) {
      this.urls[0].push(fnv1a(key));
      this.urls[1].push(local);
    }
  }
  postings(): { id: Postings; url: Postings } {
    return { id: postingsOf(...this.ids), url: postingsOf(...this.urls) };
  }
}

function postingsOf(keys: number[], locals: number[]): Postings {
  const order = Uint32Array.from(keys, (_, i) => i).sort((x, y) => keys[x]! - keys[y]! || locals[x]! - locals[y]!);
  const hashes: number[] = [];
  const offsets: number[] = [];
  const docs = new Uint32Array(order.length);
  order.forEach((at, i) => {
    if (!i || keys[at] !== keys[order[i - 1]!]) {
      hashes.push(keys[at]!);
      offsets.push(i);
    }
    docs[i] = locals[at]!;
  });
  offsets.push(order.length);
  return { hashes: Uint32Array.from(hashes), offsets: Uint32Array.from(offsets), docs };
}

/** A tier's rows, bucket by bucket, leaving out buckets below `from`. */
function* tierRows(gen: number, p: Postings, base: number, tierBits: number, docLimit: number, from = 0): Generator<BucketRow> {
  const H = p.hashes.length;
  for (let a = 0; a < H; ) {
    const bucket = base + bucketIn(p.hashes[a]!, tierBits);
    let b = a;
    while (b < H && base + bucketIn(p.hashes[b]!, tierBits) === bucket) b++;
    if (bucket >= from) yield { gen, bucket, data: packBucket(p.hashes, p.offsets, p.docs, a, b, 32 - tierBits, docLimit) };
    a = b;
  }
}

export interface TextRow {
  gen: number;
  doc: number;
  text: string;
}
/** One immutable part of the index: a full feed, a delta, or the bundled starter index. */
export interface Segment {
  gen: number;
  /** Which source it belongs to: "bundled" or a feed id. */
  feed: string;
  /** Its originals have the global docs docBase … docBase + header.originals − 1. */
  docBase: number;
  header: IndexHeader;
  /** Distinct outlets of its originals. */
  outlets: string[];
  /** Global docs of its originals that later deltas removed or replaced. */
  removed: number[];
  /**
   * Bits of hash prefix per bucket: verbatim, rewrite, translation (when the segment carries it;
   * 16 when not), id and address tier (schema 8 on). Absent: 16 each, as written before they varied.
   */
  bucketBits?: [number, number] | [number, number, number] | [number, number, number, number, number];
}

/** What the store holds from one source. */
export interface SourceRecord {
  /** "bundled" or the feed id. */
  id: string;
  /** The feed's title, as its manifest gives it. */
  title?: string;
  /** Feed version (0 for the bundled index). */
  version: number;
  created: string;
  expires?: string;
  /** SHA-256 of the manifest installed (a replayed manifest is recognised by it). */
  manifestSha256?: string;
  /** The publisher key the feed was installed with (after any rotation it followed): the id stays bound to it. */
  publicKey?: string;
  /** The digest of the next key the feed committed to (lib/feed/key-chain.ts). */
  nextKey?: string;
  /** Keys of this feed no longer accepted (rotated away or revoked). */
  retiredKeys?: RetiredKey[];
  /** The feed's key was revoked: no update is accepted and its originals no longer mark copies on their own. */
  revoked?: RetiredKey;
  installedAt: string;
  /** The feed's outlet registry, when its manifest carries one. */
  registry?: Registry;
  /** The bundled index's identity (lib/store/bundled-index.ts): a changed one is imported again. */
  identity?: string;
}

export interface ActiveIndex {
  key: 'active';
  params: FingerprintParams;
  segments: Segment[];
  sources: Record<string, SourceRecord>;
  /** Next unused generation and global doc number (never reused). */
  nextGen: number;
  nextDoc: number;
  /** Originals that lookups can find (all segments, less removed ones). */
  originals: number;
  outlets: number;
  installedAt: string;
}

export class IndexDb extends Dexie {
  state!: Table<ActiveIndex | Allocation, string>;
  buckets!: Table<BucketRow, [number, number]>;
  filters!: Table<FilterRow, number>;
  /** Originals' metadata, 64 a row (schema 8 on). */
  metaBlocks!: Table<MetaBlockRow, [number, number]>;
  texts!: Table<TextRow, [number, number]>;
  /** The popup search's term table (lib/search/terms.ts), per generation. */
  search!: Table<SearchRow, [number, string]>;
  /** Feed imports under way (so that one resumes after the worker is stopped). */
  jobs!: Table<SyncJob, string>;

  constructor(name = 'provenance-index', options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      state: 'key',
      postings: '[gen+hash]',
      originals: '[gen+doc], gen',
      texts: '[gen+doc]',
    });
    // v2: bucketed postings and a membership filter (v1 rows are dropped; the bundled index is re-imported).
    this.version(2)
      .stores({ postings: null, buckets: '[gen+bucket]', filters: 'gen' })
      .upgrade((tx) => tx.table('state').clear());
    // v3: segments (full feeds, deltas, bundled index side by side); originals findable by id for deltas.
    this.version(3)
      .stores({ originals: '[gen+doc], gen, id', jobs: 'feed' })
      .upgrade(async (tx) => {
        await tx.table('state').clear();
        await Promise.all(['buckets', 'filters', 'originals', 'texts'].map((t) => tx.table(t).clear()));
      });
    // v4: the search term table (built at import: the store is cleared and imported again).
    this.version(4)
      .stores({ search: '[gen+key]' })
      .upgrade(async (tx) => {
        await tx.table('state').clear();
        await Promise.all(['buckets', 'filters', 'originals', 'texts', 'jobs'].map((t) => tx.table(t).clear()));
      });
    // v5: postings buckets packed (lib/store/packed-bucket.ts) and originals' metadata in one string a row (no index by
    // generation: rows of one are a key range), converted in place: feeds and the bundled index are kept.
    this.version(5)
      .stores({ originals: '[gen+doc], id' })
      .upgrade(async (tx) => {
        await tx
          .table('originals')
          .toCollection()
          .modify((row: OriginalRow | OriginalRowV4, ref: { value?: OriginalRow }) => {
            if ('m' in row) return;
            const { gen, ...meta } = row;
            ref.value = originalRow(gen, meta);
          });
        const active = (await tx.table('state').get('active')) as ActiveIndex | undefined;
        const segments = new Map((active?.segments ?? []).map((s) => [s.gen, s]));
        // Imports under way are dropped (their feeds sync again; start-up discards their staging generations).
        await tx.table('jobs').clear();
        await tx
          .table('buckets')
          .toCollection()
          .modify((row: BucketRow | BucketRowV4, ref: { value?: BucketRow }) => {
            if ('data' in row) return;
            const seg = segments.get(row.gen);
            if (!seg) {
              delete ref.value;
              return;
            }
            const tier = row.bucket >= TRANSLATE_BUCKETS ? 2 : row.bucket >= REWRITE_BUCKETS ? 1 : 0;
            const local = row.docs.map((d) => d - seg.docBase);
            ref.value = { gen: row.gen, bucket: row.bucket, data: packBucket(row.hashes, row.offsets, local, 0, row.hashes.length, 32 - bitsOf(seg)[tier]!, seg.header.originals) };
          });
      });
    // v6: originals findable by their address's hash (link marks), added in place.
    this.version(6)
      .stores({ originals: '[gen+doc], id, u' })
      .upgrade(async (tx) => {
        await tx
          .table('originals')
          .toCollection()
          .modify((row: OriginalRow) => {
            let url = '';
            try {
              url = metaOfRow(row).url;
            } catch {
              return; // an unreadable row stays as it is (a lookup of it reports the corruption)
            }
            const key = linkKey(url);
            if (key) row.u = fnv1a(key);
          });
      });
    // v7: membership filters stored in parts of 32 KiB (read a few at a time after a start), converted in place.
    this.version(7)
      .stores({ filterParts: '[gen+part]' })
      .upgrade(async (tx) => {
        const keys = (await tx.table('filters').toCollection().primaryKeys()) as number[];
        for (const key of keys) {
          const row = (await tx.table('filters').get(key)) as FilterRow | FilterRowV6 | undefined;
          if (!row || !('bits' in row)) continue;
          const tiers = [row.bits, row.bits2, row.bits3];
          await tx.table('filterParts').bulkPut(tiers.flatMap((b, t) => (b ? filterParts(row.gen, t, b) : [])));
          await tx.table('filters').put({ gen: row.gen, bytes: [row.bits.length, row.bits2?.length ?? 0, row.bits3?.length ?? 0], partBytes: FILTER_PART_BYTES, ...(row.long3 ? { long3: row.long3 } : {}) } satisfies Omit<FilterRow, 'blobs'>);
        }
      });
    // v8: originals' metadata in blocks of 64 (MetaBlockRow), and ids and addresses as two key tiers of
    // the buckets in place of the indexes on each original's row; converted in place, generation by
    // generation (feeds and the bundled index kept). Imports under way are dropped: their progress
    // marks predate the key tiers (their feeds sync again; start-up discards their staging generations).
    this.version(8)
      .stores({ originals: null, metaBlocks: '[gen+block]' })
      .upgrade(async (tx) => {
        await tx.table('jobs').clear();
        const active = (await tx.table('state').get('active')) as ActiveIndex | undefined;
        if (!active?.segments?.length) return;
        const segments: Segment[] = [];
        for (const seg of active.segments) {
          // A range of docs at a time (a multiple of a block), not a million rows at once.
          const keyTiers = new KeyTiers();
          const span = 1 << 16;
          for (let from = 0; from < seg.header.originals; from += span) {
            const range = [seg.docBase + from, seg.docBase + Math.min(from + span, seg.header.originals) - 1];
            const rows = (await tx.table('originals').where('[gen+doc]').between([seg.gen, range[0]], [seg.gen, range[1]], true, true).toArray()) as OriginalRow[];
            const metas = rows.map((r) => metaOfRow(r));
            for (const m of metas) keyTiers.add(m.doc - seg.docBase, m.id, m.url);
            await tx.table('metaBlocks').bulkPut(blockRows(seg.gen, metas.map((m) => [m.doc - seg.docBase, m.id, m] as const)));
          }
          const keys = keyTiers.postings();
          const b = bitsOf(seg);
          const keyBits = bucketBitsFor(seg.header.originals);
          const bucketBits: Segment['bucketBits'] = [b[0], b[1], b[2], keyBits, keyBits];
          for (const [p, base] of [[keys.id, ID_BUCKETS], [keys.url, URL_BUCKETS]] as const) await tx.table('buckets').bulkPut([...tierRows(seg.gen, p, base, keyBits, seg.header.originals)]);
          segments.push({ ...seg, bucketBits });
        }
        await tx.table('state').put({ ...active, segments });
      });
    // v9: postings rows of about ROW_HASHES hashes in small tiers (64 everywhere before). Installed segments keep the bucket bits
    // they record, but an import under way would resume past rows written with other bits: imports
    // under way are dropped with their staging generations' rows (their feeds sync again).
    this.version(9)
      .stores({})
      .upgrade(async (tx) => {
        const jobs = (await tx.table('jobs').toArray()) as SyncJob[];
        if (!jobs.length) return;
        const active = (await tx.table('state').get('active')) as ActiveIndex | undefined;
        const live = new Set((active?.segments ?? []).map((s) => s.gen));
        const gens = jobs.flatMap((j) => j.steps.map((s) => s.gen)).filter((g) => g >= 0 && !live.has(g));
        for (const gen of gens) await deleteGenerationRows((name) => tx.table(name), gen);
        const alloc = (await tx.table('state').get('alloc')) as Allocation | undefined;
        if (alloc) await tx.table('state').put({ ...alloc, staging: alloc.staging.filter((g) => !gens.includes(g)) });
        await tx.table('jobs').clear();
      });
    // v10: each tier's membership filter as one Blob in its filter row, converted from its parts in place
    // (the parts' table goes). A tier whose parts are not all there gets a filter that passes every
    // hash (its lookups read every wanted bucket: the same lists).
    this.version(10)
      .stores({ filterParts: null })
      .upgrade(async (tx) => {
        const keys = (await tx.table('filters').toCollection().primaryKeys()) as number[];
        for (const key of keys) {
          const row = (await tx.table('filters').get(key)) as (Omit<FilterRow, 'blobs'> & { blobs?: FilterRow['blobs'] }) | undefined;
          if (!row || row.blobs || !Array.isArray(row.bytes)) continue;
          const blobs: FilterRow['blobs'] = [null, null, null];
          for (let t = 0; t < 3; t++) {
            const bytes: number = row.bytes[t] ?? 0;
            if (!bytes) continue;
            const parts = (await tx.table('filterParts').where('[gen+part]').between([row.gen, t * 2 ** 16], [row.gen, t * 2 ** 16 + 2 ** 16 - 1], true, true).toArray()) as FilterPartRow[];
            const bits: Uint8Array<ArrayBuffer> = new Uint8Array(bytes);
            let covered = 0;
            for (const p of parts) {
              const at = (p.part - t * 2 ** 16) * row.partBytes;
              if (at + p.bits.length > bytes) covered = -Infinity;
              else (bits.set(p.bits, at), (covered += p.bits.length));
            }
            const whole = covered === bytes;
            if (!whole) bits.fill(0xff);
            blobs[t] = new Blob([bits]);
          }
          await tx.table('filters').put({ ...row, blobs } satisfies FilterRow);
        }
      });
  }

  async active(): Promise<ActiveIndex | undefined> {
    return (await this.state.get('active')) as ActiveIndex | undefined;
  }
}

/** One segment of a sync in progress: where it goes and how far its writing got. */
export interface JobStep {
  kind: 'full' | 'delta';
  from?: number;
  to: number;
  gen: number;
  docBase: number;
  progress: SegmentProgress;
  written: boolean;
}
export interface SyncJob {
  feed: string;
  /** The manifest this job installs; a job for another manifest is abandoned. */
  manifestSha256: string;
  steps: JobStep[];
  startedAt: string;
}

/** Generations handed out to imports not yet committed (so that a crash leaves no orphan unknown). */
export interface Allocation {
  key: 'alloc';
  nextGen: number;
  nextDoc: number;
  staging: number[];
  /** Which run (RUN: one a worker start, or a process) allocated each staging generation. */
  runs?: Record<number, string>;
  /** Generations a commit replaced, whose rows are being deleted (a crash there leaves them listed). */
  garbage?: number[];
}

export interface SegmentProgress {
  /** Postings rows written: buckets below this one are done. */
  bucket: number;
  /** Originals written. */
  metas: number;
}

export interface WriteOptions {
  /** Rows per write transaction (keeps each transaction short). */
  batch?: number;
  /** Called between batches with what is written so far, e.g. to save a checkpoint or to yield. */
  onProgress?: (done: SegmentProgress, total: { postings: number; originals: number }) => void | Promise<void>;
  /** Resume a write that stopped: skip what this says is done. */
  from?: SegmentProgress;
  /** Bytes of a membership filter's part (a power of two; tests choose small ones to have several). */
  filterPartBytes?: number;
}

/** Reserves a generation and a doc range for a segment that is about to be written. */
export async function allocate(db: IndexDb, docs: number): Promise<{ gen: number; docBase: number }> {
  return db.transaction('rw', db.state, async () => {
    const active = await db.active();
    const alloc = ((await db.state.get('alloc')) as Allocation | undefined) ?? { key: 'alloc', nextGen: 1, nextDoc: 0, staging: [] };
    const gen = Math.max(alloc.nextGen, active?.nextGen ?? 1);
    const docBase = Math.max(alloc.nextDoc, active?.nextDoc ?? 0);
    // Docs are stored as 32-bit numbers.
    if (docBase + docs > 0xffffffff) throw new Error('the index has used up its document numbers: clear the extension’s index data');
    const staging = [...alloc.staging, gen];
    const runs = Object.fromEntries(staging.filter((g) => alloc.runs?.[g]).map((g) => [g, alloc.runs![g]!]));
    await db.state.put({ ...alloc, nextGen: gen + 1, nextDoc: docBase + docs, staging, runs: { ...runs, [gen]: RUN } });
    return { gen, docBase };
  });
}

/**
 * Writes an index as segment `gen` with global docs starting at docBase, in
 * small batches. Nothing reads it until commit() names it in the active state.
 */
export async function writeSegment(db: IndexDb, gen: number, docBase: number, index: MemoryIndex, options: WriteOptions = {}): Promise<void> {
  const batch = options.batch ?? 2000;
  const from = options.from ?? { bucket: 0, metas: 0 };
  const bits = segmentBucketBits(index);
  const tiers: Array<[Postings, number, number]> = [[index.postings('verbatim'), 0, bits[0]]];
  if (index.header.rewrite) tiers.push([index.postings('rewrite'), REWRITE_BUCKETS, bits[1]]);
  const withTranslate = !!(index.header.translate && index.translatePostings);
  if (withTranslate) tiers.push([index.postings('translate'), TRANSLATE_BUCKETS, bits[2]]);
  const partBytes = options.filterPartBytes ?? FILTER_PART_BYTES;
  const filters = tiers.map(([p], t) => membershipFilter(p.hashes, t === 0 ? MAX_VERBATIM_FILTER_BITS : MAX_FILTER_BITS, partBytes));
  // The key tiers (ids and addresses → docs) after the postings tiers, without filters.
  const keyTiers = new KeyTiers();
  for (const m of index.metas) keyTiers.add(m.doc, m.id, m.url);
  const keys = keyTiers.postings();
  tiers.push([keys.id, ID_BUCKETS, bits[3]], [keys.url, URL_BUCKETS, bits[4]]);
  const total = { postings: tiers.reduce((n, [p]) => n + p.hashes.length, 0), originals: index.metas.length };
  // A batch is written while the next one is packed (the store does its work in another process);
  // each batch's progress is told once it is written, in order. No write is left running on failure.
  let writing: Promise<unknown> = Promise.resolve();
  const write = async (batchRows: BucketRow[], done?: SegmentProgress) => {
    await writing;
    writing = db.buckets.bulkPut(batchRows).then(() => done && options.onProgress?.(done, total));
    writing.catch(() => undefined); // awaited at the next batch or below
  };
  try {
    let rows: BucketRow[] = [];
    for (const [p, base, tierBits] of tiers) {
      for (const row of tierRows(gen, p, base, tierBits, index.metas.length, from.bucket)) {
        rows.push(row);
        if (rows.length >= batch / 10) {
          await write(rows, { bucket: row.bucket + 1, metas: from.metas });
          rows = [];
        }
      }
    }
    // The rows left over (of whichever tier came last, even if the last tier is empty).
    if (rows.length) await write(rows);
    await writing;
  } catch (e) {
    await writing.catch(() => undefined);
    throw e;
  }
  await options.onProgress?.({ bucket: POSTINGS_DONE, metas: from.metas }, total);
  const rewriteFilter = index.header.rewrite ? filters[1] : undefined;
  const translateFilter = withTranslate ? filters[filters.length - 1] : undefined;
  const tierFilters = [filters[0]!, rewriteFilter, translateFilter];
  const writeFilters = async () => {
    await db.filters.put({
      gen,
      blobs: tierFilters.map((f) => (f ? new Blob([f.bits as Uint8Array<ArrayBuffer>]) : null)) as FilterRow['blobs'],
      bytes: tierFilters.map((f) => f?.bits.length ?? 0) as FilterRow['bytes'],
      probes: tierFilters.map((f) => f?.probes ?? 1) as NonNullable<FilterRow['probes']>,
      partBytes,
      ...(translateFilter ? { long3: longLists(index.postings('translate')) } : {}),
    });
  };
  // The filters are written while the search term table is made, before the originals (a write
  // resumed among the originals has the table whole). Both are done, or failed, before going on.
  const settled = await Promise.allSettled([writeFilters(), from.metas ? undefined : writeSearchRows(db, gen, docBase, index, batch)]);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  // The originals' metadata, 64 a row, and their texts; `metas` counts the originals of the blocks written.
  const byBlock = new Map<number, OriginalMeta[]>();
  for (const m of index.metas) {
    const list = byBlock.get(m.doc >>> BLOCK_SHIFT);
    if (list) list.push(m);
    else byBlock.set(m.doc >>> BLOCK_SHIFT, [m]);
  }
  const blocks = [...byBlock.keys()].sort((x, y) => x - y);
  const perWrite = Math.max(1, Math.floor(batch / (1 << BLOCK_SHIFT)));
  let written = 0;
  for (let i = 0; i < blocks.length; i += perWrite) {
    const metas = blocks.slice(i, i + perWrite).flatMap((b) => byBlock.get(b)!);
    written += metas.length;
    if (written <= from.metas) continue;
    await db.metaBlocks.bulkPut(blockRows(gen, metas.map((m) => [m.doc, m.id, m] as const)));
    const texts = metas.flatMap((m) => (index.texts[m.doc] === undefined ? [] : [{ gen, doc: docBase + m.doc, text: index.texts[m.doc]! }]));
    if (texts.length) await db.texts.bulkPut(texts);
    await options.onProgress?.({ bucket: POSTINGS_DONE, metas: written }, total);
  }
}

/** Writes the search term table of a segment (lib/search/terms.ts), yielding between parts. */
async function writeSearchRows(db: IndexDb, gen: number, docBase: number, index: MemoryIndex, batch: number): Promise<void> {
  const builder = new TermTableBuilder();
  const metas = index.metas.every((m, i) => !i || m.doc > index.metas[i - 1]!.doc) ? index.metas : [...index.metas].sort((a, b) => a.doc - b.doc);
  for (let i = 0; i < metas.length; i++) {
    builder.add(docBase + metas[i]!.doc, metas[i]!);
    // Other work (a page's lookup) runs between parts.
    if (i % 20_000 === 19_999) await new Promise((r) => setTimeout(r, 0));
  }
  const rows = builder.rows(gen);
  const per = Math.max(50, Math.floor(batch / 10));
  for (let i = 0; i < rows.length; i += per) await db.search.bulkPut(rows.slice(i, i + per));
}

/**
 * A tier's membership filter (lib/store/membership.ts): 16 to 32 bits per distinct hash up to the
 * cap, with the probes that suit its size (under 0.1% false positives uncapped; about 2.5% for the
 * verbatim tier at 1M originals, 71M hashes in 64 MiB).
 */
function membershipFilter(hashes: Uint32Array, maxBits: number, partBytes: number): { bits: Uint8Array; probes: number } {
  const size = filterSize(hashes.length, maxBits);
  const bits = new Uint8Array(size.bits / 8);
  new FilterProbes({ bits: size.bits, partBits: partBytes * 8, probes: size.probes }).add(bits, hashes);
  return { bits, probes: size.probes };
}

/** Originals that lookups can find in these segments (removed and hidden ones left out). */
export function liveOriginals(segments: Segment[]): number {
  return segments.reduce((n, s) => n + s.header.originals - s.removed.length, 0);
}

/** A segment as commit() adds it. */
/**
 * Bucket bits of an index's tiers, as writeSegment writes them and the segment records them:
 * verbatim, rewrite, translation (16 when the index does not carry it), id and address tier.
 */
export function segmentBucketBits(index: MemoryIndex): [number, number, number, number, number] {
  const translate = index.header.translate && index.translatePostings ? bucketBitsFor(index.translatePostings.hashes.length) : BUCKET_BITS;
  const keys = bucketBitsFor(index.metas.length);
  return [bucketBitsFor(index.postings('verbatim').hashes.length), bucketBitsFor(index.postings('rewrite').hashes.length), translate, keys, keys];
}

export function segmentOf(gen: number, docBase: number, feed: string, index: MemoryIndex): Segment {
  return {
    bucketBits: segmentBucketBits(index), gen, feed, docBase, header: index.header, outlets: [...new Set(index.metas.map((m) => m.outlet))], removed: [] };
}

/**
 * Makes a new state active in one transaction: `change` gets the current
 * state and returns the new one. Generations that the new state no longer
 * names are deleted afterwards.
 */
export async function commit(db: IndexDb, change: (current: ActiveIndex | undefined) => ActiveIndex | Promise<ActiveIndex>): Promise<ActiveIndex> {
  const { next, dropped } = await db.transaction('rw', db.state, async () => {
    const current = await db.active();
    const next = await change(current);
    const alloc = (await db.state.get('alloc')) as Allocation | undefined;
    const live = new Set(next.segments.map((s) => s.gen));
    next.nextGen = Math.max(next.nextGen, alloc?.nextGen ?? 1, current?.nextGen ?? 1);
    next.nextDoc = Math.max(next.nextDoc, alloc?.nextDoc ?? 0, current?.nextDoc ?? 0);
    next.originals = liveOriginals(next.segments);
    next.outlets = new Set(next.segments.flatMap((s) => s.outlets)).size;
    if (!next.segments.every((s) => s.header.params.k === next.params.k && s.header.params.w === next.params.w))
      throw new Error('segments with different fingerprint parameters cannot be combined');
    await db.state.put(next);
    const dropped = (current?.segments ?? []).filter((s) => !live.has(s.gen)).map((s) => s.gen);
    const base = alloc ?? { key: 'alloc' as const, nextGen: next.nextGen, nextDoc: next.nextDoc, staging: [] };
    await db.state.put({ ...base, staging: base.staging.filter((g) => !live.has(g)), garbage: [...(base.garbage ?? []), ...dropped] });
    return { next, dropped };
  });
  await collectGarbage(db, dropped);
  return next;
}

/** Deletes the rows of replaced generations (all listed ones when `gens` is not given, e.g. left by a crash). */
export async function collectGarbage(db: IndexDb, gens?: number[]): Promise<void> {
  const listed = ((await db.state.get('alloc')) as Allocation | undefined)?.garbage ?? [];
  for (const gen of gens ?? listed) {
    await deleteGeneration(db, gen);
    await db.transaction('rw', db.state, async () => {
      const alloc = (await db.state.get('alloc')) as Allocation | undefined;
      if (alloc) await db.state.put({ ...alloc, garbage: (alloc.garbage ?? []).filter((g) => g !== gen) });
    });
  }
}

/**
 * Whether two records are the same original: id, address, outlet and the
 * hash of the text agree. A record without a hash (an index built before
 * hashes existed) is never the same as another.
 */
export function sameOriginal(a: OriginalMeta, b: OriginalMeta): boolean {
  return !!a.sha && a.sha === b.sha && a.id === b.id && a.url === b.url && a.outlet === b.outlet;
}

/**
 * Hides the bundled index's originals that a feed also carries, so that no
 * original is found, counted or listed twice; shown again when no feed
 * carries them any more. A feed hides a bundled original only with the same
 * original (sameOriginal): a feed that carries a bundled id with another
 * text, address or outlet cannot switch the bundled one off. Call after a
 * commit that changed the feeds.
 */
export async function refreshShadow(db: IndexDb): Promise<ActiveIndex | undefined> {
  const active = await db.active();
  if (!active) return undefined;
  const bundled = active.segments.filter((s) => s.feed === 'bundled');
  const feeds = active.segments.filter((s) => s.feed !== 'bundled');
  if (!bundled.length) return active;
  const own: OriginalMeta[] = [];
  for (const s of bundled) own.push(...(await segmentOriginals(db, s)));
  const feedRemoved = new Set(feeds.flatMap((s) => s.removed));
  const carried = new Set<number>();
  if (feeds.length && own.length) {
    const byId = new Map(own.map((o) => [o.id, o]));
    // The feeds' originals with the same ids (by the id tier; a hash may name others, the metadata says).
    const hits = (await docsByKey(db, feeds, 'id', [...new Set([...byId.keys()].map(fnv1a))])).filter((h) => !feedRemoved.has(h.doc));
    const metas = await readOriginals(db, hits.map((h) => [h.seg, h.doc] as const));
    for (const meta of metas) {
      const mine = meta && byId.get(meta.id);
      if (mine && sameOriginal(mine, meta)) carried.add(mine.doc);
    }
  }
  const hidden = own.filter((o) => carried.has(o.doc)).map((o) => o.doc).sort((a, b) => a - b);
  const same = (s: Segment) => s.removed.length === hidden.filter((d) => d >= s.docBase && d < s.docBase + s.header.originals).length && s.removed.every((d) => hidden.includes(d));
  if (bundled.every(same)) return active;
  return commit(db, (current) => ({
    ...current!,
    segments: current!.segments.map((s) => (s.feed === 'bundled' ? { ...s, removed: hidden.filter((d) => d >= s.docBase && d < s.docBase + s.header.originals) } : s)),
  }));
}

/** Deletes a staging generation that will not be committed (a failed or abandoned import). */
export async function discardStaging(db: IndexDb, gen: number): Promise<void> {
  const active = await db.active();
  if (active?.segments.some((s) => s.gen === gen)) return;
  await deleteGeneration(db, gen);
  await db.transaction('rw', db.state, async () => {
    const alloc = (await db.state.get('alloc')) as Allocation | undefined;
    if (alloc) await db.state.put({ ...alloc, staging: alloc.staging.filter((g) => g !== gen) });
  });
}

/** Staging generations: imports under way, and any a stopped run left. */
export async function stagingGenerations(db: IndexDb): Promise<number[]> {
  return (((await db.state.get('alloc')) as Allocation | undefined)?.staging ?? []).slice();
}

/** This run of the code (a worker start, a process): imports it starts are its own. */
const RUN = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

/**
 * Deletes the staging generations that an earlier run allocated and no import will resume (a worker
 * stopped during an import leaves its rows; a feed's sync job names the generations it resumes).
 * Imports this run started are left alone, whatever their state. Returns the generations deleted.
 */
export async function sweepStaging(db: IndexDb, resumable: ReadonlySet<number>): Promise<number[]> {
  const alloc = (await db.state.get('alloc')) as Allocation | undefined;
  const abandoned = (alloc?.staging ?? []).filter((g) => alloc?.runs?.[g] !== RUN && !resumable.has(g));
  for (const gen of abandoned) await discardStaging(db, gen);
  return abandoned;
}

export interface ImportOptions extends WriteOptions {
  /** Source id whose segments the index replaces ("bundled" by default). */
  feed?: string;
  /** Replace every source, not only `feed` (benchmarks). */
  replaceAll?: boolean;
  version?: number;
  /** Kept on the source record (the bundled index's identity). */
  identity?: string;
}

/** Imports a whole index as the only segment of its source, then makes it active. */
export async function importIndex(db: IndexDb, index: MemoryIndex, options: ImportOptions = {}): Promise<ActiveIndex> {
  const feed = options.feed ?? 'bundled';
  const { gen, docBase } = await allocate(db, index.metas.length);
  try {
    await writeSegment(db, gen, docBase, index, options);
  } catch (e) {
    await discardStaging(db, gen).catch(() => undefined);
    throw e;
  }
  return commit(db, (current) => replaceSource(current, feed, [segmentOf(gen, docBase, feed, index)], {
    id: feed,
    version: options.version ?? 0,
    created: index.header.created,
    ...(options.identity ? { identity: options.identity } : {}),
    installedAt: new Date().toISOString(),
  }, options.replaceAll));
}

/**
 * A source's record by id. Sources are a plain object keyed by feed ids, which
 * may be any of "constructor", "toString", …: only own properties count.
 */
export function sourceOf(active: ActiveIndex | undefined, id: string): SourceRecord | undefined {
  return active && Object.hasOwn(active.sources, id) ? active.sources[id] : undefined;
}

/** The sources with `id`'s record set (a new object; defined, never assigned, so that no id reaches a prototype). */
export function withSource(sources: Record<string, SourceRecord> | undefined, id: string, record: SourceRecord): Record<string, SourceRecord> {
  return Object.fromEntries([...Object.entries(sources ?? {}).filter(([k]) => k !== id), [id, record]]);
}

/** The state with `feed`'s segments replaced by `segments`. */
export function replaceSource(
  current: ActiveIndex | undefined,
  feed: string,
  segments: Segment[],
  record: SourceRecord,
  replaceAll = false,
): ActiveIndex {
  const kept = replaceAll ? [] : (current?.segments ?? []).filter((s) => s.feed !== feed);
  const sources = withSource(replaceAll ? {} : current?.sources, feed, record);
  const params = kept.length ? current!.params : segments[0]!.header.params;
  return {
    key: 'active',
    params,
    segments: [...kept, ...segments].sort((a, b) => a.docBase - b.docBase),
    sources,
    nextGen: current?.nextGen ?? 1,
    nextDoc: current?.nextDoc ?? 0,
    originals: 0,
    outlets: 0,
    installedAt: record.installedAt,
  };
}

/** The tables (schema 8 on) whose rows are keyed by generation first, and their keys (the filters' rows are keyed by generation alone). */
const GENERATION_TABLES = [
  ['buckets', '[gen+bucket]'],
  ['metaBlocks', '[gen+block]'],
  ['texts', '[gen+doc]'],
  ['search', '[gen+key]'],
] as const;

type GenerationTable = (typeof GENERATION_TABLES)[number][0] | 'filters';

/** Deletes a generation's rows of every table, the tables named through `table` (the database's, or an upgrade transaction's). */
async function deleteGenerationRows(table: (name: string) => Table, gen: number): Promise<void> {
  for (const [name, key] of GENERATION_TABLES) await table(name).where(key).between([gen, Dexie.minKey], [gen, Dexie.maxKey]).delete();
  await table('filters').delete(gen);
}

export async function deleteGeneration(db: IndexDb, gen: number): Promise<void> {
  // The database's own table objects (a test may stand in for one of them).
  await deleteGenerationRows((name) => db[name as GenerationTable] as Table, gen);
}

/** A map that keeps its `size` most recently used entries (a get makes an entry the newest). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly size: number) {}
  get(key: K): V | undefined {
    const got = this.map.get(key);
    if (got !== undefined) {
      this.map.delete(key);
      this.map.set(key, got);
    }
    return got;
  }
  set(key: K, value: V): void {
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

/** Parsed metadata blocks kept by a reader, by generation and block. */
export class BlockCache {
  private readonly blocks: Lru<string, unknown[]>;
  constructor(size = 64) {
    this.blocks = new Lru(size);
  }
  get(gen: number, block: number): unknown[] | undefined {
    return this.blocks.get(`${gen}/${block}`);
  }
  set(gen: number, block: number, entries: unknown[]): void {
    this.blocks.set(`${gen}/${block}`, entries);
  }
}

/**
 * The metadata of global docs, each given with the segment that holds it (undefined: none does), read
 * from their blocks in one bulkGet (blocks in `cache` are not read again). Undefined where the segment
 * has no such original; removed originals are not left out. Only the store is awaited, so this runs
 * inside a caller's read transaction.
 */
export async function readOriginals(db: IndexDb, docs: ReadonlyArray<readonly [Segment | undefined, number]>, cache?: BlockCache): Promise<Array<OriginalMeta | undefined>> {
  const parsed = new Map<string, unknown[] | undefined>();
  const wanted: Array<[number, number]> = [];
  for (const [seg, doc] of docs) {
    if (!seg) continue;
    const block = (doc - seg.docBase) >>> BLOCK_SHIFT;
    const key = `${seg.gen}/${block}`;
    if (parsed.has(key)) continue;
    const hit = cache?.get(seg.gen, block);
    parsed.set(key, hit);
    if (!hit) wanted.push([seg.gen, block]);
  }
  if (wanted.length) {
    const rows = await db.metaBlocks.bulkGet(wanted);
    rows.forEach((row, i) => {
      if (!row) return;
      const entries = parseBlock(row);
      parsed.set(`${wanted[i]![0]}/${wanted[i]![1]}`, entries);
      cache?.set(row.gen, row.block, entries);
    });
  }
  return docs.map(([seg, doc]) => {
    if (!seg) return undefined;
    const local = doc - seg.docBase;
    return metaOfEntry(parsed.get(`${seg.gen}/${local >>> BLOCK_SHIFT}`)?.[local & ((1 << BLOCK_SHIFT) - 1)], doc);
  });
}

/** Every original of a segment, in doc order (removed ones too). */
export async function segmentOriginals(db: IndexDb, seg: Segment): Promise<OriginalMeta[]> {
  const out: OriginalMeta[] = [];
  for (const row of await db.metaBlocks.where('[gen+block]').between([seg.gen, Dexie.minKey], [seg.gen, Dexie.maxKey]).toArray())
    parseBlock(row).forEach((entry, i) => {
      const meta = metaOfEntry(entry, seg.docBase + row.block * (1 << BLOCK_SHIFT) + i);
      if (meta) out.push(meta);
    });
  return out;
}

/**
 * The global docs, in these segments, of originals whose id (tier "id": fnv1a(id)) or address (tier
 * "url": fnv1a(linkKey(url))) hashes to one of `keys`, removed ones included. Hashes collide: check
 * each hit's metadata. Only the store is awaited (usable inside a caller's read transaction).
 */
export async function docsByKey(db: IndexDb, segments: readonly Segment[], tier: 'id' | 'url', keys: readonly number[]): Promise<Array<{ seg: Segment; doc: number }>> {
  const t = tier === 'id' ? 3 : 4;
  const base = tier === 'id' ? ID_BUCKETS : URL_BUCKETS;
  const reads: Array<{ key: [number, number]; seg: Segment; lows: number[] }> = [];
  for (const seg of segments) {
    const tierBits = bitsOf(seg)[t];
    const lowMask = tierBits <= 0 ? 0xffffffff : 2 ** (32 - tierBits) - 1;
    const byBucket = new Map<number, Set<number>>();
    for (const h of keys) {
      const b = base + bucketIn(h, tierBits);
      let lows = byBucket.get(b);
      if (!lows) byBucket.set(b, (lows = new Set()));
      lows.add((h & lowMask) >>> 0);
    }
    for (const [b, lows] of byBucket) reads.push({ key: [seg.gen, b], seg, lows: [...lows].sort((x, y) => x - y) });
  }
  if (!reads.length) return [];
  const rows = await db.buckets.bulkGet(reads.map((r) => r.key));
  const out: Array<{ seg: Segment; doc: number }> = [];
  rows.forEach((row, i) => {
    if (!row) return;
    const { seg, lows } = reads[i]!;
    let found: Array<Uint32Array | undefined>;
    try {
      found = unpackBucket(row.data, lows);
    } catch (e) {
      throw new IndexCorruptError(`key bucket ${row.bucket} of generation ${row.gen}: ${(e as Error).message}`);
    }
    for (const list of found) if (list) for (const local of list) out.push({ seg, doc: seg.docBase + local });
  });
  return out;
}

export class IndexCorruptError extends Error {
  override name = 'IndexCorruptError';
}

/** Errors that mean the stored data cannot be used as it is (as opposed to a passing failure). */
const CORRUPT = new Set(['IndexCorruptError', 'DataError', 'DataCloneError', 'VersionError', 'UpgradeError', 'SchemaError', 'UnknownError', 'InvalidStateError', 'NotFoundError']);
function isCorrupt(e: unknown): boolean {
  const err = e as { name?: string; inner?: { name?: string } };
  return CORRUPT.has(err?.name ?? '') || CORRUPT.has(err?.inner?.name ?? '');
}

/**
 * Opens the index, importing the bundled one when there is none. A database
 * that cannot be opened or read (deleted under us, corrupted, from an unknown
 * schema) is deleted and rebuilt from the bundled index; feeds then sync in
 * full again. Reports live in another database and are never touched.
 * `imported` says that the store held no index (first run, or a schema
 * upgrade that cleared it): subscribed feeds must sync now, not at the next alarm.
 */
export async function openOrRebuild(
  db: IndexDb,
  importBundled: (db: IndexDb) => Promise<unknown>,
): Promise<{ db: IndexDb; reader: DexieIndexReader; rebuilt: boolean; imported: boolean }> {
  let rebuilt = false;
  let reader: DexieIndexReader | undefined;
  try {
    reader = await DexieIndexReader.open(db);
  } catch (first) {
    const name = db.name;
    db.close();
    db = new IndexDb(name);
    // Unreadable data is rebuilt; anything else (a connection closed under us) gets one fresh try first.
    let broken = isCorrupt(first);
    if (!broken) {
      try {
        reader = await DexieIndexReader.open(db);
      } catch (second) {
        broken = isCorrupt(second);
        if (!broken) throw second;
      }
    }
    if (broken) {
      db.close();
      await Dexie.delete(name);
      db = new IndexDb(name);
      rebuilt = true;
    }
  }
  let imported = false;
  if (!reader) {
    await importBundled(db);
    imported = true;
    reader = await DexieIndexReader.open(db);
  }
  if (!reader) throw new Error('the index could not be opened');
  return { db, reader, rebuilt, imported };
}

/** Reads the active segments. Use inside db.transaction('r', …) for one read transaction per page. */
export class DexieIndexReader implements IndexReader {
  readonly params: FingerprintParams;
  /** The rewrite tier's parameters, when a segment carries it (segments that do not are left out of its lookups). */
  readonly rewrite?: RewriteParams;
  /** The translation tier's key version, when a segment carries the tier of this code's keys (others are left out of its lookups). */
  readonly translate?: { version: number };
  /** Each segment's common grams of wording, by generation (made when first asked for). */
  private readonly common = new Map<number, ReadonlySet<number>>();
  private readonly segments: Segment[];
  private readonly removed: Set<number>;
  /** Each segment's filter row (sizes, long lists), by generation; null: the segment has none. */
  private readonly filters = new Map<number, FilterRow | null>();
  /** Each tier's filter once read, as views of its parts (empty until then), by generation and tier. */
  private readonly parts = new Map<number, Array<Array<Uint8Array | undefined>>>();
  private filtersRead = false;
  /** Each segment's tiers' probe layouts, by generation. */
  private readonly probes = new Map<number, Array<FilterProbes | undefined>>();

  /** A segment's filter of a tier, as read so far (a part not read yet passes every hash); undefined when it has none. */
  private filterOf(seg: Segment, tier: number): { probes: FilterProbes; parts: Array<Uint8Array | undefined> } | undefined {
    const row = this.filters.get(seg.gen);
    const parts = this.parts.get(seg.gen)?.[tier];
    return parts && row?.bytes?.[tier] ? { probes: this.probesOf(seg.gen, tier, row), parts } : undefined;
  }

  private probesOf(gen: number, tier: number, row: FilterRow): FilterProbes {
    let got = this.probes.get(gen);
    if (!got) this.probes.set(gen, (got = []));
    return (got[tier] ??= new FilterProbes({ bits: row.bytes[tier]! * 8, partBits: row.partBytes * 8, probes: row.probes?.[tier] ?? 1 }));
  }

  constructor(
    private readonly db: IndexDb,
    readonly state: ActiveIndex,
  ) {
    this.params = state.params;
    this.segments = [...state.segments].sort((a, b) => a.docBase - b.docBase);
    this.removed = new Set(state.segments.flatMap((s) => s.removed));
    // Segments whose grams differ from the newest one's (another k or term definition) are left out of the rewrite tier.
    // The rewrite tier of this code's term definition (segments of another are verbatim only), with the newest segment's k.
    const rw = this.segments.map((s) => s.header.rewrite).filter((r) => r?.terms === TERMS_VERSION).at(-1);
    if (rw) this.rewrite = { terms: rw.terms, k: rw.k, sketch: rw.sketch };
    if (this.segments.some((s) => s.header.translate?.version === TRANSLATE_VERSION)) this.translate = { version: TRANSLATE_VERSION };

  }

  static async open(db: IndexDb): Promise<DexieIndexReader | undefined> {
    const active = await db.active();
    if (!active) return undefined;
    if (!Array.isArray(active.segments) || !active.params || !active.segments.every((s) => Number.isInteger(s?.gen) && Number.isInteger(s?.docBase) && s.header && Array.isArray(s.removed)))
      throw new IndexCorruptError('the index database holds an unreadable state');
    if (!active.segments.length) return undefined;
    // The filters are read once lookups pause (lookup()): the first page after the worker starts is
    // scanned without them (every wanted bucket read), and their tens of MB at a million originals
    // are not read while that page's rows are.
    return new DexieIndexReader(db, active);
  }

  private filterLoad?: Promise<void>;
  private loadTimer?: ReturnType<typeof setTimeout>;
  private firstLookupAt?: number;

  /**
   * After a lookup: starts reading the filters once no lookup has come for FILTER_LOAD_PAUSE_MS (a
   * page's lookups, metadata and text reads are done), or FILTER_LOAD_WAIT_MS after the first
   * lookup at the latest (a timeline's posts keep coming).
   */
  private loadFiltersSoon(): void {
    if (this.filterLoad || this.filtersRead) return;
    const now = Date.now();
    this.firstLookupAt ??= now;
    if (this.loadTimer !== undefined) clearTimeout(this.loadTimer);
    const wait = Math.max(0, Math.min(FILTER_LOAD_PAUSE_MS, this.firstLookupAt + FILTER_LOAD_WAIT_MS - now));
    this.loadTimer = setTimeout(() => {
      this.loadTimer = undefined;
      this.startLoadingFilters();
    }, wait);
  }

  /** Starts reading the membership filters (once; again after a failed read), for the lookups after it ends. */
  startLoadingFilters(): void {
    if (this.filterLoad || this.filtersRead) return;
    this.filterLoad = this.loadFilters().catch(() => {
      this.filterLoad = undefined; // the next lookup tries again; lookups meanwhile read without them
    });
  }

  /**
   * Reads the membership filters once; later lookups use the copies in memory. The filter rows
   * (sizes and one Blob a tier) in a transaction of their own (not a caller's), then each Blob's
   * bytes, the verbatim tier's of every segment first: a Blob is read outside the store's queue of
   * requests (a page's reads never wait for it; 64 MB in about 0.3–0.5 s, where 32 KiB rows came
   * at about 12 MB/s), and a tier's filter serves lookups as soon as it is read.
   */
  async loadFilters(): Promise<void> {
    const missing = this.segments.filter((s) => !this.filters.has(s.gen));
    if (missing.length) {
      const rows = await Dexie.ignoreTransaction(() => this.db.filters.bulkGet(missing.map((s) => s.gen)));
      // A malformed row is not used (lookups then read every wanted bucket: the same lists, slower).
      for (const row of rows) if (row && !wellFormedFilter(row)) throw new IndexCorruptError(`unreadable membership filter of generation ${row.gen}`);
      missing.forEach((s, i) => this.filters.set(s.gen, rows[i] ?? null));
    }
    for (let tier = 0; tier < 3; tier++)
      for (const seg of this.segments) {
        const row = this.filters.get(seg.gen);
        const bytes = row?.bytes?.[tier] ?? 0;
        let got = this.parts.get(seg.gen);
        if (!got) this.parts.set(seg.gen, (got = [[], [], []]));
        const parts = got[tier]!;
        if (!row || !bytes || parts.length) continue;
        const blob = row.blobs[tier];
        const bits = blob ? new Uint8Array(await blob.arrayBuffer()) : undefined;
        if (!bits || bits.length !== bytes) throw new IndexCorruptError(`membership filter ${tier} of generation ${seg.gen} is ${bits ? 'cut short' : 'missing'}`);
        // Views of its parts (the probes of a hash fall in one part: lib/store/membership.ts).
        for (let i = 0; i * row.partBytes < bytes; i++) parts[i] = bits.subarray(i * row.partBytes, (i + 1) * row.partBytes);
      }
    this.filtersRead = true;
  }

  async lookup(hashes: Uint32Array, tier: Tier = 'verbatim', options: LookupOptions = {}): Promise<Uint32Array[]> {
    const empty = new Uint32Array(0);
    const out: Uint32Array[] = new Array(hashes.length).fill(empty);
    const maxDocs = options.maxDocs;
    /** Hashes whose list is longer than maxDocs in some segment (so in all): not read, returned empty. */
    const over = new Set<number>();
    // Until the filters are read, every wanted bucket is read, which gives the same lists.
    const keys: Array<[number, number]> = [];
    /** Per key: the hashes wanted from that bucket, the segment's doc base and the bucket's low bits. */
    const wantedOf: Array<{ list: number[]; docBase: number; lowBits: number }> = [];
    const rw = this.rewrite;
    const base = tier === 'rewrite' ? REWRITE_BUCKETS : tier === 'translate' ? TRANSLATE_BUCKETS : 0;
    for (const seg of this.segments) {
      const sr = seg.header.rewrite;
      if (tier === 'rewrite' && (!rw || !sr || sr.k !== rw.k || sr.terms !== rw.terms)) continue;
      if (tier === 'translate' && seg.header.translate?.version !== TRANSLATE_VERSION) continue;
      const t = tier === 'rewrite' ? 1 : tier === 'translate' ? 2 : 0;
      const loaded = this.filters.has(seg.gen);
      const row = this.filters.get(seg.gen) ?? null;
      // A segment whose translation rows were never written (its filter row has no third tier) has none to read.
      if (tier === 'translate' && loaded && !row?.bytes?.[2]) continue;
      // The tier's filter once read (until then every hash may be present).
      const filter = this.filterOf(seg, t);
      const tierBits = bitsOf(seg)[t]!;
      const long = tier === 'translate' && maxDocs !== undefined ? row?.long3 : undefined;
      // Which buckets to read: only for hashes the filter says may be present.
      const wanted = new Map<number, number[]>();
      for (let i = 0; i < hashes.length; i++) {
        const h = hashes[i]!;
        if (filter && !filter.probes.mayHold(filter.parts, h)) continue;
        if (over.has(i)) continue;
        if (long?.hashes.length) {
          const at = sortedIndexOf(long.hashes, h);
          if (at >= 0 && long.lengths[at]! > maxDocs!) {
            over.add(i);
            continue;
          }
        }
        const b = base + bucketIn(h, tierBits);
        const list = wanted.get(b);
        if (list) list.push(i);
        else wanted.set(b, [i]);
      }
      for (const [b, list] of wanted) {
        keys.push([seg.gen, b]);
        wantedOf.push({ list, docBase: seg.docBase, lowBits: 32 - tierBits });
      }
    }
    if (!keys.length) return out;
    const rows = await this.db.buckets.bulkGet(keys);
    this.loadFiltersSoon();
    rows.forEach((row, k) => {
      if (!row) return;
      const { list, docBase, lowBits } = wantedOf[k]!;
      const lowMask = lowBits >= 32 ? 0xffffffff : 2 ** lowBits - 1;
      // The wanted hashes' low bits, ascending and distinct, and which hashes ask for each.
      const lows = [...new Set(list.map((i) => (hashes[i]! & lowMask) >>> 0))].sort((x, y) => x - y);
      let found: Array<Uint32Array | undefined>;
      try {
        found = unpackBucket(row.data, lows);
      } catch (e) {
        throw new IndexCorruptError(`postings bucket ${row.bucket} of generation ${row.gen}: ${(e as Error).message}`);
      }
      const sortedLows = Uint32Array.from(lows);
      for (const i of list) {
        const local = found[sortedIndexOf(sortedLows, (hashes[i]! & lowMask) >>> 0)];
        if (!local) continue;
        let docs = new Uint32Array(local.length);
        for (let j = 0; j < local.length; j++) docs[j] = docBase + local[j]!;
        if (this.removed.size) docs = docs.filter((d) => !this.removed.has(d));
        if (!out[i]!.length) out[i] = docs;
        else if (docs.length) {
          // Segments are read in doc order, so the docs stay ascending.
          const both = new Uint32Array(out[i]!.length + docs.length);
          both.set(out[i]!);
          both.set(docs, out[i]!.length);
          out[i] = both;
        }
      }
    });
    if (maxDocs !== undefined) for (let i = 0; i < out.length; i++) if (over.has(i) || out[i]!.length > maxDocs) out[i] = empty;
    return out;
  }

  mayHold(hashes: Uint32Array, doc?: number): Uint8Array | undefined {
    if (!this.filtersRead) return undefined;
    const segs = doc === undefined ? this.segments : [this.segmentOf(doc)].filter((x): x is Segment => !!x);
    const out = new Uint8Array(hashes.length);
    for (const seg of segs) {
      const filter = this.filterOf(seg, 0);
      // A segment without a verbatim filter may hold anything.
      if (!filter) return out.fill(1);
      for (let i = 0; i < hashes.length; i++) if (!out[i] && filter.probes.mayHold(filter.parts, hashes[i]!)) out[i] = 1;
    }
    return out;
  }

  commonGramsOf(doc: number): ReadonlySet<number> | undefined {
    const s = this.segmentOf(doc);
    if (!s?.header.rewrite?.common?.length) return undefined;
    let set = this.common.get(s.gen);
    if (!set) this.common.set(s.gen, (set = new Set(s.header.rewrite.common)));
    return set;
  }

  /** The segment that holds global doc `doc`. */
  private segmentOf(doc: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.segments[mid]!;
      if (doc < s.docBase) hi = mid - 1;
      else if (doc >= s.docBase + s.header.originals) lo = mid + 1;
      else return s;
    }
    return undefined;
  }

  /** The source (feed id or "bundled") whose segment holds global doc `doc`. */
  feedOf(doc: number): string | undefined {
    return this.segmentOf(doc)?.feed;
  }

  /**
   * Whether a source other than those in `except` holds the same original
   * (sameOriginal), shown or hidden by the shadow (a bundled original that a
   * lapsed feed hides still vouches for itself).
   */
  async heldElsewhere(meta: OriginalMeta, except: ReadonlySet<string>): Promise<boolean> {
    const others = this.segments.filter((s) => !except.has(s.feed));
    const hits = (await docsByKey(this.db, others, 'id', [fnv1a(meta.id)])).filter(
      // Removed by a later delta of its feed (a bundled original hidden by the shadow still counts).
      ({ seg, doc }) => doc !== meta.doc && !(seg.feed !== 'bundled' && seg.removed.includes(doc)),
    );
    if (!hits.length) return false;
    const metas = await readOriginals(this.db, hits.map((h) => [h.seg, h.doc] as const), this.blocks);
    return metas.some((m) => !!m && sameOriginal(meta, m));
  }

  /** Recently parsed metadata blocks (a page's candidates are read, then the best ones again). */
  private readonly blocks = new BlockCache();

  async originals(docs: readonly number[]): Promise<Array<OriginalMeta | undefined>> {
    const metas = await readOriginals(this.db, docs.map((d) => [this.segmentOf(d), d] as const), this.blocks);
    return metas.map((m) => (!m || this.removed.has(m.doc) ? undefined : m));
  }

  /** Recently read texts: a page's best match is aligned and then shown, and hot originals recur. */
  private readonly texts = new Map<number, string | undefined>();

  async text(doc: number): Promise<string | undefined> {
    if (this.texts.has(doc)) return this.texts.get(doc);
    const gen = this.segmentOf(doc)?.gen;
    const text = gen === undefined ? undefined : (await this.db.texts.get([gen, doc]))?.text;
    this.texts.set(doc, text);
    if (this.texts.size > 32) this.texts.delete(this.texts.keys().next().value!);
    return text;
  }
}
