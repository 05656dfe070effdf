/**
 * What the index store's rows cost as stored, per table and per tier
 * (benchmarks): each value's size as V8's structured serialization writes it
 * (the form IndexedDB keeps), and each key's as IndexedDB encodes it (numbers
 * 9 bytes, strings 2 bytes a code unit), counted once for the row and once
 * more for each secondary index that holds it. LevelDB's own framing and
 * compression are not counted: the figures are what the rows themselves weigh.
 */
import { ID_BUCKETS, REWRITE_BUCKETS, TRANSLATE_BUCKETS, type IndexDb } from './index-db';

const varintLen = (v: number) => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);
const oneByte = (s: string) => !/[^\u0000-\u00ff]/.test(s);
const stringBytes = (s: string) => 1 + varintLen(s.length) + (oneByte(s) ? s.length : 2 * s.length);

/** Bytes of a value in V8's structured serialization (close, not exact: the format's small tags and padding are approximated). */
export function serializedBytes(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 30 ? 1 + varintLen(Math.abs(v) * 2) : 9;
  if (typeof v === 'string') return stringBytes(v);
  if (ArrayBuffer.isView(v)) return 1 + varintLen(v.byteLength) + v.byteLength + 4;
  if (Array.isArray(v)) return 2 + varintLen(v.length) * 2 + v.reduce((n: number, x) => n + serializedBytes(x), 0);
  if (typeof v === 'object') {
    let n = 2;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) n += stringBytes(k) + serializedBytes(x);
    return n;
  }
  return 1;
}

/** Bytes of an IndexedDB key as encoded (type byte; numbers as doubles; strings as UTF-16). */
export function keyBytes(k: unknown): number {
  if (typeof k === 'number') return 9;
  if (typeof k === 'string') return 1 + varintLen(k.length) + 2 * k.length;
  if (Array.isArray(k)) return 1 + varintLen(k.length) + k.reduce((n: number, x) => n + keyBytes(x), 0);
  return 9;
}

export interface StoredBytes {
  /** Postings rows per tier. */
  verbatim: number;
  rewrite: number;
  translate: number;
  /** The membership filters (kept in memory while the background lives), per tier. */
  filters: [number, number, number];
  /** Originals' metadata: its blocks, and the key tiers (ids and addresses → docs) that find originals by id and address. */
  metadata: number;
  /** The popup search's term table. */
  search: number;
  /** Originals' texts. */
  texts: number;
  /** State, allocation and jobs. */
  other: number;
}

/** Sums every row of the index store (reads the whole database: benchmarks only). */
export async function storedBytes(db: IndexDb): Promise<StoredBytes> {
  const out: StoredBytes = { verbatim: 0, rewrite: 0, translate: 0, filters: [0, 0, 0], metadata: 0, search: 0, texts: 0, other: 0 };
  const rowBytes = (row: object, key: unknown) => serializedBytes(row) + keyBytes(key);
  for (const table of db.tables) {
    const indexes = table.schema.indexes.map((i) => i.keyPath as string | string[]);
    const keyOf = (row: Record<string, unknown>, path: string | string[] | undefined) => (Array.isArray(path) ? path.map((p) => row[p]) : path ? row[path] : undefined);
    await table.each((row: Record<string, unknown>) => {
      const primary = keyOf(row, table.schema.primKey.keyPath as string | string[]);
      // A secondary index entry holds its key and the primary key.
      const n = rowBytes(row, primary) + indexes.reduce((s, p) => s + keyBytes(keyOf(row, p)) + keyBytes(primary), 0);
      switch (table.name) {
        case 'buckets': {
          const b = row.bucket as number;
          if (b >= ID_BUCKETS) out.metadata += n;
          else if (b >= TRANSLATE_BUCKETS) out.translate += n;
          else if (b >= REWRITE_BUCKETS) out.rewrite += n;
          else out.verbatim += n;
          break;
        }
        case 'filters': {
          // The row's sizes count with the verbatim tier, the translation tier's long lists with that tier.
          const { long3, blobs, ...rest } = row;
          out.filters[0] += rowBytes(rest, primary);
          out.filters[2] += long3 ? serializedBytes(long3) : 0;
          // Each tier's filter is a Blob (kept by the store as a file of its own).
          (blobs as Array<Blob | null> | undefined)?.forEach((b, t) => (out.filters[t as 0 | 1 | 2] += b?.size ?? 0));
          break;
        }
        case 'metaBlocks':
          out.metadata += n;
          break;
        case 'search':
          out.search += n;
          break;
        case 'texts':
          out.texts += n;
          break;
        default:
          out.other += n;
      }
    });
  }
  return out;
}
