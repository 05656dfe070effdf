/**
 * The index format (also what feed shards carry):
 *   index.json       header (format, version, params, counts)
 *   originals.ndjson one OriginalMeta per line, in doc order
 *   postings.bin     "PBI1", varint H, then per distinct hash in ascending order:
 *                    varint ((hash - previous hash) × 2 + (n > 1)), then varint (n - 2)
 *                    only when n > 1, then n varint doc gaps (most hashes have one doc,
 *                    so the flag saves a count byte per posting)
 *   texts.ndjson     optional: {"doc":N,"text":"…"} per original that has text
 *   postings-rewrite.bin  the rewrite tier's postings in the same form (when
 *                    the header has `rewrite`)
 *   postings-translate.bin  optional: the translation tier's postings in the same
 *                    form (when the header has `translate`; an index without the
 *                    file loads without the tier)
 * Decoding validates every structure and throws IndexFormatError with the reason.
 */
import { MemoryIndex } from './memory-index';
import type { IndexHeader, OriginalMeta, Postings } from './types';
import { ByteReader, ByteWriter } from './varint';

/** File names of an index folder (and of a feed's index shards). */
export const INDEX_FILES = {
  header: 'index.json',
  originals: 'originals.ndjson',
  postings: 'postings.bin',
  texts: 'texts.ndjson',
  rewrite: 'postings-rewrite.bin',
  translate: 'postings-translate.bin',
} as const;

export class IndexFormatError extends Error {
  override name = 'IndexFormatError';
}

const MAGIC = [0x50, 0x42, 0x49, 0x31]; // PBI1

export interface EncodedIndex {
  header: string;
  originals: string;
  postings: Uint8Array;
  texts?: string;
  /** The rewrite tier's postings (postings-rewrite.bin). */
  rewrite?: Uint8Array;
  /** The translation tier's postings (postings-translate.bin). */
  translate?: Uint8Array;
}

export function encodePostings(hashes: Uint32Array, offsets: Uint32Array, docs: Uint32Array): Uint8Array {
  const w = new ByteWriter(Math.max(1024, docs.length * 3));
  for (const b of MAGIC) w.varint(b);
  w.varint(hashes.length);
  let prev = 0;
  for (let i = 0; i < hashes.length; i++) {
    const h = hashes[i]!;
    const a = offsets[i]!;
    const b = offsets[i + 1]!;
    w.varint53((h - prev) * 2 + (b - a > 1 ? 1 : 0));
    if (b - a > 1) w.varint(b - a - 2);
    prev = h;
    let pd = 0;
    for (let j = a; j < b; j++) {
      w.varint(docs[j]! - pd);
      pd = docs[j]!;
    }
  }
  return w.bytes();
}

export function decodePostings(bytes: Uint8Array, docCount: number, file: string = INDEX_FILES.postings): Postings {
  const r = new ByteReader(bytes);
  for (const b of MAGIC) if (r.varint() !== b) throw new IndexFormatError(`${file}: bad magic`);
  const H = r.varint();
  if (H > bytes.length) throw new IndexFormatError(`${file}: hash count larger than the file`);
  const hashes = new Uint32Array(H);
  const offsets = new Uint32Array(H + 1);
  let docs = new Uint32Array(Math.max(16, bytes.length));
  let at = 0;
  let prev = 0;
  try {
    for (let i = 0; i < H; i++) {
      const x = r.varint53();
      const h = prev + Math.floor(x / 2);
      if (h > 0xffffffff || (i > 0 && h <= prev)) throw new IndexFormatError(`${file}: hashes not ascending`);
      hashes[i] = h;
      prev = h;
      const n = x % 2 === 1 ? r.varint() + 2 : 1;
      offsets[i] = at;
      if (at + n > docs.length) {
        const d = new Uint32Array(Math.max(docs.length * 2, at + n));
        d.set(docs);
        docs = d;
      }
      let d = 0;
      for (let j = 0; j < n; j++) {
        const gap = r.varint();
        if (j > 0 && gap === 0) throw new IndexFormatError(`${file}: docs not ascending`);
        d += gap;
        if (d >= docCount) throw new IndexFormatError(`${file}: doc ${d} out of range`);
        docs[at++] = d;
      }
    }
  } catch (e) {
    if (e instanceof RangeError) throw new IndexFormatError(`${file}: ${e.message}`);
    throw e;
  }
  offsets[H] = at;
  if (!r.done) throw new IndexFormatError(`${file}: trailing bytes`);
  return { hashes, offsets, docs: docs.slice(0, at) };
}

/**
 * One originals.ndjson line: doc is the line number; group only when it
 * differs from doc. In a feed shard (a slice of a larger index whose first doc
 * is docBase) groups are numbered in the whole index.
 */
export function encodeMeta(m: OriginalMeta, docBase = 0): string {
  const { doc, group, ...rest } = m;
  return JSON.stringify(group === doc + docBase ? rest : { ...rest, group });
}

export function encodeIndex(index: MemoryIndex, withText = true): EncodedIndex {
  const originals = index.metas.map((m) => encodeMeta(m)).join('\n') + (index.metas.length ? '\n' : '');
  const out: EncodedIndex = {
    header: JSON.stringify(index.header, null, 2) + '\n',
    originals,
    postings: encodePostings(index.hashes, index.offsets, index.docs),
  };
  if (index.header.rewrite && index.rewritePostings) {
    const r = index.rewritePostings;
    out.rewrite = encodePostings(r.hashes, r.offsets, r.docs);
  }
  if (index.header.translate && index.translatePostings) {
    const t = index.translatePostings;
    out.translate = encodePostings(t.hashes, t.offsets, t.docs);
  }
  if (withText && index.texts.some((t) => t !== undefined)) {
    out.texts = index.texts
      .map((text, doc) => (text === undefined ? '' : JSON.stringify({ doc, text }) + '\n'))
      .join('');
  }
  return out;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IndexFormatError(`${where}: not valid JSON (${(e as Error).message})`);
  }
}

function checkHeader(h: unknown): IndexHeader {
  const x = h as Partial<IndexHeader> | null;
  if (!x || x.format !== 'provenance-index') throw new IndexFormatError('index.json: not a provenance index');
  if (x.version !== 1) throw new IndexFormatError(`index.json: unsupported version ${String(x.version)}`);
  const p = x.params;
  if (!p || !Number.isInteger(p.k) || !Number.isInteger(p.w) || p.k < 1 || p.w < 1)
    throw new IndexFormatError('index.json: bad params');
  const rw = x.rewrite;
  if (rw !== undefined && (!rw || !Number.isInteger(rw.terms) || !Number.isInteger(rw.k) || !Number.isInteger(rw.sketch) || rw.k < 1 || rw.k > 8 || rw.sketch < 1 || rw.sketch > 100_000))
    throw new IndexFormatError('index.json: bad rewrite params');
  if (rw?.common !== undefined && (!Array.isArray(rw.common) || rw.common.length > 20_000 || !rw.common.every((h, i) => Number.isInteger(h) && h >= 0 && h <= 0xffffffff && (i === 0 || h > rw.common![i - 1]!))))
    throw new IndexFormatError('index.json: rewrite.common must be ascending 32-bit numbers');
  const tr = x.translate;
  if (tr !== undefined && (!tr || !Number.isInteger(tr.version) || tr.version < 1)) throw new IndexFormatError('index.json: bad translate section');
  return x as IndexHeader;
}

/** The form of an original's `sha` (lib/index/text-sha.ts). */
export const TEXT_SHA = /^[0-9a-f]{16}$/;

const META_FIELDS = ['id', 'outlet', 'url', 'title', 'published', 'lang'] as const;

export interface DecodeOptions {
  /** For a slice of a larger index (a feed shard): the slice's first doc in the whole index … */
  docBase?: number;
  /** … and the whole index's size, the bound for groups. Docs stay numbered within the slice. */
  groups?: number;
}

export function decodeIndex(enc: EncodedIndex, options: DecodeOptions = {}): MemoryIndex {
  const header = checkHeader(parseJson(enc.header, 'index.json'));
  const docBase = options.docBase ?? 0;
  const groups = options.groups ?? header.originals;
  const metas: OriginalMeta[] = [];
  const lines = enc.originals.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const m = parseJson(line, `originals.ndjson line ${i + 1}`) as OriginalMeta;
    for (const f of META_FIELDS)
      if (typeof m[f] !== 'string') throw new IndexFormatError(`originals.ndjson line ${i + 1}: field ${f} missing`);
    for (const f of ['units', 'fps'] as const)
      if (!Number.isInteger(m[f]) || m[f] < 0) throw new IndexFormatError(`originals.ndjson line ${i + 1}: field ${f} must be a count`);
    for (const f of ['fps2', 'grams'] as const)
      if (m[f] !== undefined && (!Number.isInteger(m[f]) || m[f]! < 0)) throw new IndexFormatError(`originals.ndjson line ${i + 1}: field ${f} must be a count`);
    if (m.sha !== undefined && (typeof m.sha !== 'string' || !TEXT_SHA.test(m.sha)))
      throw new IndexFormatError(`originals.ndjson line ${i + 1}: field sha must be 16 hex digits`);
    m.doc = metas.length;
    m.group ??= docBase + m.doc;
    if (!Number.isInteger(m.group) || m.group < 0 || m.group >= groups)
      throw new IndexFormatError(`originals.ndjson line ${i + 1}: bad group`);
    metas.push(m);
  });
  if (metas.length !== header.originals)
    throw new IndexFormatError(`originals.ndjson: ${metas.length} originals, header says ${header.originals}`);
  const { hashes, offsets, docs } = decodePostings(enc.postings, metas.length);
  // An index without the rewrite tier (older builds, --no-rewrite) simply has none; one whose header names it must carry it.
  let rewrite: Postings | undefined;
  if (header.rewrite) {
    if (!enc.rewrite) throw new IndexFormatError(`${INDEX_FILES.rewrite}: missing (the header says the index has the rewrite tier)`);
    rewrite = decodePostings(enc.rewrite, metas.length, INDEX_FILES.rewrite);
  }
  // The translation tier is optional: without its file the index loads without it.
  let translate: Postings | undefined;
  if (header.translate && enc.translate) translate = decodePostings(enc.translate, metas.length, INDEX_FILES.translate);
  else delete header.translate;
  const texts: Array<string | undefined> = [];
  if (enc.texts) {
    enc.texts.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      const t = parseJson(line, `texts.ndjson line ${i + 1}`) as { doc: number; text: string };
      if (!Number.isInteger(t.doc) || t.doc < 0 || t.doc >= metas.length || typeof t.text !== 'string')
        throw new IndexFormatError(`texts.ndjson line ${i + 1}: bad record`);
      texts[t.doc] = t.text;
    });
  }
  return new MemoryIndex(header, metas, hashes, offsets, docs, texts, rewrite, translate);
}
