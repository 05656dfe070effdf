/**
 * The index builder for any number of originals in bounded memory (Node only;
 * `index build` uses it). Each original is fingerprinted as it is read; its
 * (hash, doc) pairs go to external sorts (lib/index/external-sort.ts: sorted
 * runs spilled to temporary files when the memory budget is reached, merged
 * k-way), its metadata and text to temporary files. At the end every tier's
 * postings are merged once (the verbatim tier twice: first to group
 * near-copies, then to drop stop-hashes) and written out as they come, then
 * the metadata with the counts and groups that only the whole index decides.
 * The output is byte for byte what IndexBuilder.finish() and writeIndexDir /
 * buildFeed write for the same originals; what stays in memory per original
 * is a few numbers (about 70 bytes with the id table), not its fingerprints, metadata or text.
 */
import { NEAR_COPY_MAX_DF, nearCopyGroups } from './near-copies';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintText } from '../fingerprint';
import { distinctGrams, sketchGrams } from '../rewrite/grams';
import { GramCounter } from '../rewrite/common-grams';
import { contentTerms } from '../rewrite/terms';
import type { Dictionary } from '../translate/dictionary';
import { textSketch, TRANSLATE_VERSION } from '../translate/keys';
import { DEFAULT_BUILD, type BuildOptions } from './build-index';
import { ExternalPairs } from './external-sort';
import { encodeMeta, INDEX_FILES } from './index-codec';
import { MemoryIndex } from './memory-index';
import { FileSink, LineReader, VarintSink } from './stream-files';
import { textSha } from './text-sha';
import type { IndexHeader, OriginalInput, OriginalMeta, Postings } from './types';

export interface StreamBuildOptions extends BuildOptions {
  /** Bytes of (hash, doc) pairs kept in memory before a sorted run goes to disk (default 1 GiB). */
  memoryBytes?: number;
  /** Where the temporary files go (a folder of their own is made inside it and removed at the end). */
  tmpDir: string;
}

export const DEFAULT_MEMORY_BYTES = 1 << 30;

/** What the index keeps of one original's text: its fingerprints of every tier and counts. */
export interface OriginalFeatures {
  distinct: Uint32Array;
  units: number;
  /** The rewrite tier's sketch, the original's distinct grams (counted for common grams) and their number. */
  sketch?: Uint32Array;
  wording?: Uint32Array;
  grams?: number;
  /** The translation tier's keys. */
  keys?: Uint32Array;
  sha: string;
}

/** An original's features exactly as IndexBuilder.add computes them. */
export function originalFeatures(text: string, opts: { params: BuildOptions['params'] & object; rewrite: BuildOptions['rewrite']; translate?: Dictionary }): OriginalFeatures {
  const fp = fingerprintText(text, opts.params);
  const distinct = Uint32Array.from(new Set(fp.hashes));
  const rw = opts.rewrite;
  const out: OriginalFeatures = { distinct, units: fp.seg.length, sha: textSha(text) };
  if (rw) {
    const terms = contentTerms(text, fp.seg);
    const sk = sketchGrams(terms, rw);
    out.wording = Uint32Array.from(distinctGrams(terms, rw.k, true));
    out.sketch = Uint32Array.from(sk.sketch);
    out.grams = sk.grams;
  }
  if (opts.translate) out.keys = textSketch(text, opts.translate);
  return out;
}

/** A growable array of 32-bit counts, one per original. */
class Column {
  a = new Uint32Array(1 << 12);
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      const b = new Uint32Array(Math.max(this.a.length * 2, i + 1));
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

/** Two 32-bit hashes of a string (FNV-1a and a multiplicative one). */
function idHashes(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return [h1 >>> 0, h2 >>> 0];
}

/**
 * The ids seen so far, as 64-bit hashes in an open-addressing table (8 bytes
 * and a doc per slot); a hash match is confirmed against the id itself (read
 * back from the metadata file), so two ids are never taken for one.
 */
class IdTable {
  private h1 = new Uint32Array(1 << 12);
  private h2 = new Uint32Array(1 << 12);
  private doc1 = new Uint32Array(1 << 12); // doc + 1; 0 = empty
  private n = 0;

  constructor(private readonly idOf: (doc: number) => string) {}

  private slot(a: number, b: number, id: string, insertDoc: number): number {
    const mask = this.h1.length - 1;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & mask;
    for (;;) {
      const d = this.doc1[i]!;
      if (d === 0) {
        if (insertDoc >= 0) {
          this.h1[i] = a;
          this.h2[i] = b;
          this.doc1[i] = insertDoc + 1;
          this.n++;
        }
        return -1;
      }
      if (this.h1[i] === a && this.h2[i] === b && this.idOf(d - 1) === id) return d - 1;
      i = (i + 1) & mask;
    }
  }

  has(id: string): boolean {
    const [a, b] = idHashes(id);
    return this.slot(a, b, id, -1) >= 0;
  }

  add(id: string, doc: number): void {
    if ((this.n + 1) * 2 > this.h1.length) this.grow();
    const [a, b] = idHashes(id);
    this.slot(a, b, id, doc);
  }

  private grow(): void {
    const [h1, h2, d1] = [this.h1, this.h2, this.doc1];
    const size = h1.length * 2;
    this.h1 = new Uint32Array(size);
    this.h2 = new Uint32Array(size);
    this.doc1 = new Uint32Array(size);
    const mask = size - 1;
    for (let j = 0; j < h1.length; j++) {
      if (!d1[j]) continue;
      let i = (h1[j]! ^ Math.imul(h2[j]!, 0x9e3779b1)) & mask;
      while (this.doc1[i]) i = (i + 1) & mask;
      this.h1[i] = h1[j]!;
      this.h2[i] = h2[j]!;
      this.doc1[i] = d1[j]!;
    }
  }
}

/**
 * Counts of doc pairs (key x·N + y) in insertion order, like a Map<number, number>
 * but in typed arrays (a Map holds at most 2^24 entries and costs far more per entry).
 */
class PairCounter {
  keys = new Float64Array(1 << 12);
  counts = new Uint32Array(1 << 12);
  size = 0;
  private table = new Uint32Array(1 << 13); // entry + 1

  private static hash(key: number): number {
    const lo = key >>> 0;
    const hi = Math.floor(key / 4294967296);
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  add(key: number): void {
    const mask = this.table.length - 1;
    let i = PairCounter.hash(key) & mask;
    for (;;) {
      const e = this.table[i]!;
      if (e === 0) break;
      if (this.keys[e - 1] === key) {
        this.counts[e - 1]!++;
        return;
      }
      i = (i + 1) & mask;
    }
    if (this.size === this.keys.length) {
      const k = new Float64Array(this.keys.length * 2);
      k.set(this.keys);
      this.keys = k;
      const c = new Uint32Array(this.counts.length * 2);
      c.set(this.counts);
      this.counts = c;
    }
    this.keys[this.size] = key;
    this.counts[this.size] = 1;
    this.size++;
    this.table[i] = this.size;
    if (this.size * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    this.table = new Uint32Array(this.table.length * 2);
    const mask = this.table.length - 1;
    for (let e = 0; e < this.size; e++) {
      let i = PairCounter.hash(this.keys[e]!) & mask;
      while (this.table[i]) i = (i + 1) & mask;
      this.table[i] = e + 1;
    }
  }
}

/** Where one tier's kept postings go: the index's postings file, or a feed's shards. */
interface PostingsSink {
  put(hash: number, docs: Uint32Array, count: number): void;
  end(): void;
}

const MAGIC = [0x50, 0x42, 0x49, 0x31]; // PBI1, as index-codec.ts

/** A postings file (index-codec.ts's encodePostings, streamed): the body first, then magic and count before it. */
class PostingsFileSink implements PostingsSink {
  private readonly bodyFile: FileSink;
  private readonly body: VarintSink;
  private prev = 0;
  hashes = 0;
  postings = 0;
  constructor(private readonly tmp: string, private readonly target: string) {
    this.bodyFile = new FileSink(`${tmp}.body`);
    this.body = new VarintSink(this.bodyFile);
  }
  put(hash: number, docs: Uint32Array, count: number): void {
    const w = this.body;
    w.varint53((hash - this.prev) * 2 + (count > 1 ? 1 : 0));
    if (count > 1) w.varint(count - 2);
    this.prev = hash;
    let pd = 0;
    for (let j = 0; j < count; j++) {
      w.varint(docs[j]! - pd);
      pd = docs[j]!;
    }
    this.hashes++;
    this.postings += count;
  }
  end(): void {
    this.body.flush();
    this.bodyFile.close();
    const out = new FileSink(this.target);
    const head = new VarintSink(out);
    for (const b of MAGIC) head.varint(b);
    head.varint(this.hashes);
    head.flush();
    const r = new ChunkReader(`${this.tmp}.body`);
    for (let c = r.next(); c; c = r.next()) out.write(c);
    r.close();
    out.close();
    rmSync(`${this.tmp}.body`, { force: true });
  }
}

/** A file's bytes a chunk at a time. */
class ChunkReader {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  constructor(path: string) {
    this.fd = openSync(path, 'r');
  }
  next(): Uint8Array | undefined {
    const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
    return n > 0 ? this.buf.subarray(0, n) : undefined;
  }
  close(): void {
    closeSync(this.fd);
  }
}

/** A tier's kept postings split by shard (docs renumbered within it), in (hash, doc) order per shard. */
class ShardSink implements PostingsSink {
  private readonly files: Array<FileSink | undefined> = [];
  private readonly bufs: Uint32Array[] = [];
  private readonly fill: number[] = [];
  readonly counts: number[] = [];
  constructor(private readonly tmp: string, private readonly shardOriginals: number, parts: number) {
    for (let p = 0; p < parts; p++) {
      this.bufs.push(new Uint32Array(1 << 13));
      this.fill.push(0);
      this.counts.push(0);
    }
  }
  path(p: number): string {
    return `${this.tmp}.${p}`;
  }
  put(hash: number, docs: Uint32Array, count: number): void {
    const S = this.shardOriginals;
    for (let j = 0; j < count; j++) {
      const p = Math.floor(docs[j]! / S);
      const buf = this.bufs[p]!;
      let f = this.fill[p]!;
      buf[f++] = hash;
      buf[f++] = docs[j]! - p * S;
      this.counts[p]!++;
      if (f === buf.length) {
        this.flushPart(p, f);
        f = 0;
      }
      this.fill[p] = f;
    }
  }
  private flushPart(p: number, f: number): void {
    const file = (this.files[p] ??= new FileSink(this.path(p), 1 << 16));
    file.write(new Uint8Array(this.bufs[p]!.buffer, 0, f * 4));
  }
  end(): void {
    for (let p = 0; p < this.bufs.length; p++) {
      if (this.fill[p]) this.flushPart(p, this.fill[p]!);
      this.fill[p] = 0;
      (this.files[p] ??= new FileSink(this.path(p), 16)).close();
    }
  }
  /** Shard p's postings, read back. */
  read(p: number): Postings {
    const n = this.counts[p]!;
    const pairs = new Uint32Array(n * 2);
    const bytes = new Uint8Array(pairs.buffer);
    const r = new ChunkReader(this.path(p));
    let at = 0;
    for (let c = r.next(); c; c = r.next()) {
      bytes.set(c, at);
      at += c.length;
    }
    r.close();
    rmSync(this.path(p), { force: true });
    let distinct = 0;
    for (let i = 0; i < n; i++) if (i === 0 || pairs[2 * i] !== pairs[2 * i - 2]) distinct++;
    const hashes = new Uint32Array(distinct);
    const offsets = new Uint32Array(distinct + 1);
    const docs = new Uint32Array(n);
    for (let i = 0, h = -1; i < n; i++) {
      if (i === 0 || pairs[2 * i] !== pairs[2 * i - 2]) {
        hashes[++h] = pairs[2 * i]!;
        offsets[h] = i;
      }
      docs[i] = pairs[2 * i + 1]!;
    }
    offsets[distinct] = n;
    return { hashes, offsets, docs };
  }
}

type Resolved = Required<Omit<BuildOptions, 'created' | 'common' | 'translate'>> & { created?: string; common?: number[]; translate?: Dictionary };

/** A finished build, ready to be written once: as an index folder or as a feed's shards. */
export interface StreamSegment {
  header: IndexHeader;
  originals: number;
  /** Docs a … b−1 as an index of their own (feeds: groups numbered in the whole index). Call in order. */
  slice(a: number, b: number): MemoryIndex;
}

export class StreamingIndexBuilder {
  private readonly opts: Resolved;
  private readonly dir: string;
  private readonly memoryBytes: number;
  private readonly tiers: ExternalPairs[];
  private gramCounter?: GramCounter;
  private readonly units = new Column();
  private readonly fps = new Column();
  private readonly fps2 = new Column();
  private readonly grams = new Column();
  private readonly metaFile: FileSink;
  private readonly textFile?: FileSink;
  /** Byte offset of each original's metadata line (ids are read back only to confirm a duplicate). */
  private metaAt = new Float64Array(1 << 12);
  private readonly ids: IdTable;
  readonly outlets = new Set<string>();
  private n = 0;
  private state: 'adding' | 'finished' | 'disposed' = 'adding';

  constructor(options: StreamBuildOptions) {
    const { memoryBytes, tmpDir, ...build } = options;
    const given = Object.fromEntries(Object.entries(build).filter(([, v]) => v !== undefined));
    this.opts = { ...DEFAULT_BUILD, ...given };
    this.memoryBytes = memoryBytes ?? DEFAULT_MEMORY_BYTES;
    mkdirSync(tmpDir, { recursive: true });
    this.dir = mkdtempSync(join(tmpDir, '.index-build-'));
    // The buffers together stay within half the budget: sorting a buffer needs as much again.
    const mayGrow = (extra: number) => this.tiers.reduce((s, t) => s + t.bytes, 0) + extra <= this.memoryBytes / 2;
    const initial = Math.max(256, Math.min(1 << 14, Math.floor(this.memoryBytes / 48)));
    this.tiers = ['verbatim', 'rewrite', 'translate'].map((name) => new ExternalPairs(this.dir, name, mayGrow, initial));
    this.metaFile = new FileSink(join(this.dir, 'metas'));
    if (this.opts.keepText) this.textFile = new FileSink(join(this.dir, 'texts'));
    this.ids = new IdTable((doc) => this.idOf(doc));
  }

  get size(): number {
    return this.n;
  }

  /** An original's features as add() computes them. */
  featuresOf(text: string): OriginalFeatures {
    return originalFeatures(text, this.opts);
  }

  /** What originalFeatures needs besides the dictionary (for fingerprinting elsewhere, feature-pool.ts). */
  get fingerprinting(): { params: Resolved['params']; rewrite: Resolved['rewrite'] } {
    return { params: this.opts.params, rewrite: this.opts.rewrite };
  }

  /** How many sorted runs went to disk so far (all tiers). */
  get spilledRuns(): number {
    return this.tiers.reduce((s, t) => s + t.spilled, 0);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  private idOf(doc: number): string {
    this.metaFile.flush();
    const fd = openSync(this.metaFile.path, 'r');
    try {
      const start = this.metaAt[doc]!;
      const end = doc + 1 < this.n ? this.metaAt[doc + 1]! : this.metaFile.bytes;
      const buf = Buffer.allocUnsafe(end - start);
      readSync(fd, buf, 0, buf.length, start);
      return (JSON.parse(buf.toString('utf8')) as string[])[0]!;
    } finally {
      closeSync(fd);
    }
  }

  /** Adds one original; returns its doc number. Throws on a duplicate id. */
  add(rec: OriginalInput, features?: OriginalFeatures): number {
    if (this.state !== 'adding') throw new Error('the build is finished');
    if (this.has(rec.id)) throw new Error(`duplicate id ${JSON.stringify(rec.id)}`);
    const f = features ?? originalFeatures(rec.text, this.opts);
    const doc = this.n;
    const [t1, t2, t3] = this.tiers as [ExternalPairs, ExternalPairs, ExternalPairs];
    t1.add(f.distinct, doc);
    if (this.opts.rewrite && f.wording) (this.gramCounter ??= new GramCounter()).add(f.wording);
    if (this.opts.rewrite && f.sketch) t2.add(f.sketch, doc);
    if (this.opts.translate && f.keys) t3.add(f.keys, doc);
    if (doc >= this.metaAt.length) {
      const m = new Float64Array(this.metaAt.length * 2);
      m.set(this.metaAt);
      this.metaAt = m;
    }
    this.metaAt[doc] = this.metaFile.bytes;
    this.metaFile.text(JSON.stringify([rec.id, rec.outlet, rec.url, rec.title, rec.published, rec.lang, f.sha]) + '\n');
    this.n++;
    this.ids.add(rec.id, doc);
    this.outlets.add(rec.outlet);
    this.units.set(doc, f.units);
    this.fps.set(doc, f.distinct.length);
    if (this.opts.rewrite && f.sketch) {
      this.fps2.set(doc, f.sketch.length);
      this.grams.set(doc, f.grams!);
    }
    this.textFile?.text(JSON.stringify({ doc, text: rec.text }) + '\n');
    return doc;
  }

  private group = new Uint32Array(0);

  /** Near-copy groups from the verbatim tier (groupNearCopies in build-index.ts, over the merged runs). */
  private groupNearCopies(): void {
    const N = this.n;
    const fps = this.fps.a;
    const pairs = new PairCounter();
    this.tiers[0]!.forEachHash((_h, docs, n) => {
      if (n < 2 || n > NEAR_COPY_MAX_DF) return;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.add(docs[i]! * N + docs[j]!);
    });
    this.group = nearCopyGroups(N, (d) => fps[d]!, this.opts.groupOverlap, (visit) => {
      for (let e = 0; e < pairs.size; e++) {
        const key = pairs.keys[e]!;
        const x = Math.floor(key / N);
        visit(x, key - x * N, pairs.counts[e]!);
      }
    });
  }

  /**
   * Decides every tier's postings and sends the kept ones to the sinks; returns the header.
   * `sinks(tier)` gives a tier's sink (called once per tier, in order).
   */
  private decide(sinks: (tier: 0 | 1 | 2) => PostingsSink): IndexHeader {
    if (this.state !== 'adding') throw new Error('the build is finished');
    this.state = 'finished';
    this.metaFile.close();
    this.textFile?.close();
    const N = this.n;
    const o = this.opts;
    const [t1, t2, t3] = this.tiers as [ExternalPairs, ExternalPairs, ExternalPairs];
    this.groupNearCopies();
    const group = this.group;
    const fps = this.fps.a;

    // Stop-hashes.
    const maxDf = Math.max(o.stopGroups, Math.floor(o.stopShare * N));
    let stop = 0;
    let distinct1 = 0;
    let postings1 = 0;
    const sink1 = sinks(0);
    t1.forEachHash((h, docs, n) => {
      let isStop = n > maxDf;
      if (!isStop && n >= o.stopGroups) {
        const groups = new Set<number>();
        for (let i = 0; i < n; i++) groups.add(group[docs[i]!]!);
        isStop = groups.size >= o.stopGroups;
      }
      if (isStop) {
        stop++;
        for (let i = 0; i < n; i++) fps[docs[i]!]!--;
      } else {
        distinct1++;
        postings1 += n;
        sink1.put(h, docs, n);
      }
    });
    sink1.end();
    t1.dispose();

    const rw = o.rewrite;
    let rewrite: { distinctHashes: number; postings: number; stopHashes: number } | undefined;
    if (rw) {
      const maxDf2 = Math.max(o.stopMin2, Math.floor(o.stopShare2 * N));
      const fps2 = this.fps2.a;
      const r = { distinctHashes: 0, postings: 0, stopHashes: 0 };
      const sink2 = sinks(1);
      t2.forEachHash((h, docs, n) => {
        if (n > maxDf2) {
          r.stopHashes++;
          for (let i = 0; i < n; i++) fps2[docs[i]!]!--;
        } else {
          r.distinctHashes++;
          r.postings += n;
          sink2.put(h, docs, n);
        }
      });
      sink2.end();
      rewrite = r;
    }
    t2.dispose();

    let translate: { distinctHashes: number; postings: number } | undefined;
    if (o.translate) {
      const t = { distinctHashes: 0, postings: 0 };
      const sink3 = sinks(2);
      t3.forEachHash((h, docs, n) => {
        t.distinctHashes++;
        t.postings += n;
        sink3.put(h, docs, n);
      });
      sink3.end();
      translate = t;
    }
    t3.dispose();

    return {
      format: 'provenance-index',
      version: 1,
      params: o.params,
      created: o.created ?? new Date().toISOString(),
      originals: N,
      distinctHashes: distinct1,
      postings: postings1,
      stopHashes: stop,
      ...(rw && rewrite
        ? { rewrite: { terms: rw.terms, k: rw.k, sketch: rw.sketch, distinctHashes: rewrite.distinctHashes, postings: rewrite.postings, stopHashes: rewrite.stopHashes, common: mergeSorted(this.gramCounter?.common(N) ?? [], o.common ?? []) } }
        : {}),
      ...(translate ? { translate: { version: TRANSLATE_VERSION, ...translate } } : {}),
    };
  }

  /** The metadata of doc `doc` as the index keeps it (counts and group final). */
  private meta(doc: number, line: string): OriginalMeta {
    const [id, outlet, url, title, published, lang, sha] = JSON.parse(line) as string[];
    return {
      doc,
      id: id!,
      outlet: outlet!,
      url: url!,
      title: title!,
      published: published!,
      lang: lang!,
      units: this.units.a[doc]!,
      fps: this.fps.a[doc]!,
      ...(this.opts.rewrite ? { fps2: this.fps2.a[doc]!, grams: this.grams.a[doc]! } : {}),
      group: this.group[doc]!,
      sha: sha!,
    };
  }

  /**
   * Writes the index folder (what writeIndexDir writes for IndexBuilder.finish()); returns the header and file sizes.
   * Every file goes through a temporary name; the header comes last.
   */
  writeIndexDir(out: string, withText = true): { header: IndexHeader; sizes: Record<string, number> } {
    mkdirSync(out, { recursive: true });
    const tmp = (name: string) => join(out, `.${name}.tmp`);
    const files: Array<[string, PostingsFileSink]> = [];
    const header = this.decide((tier) => {
      const name = ([INDEX_FILES.postings, INDEX_FILES.rewrite, INDEX_FILES.translate] as const)[tier];
      const sink = new PostingsFileSink(join(this.dir, `${name}.part`), tmp(name));
      files.push([name, sink]);
      return sink;
    });
    const sizes: Record<string, number> = {};
    const originals = new FileSink(tmp(INDEX_FILES.originals));
    const metas = new LineReader(join(this.dir, 'metas'));
    for (let doc = 0; doc < this.n; doc++) originals.text(encodeMeta(this.meta(doc, metas.next()!)) + '\n');
    metas.close();
    originals.close();
    const finals: string[] = [INDEX_FILES.originals, INDEX_FILES.postings];
    sizes[INDEX_FILES.originals] = originals.bytes;
    const withTexts = withText && this.textFile && this.n > 0;
    if (withTexts) {
      renameSync(this.textFile!.path, tmp(INDEX_FILES.texts));
      sizes[INDEX_FILES.texts] = this.textFile!.bytes;
      finals.push(INDEX_FILES.texts);
    } else rmSync(join(out, INDEX_FILES.texts), { force: true });
    for (const name of [INDEX_FILES.rewrite, INDEX_FILES.translate]) {
      if (files.some(([n]) => n === name)) finals.push(name);
      else rmSync(join(out, name), { force: true });
    }
    for (const [name] of files) sizes[name] = statSync(tmp(name)).size;
    const head = new FileSink(tmp(INDEX_FILES.header));
    head.text(JSON.stringify(header, null, 2) + '\n');
    head.close();
    sizes[INDEX_FILES.header] = head.bytes;
    finals.push(INDEX_FILES.header);
    for (const name of finals) renameSync(tmp(name), join(out, name));
    return { header, sizes };
  }

  /** Ends the build for a feed: its shards are then made one by one by `slice` (in doc order). */
  segment(shardOriginals: number, withText: boolean): StreamSegment {
    const parts = Math.max(1, Math.ceil(this.n / shardOriginals));
    const shardSinks: Array<ShardSink | undefined> = [];
    const header = this.decide((tier) => (shardSinks[tier] = new ShardSink(join(this.dir, `shard-${tier}`), shardOriginals, parts)));
    const metas = new LineReader(join(this.dir, 'metas'));
    const texts = withText && this.textFile ? new LineReader(this.textFile.path) : undefined;
    let next = 0;
    return {
      header,
      originals: this.n,
      slice: (a, b) => {
        if (a !== next || b <= a || (b - a !== shardOriginals && b !== this.n)) throw new Error('slices must come in order, one shard each');
        next = b;
        const p = a / shardOriginals;
        const ms: OriginalMeta[] = [];
        const ts: Array<string | undefined> = [];
        for (let doc = a; doc < b; doc++) {
          const m = this.meta(doc, metas.next()!);
          ms.push({ ...m, doc: doc - a });
          ts.push(texts ? (JSON.parse(texts.next()!) as { text: string }).text : undefined);
        }
        if (b === this.n) {
          metas.close();
          texts?.close();
        }
        const EMPTY: Postings = { hashes: new Uint32Array(0), offsets: new Uint32Array(1), docs: new Uint32Array(0) };
        const v = shardSinks[0]!.read(p);
        const r = shardSinks[1]?.read(p);
        const t = shardSinks[2]?.read(p);
        const h: IndexHeader = { ...header, originals: b - a, distinctHashes: v.hashes.length, postings: v.docs.length };
        if (r && h.rewrite) h.rewrite = { ...h.rewrite, distinctHashes: r.hashes.length, postings: r.docs.length };
        if (t && h.translate) h.translate = { ...h.translate, distinctHashes: t.hashes.length, postings: t.docs.length };
        else delete h.translate;
        return new MemoryIndex(h, ms, v.hashes, v.offsets, v.docs, ts, header.rewrite ? (r ?? EMPTY) : undefined, t);
      },
    };
  }

  /** Removes the temporary files. */
  dispose(): void {
    if (this.state === 'disposed') return;
    if (this.state === 'adding') {
      this.metaFile.close();
      this.textFile?.close();
    }
    this.state = 'disposed';
    for (const t of this.tiers) t.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The union of two ascending lists, ascending (as build-index.ts). */
function mergeSorted(a: number[], b: number[]): number[] {
  if (!b.length) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
