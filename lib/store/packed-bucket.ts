/**
 * One postings bucket of the store packed into bytes (docs/extension.md, "The
 * index store"): the bucket's sorted hashes as Rice-coded gaps of their low
 * bits (the bucket number carries the high ones), a bit saying whether the
 * hash has more than one doc (then the count, Elias-gamma), and its docs,
 * segment-local: the first in a fixed width, the others as gamma-coded gaps.
 * About 3.8 bytes a posting at a million originals where the rows of three
 * 32-bit arrays took 12.
 *
 * Layout: varint format (1); varint hash count; varint Rice parameter; varint
 * doc width; varint number of skip points, and for each (one every SKIP hashes)
 * the low bits of the hash before it and where its code starts in the stream,
 * both as gaps from the previous point's; then the bit stream, least
 * significant bit first. A lookup jumps to the last skip point below the hash
 * it wants and decodes at most SKIP hashes from there.
 */
import { ByteReader, ByteWriter } from '../index/varint';

const FORMAT = 1;
/** Hashes between skip points. */
const SKIP = 32;

class BitWriter {
  private buf = new Uint8Array(4096);
  private len = 0;
  private acc = 0;
  /** Bits waiting in acc (fewer than 8 between calls). */
  private n = 0;
  /** Writes the low `width` bits of v (width ≤ 32). */
  bits(v: number, width: number): void {
    if (width > 24) {
      this.bits(v & 0xffff, 16);
      this.bits((v >>> 16) & (2 ** (width - 16) - 1), width - 16);
      return;
    }
    if (!width) return;
    this.acc = (this.acc | ((v & ((1 << width) - 1)) << this.n)) >>> 0;
    this.n += width;
    if (this.len + 4 > this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    while (this.n >= 8) {
      this.buf[this.len++] = this.acc & 0xff;
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  /** q ones, then a zero. */
  unary(q: number): void {
    for (; q >= 16; q -= 16) this.bits(0xffff, 16);
    this.bits((1 << q) - 1, q + 1);
  }
  rice(v: number, k: number): void {
    // v < 2^32 (a gap of hash bits).
    const q = Math.floor(v / 2 ** k);
    this.unary(q);
    if (k) this.bits(v - q * 2 ** k, k);
  }
  /** Elias gamma of v ≥ 1. */
  gamma(v: number): void {
    const len = 31 - Math.clz32(v);
    this.unary(len);
    if (len) this.bits(v, len);
  }
  /** Bits written so far. */
  get position(): number {
    return this.len * 8 + this.n;
  }
  out(): Uint8Array {
    const out = this.buf.slice(0, this.len + (this.n ? 1 : 0));
    if (this.n) out[this.len] = this.acc & 0xff;
    return out;
  }
}

/** Reads the bit stream through a window of up to 32 bits (a lookup decodes a few thousand codes). */
class BitReader {
  private acc = 0;
  private have = 0;
  /** Zero bits added past the end (reading into them means the data was cut short). */
  private padded = 0;
  private pos: number;
  /** Starts `bit` bits into the stream that begins at byte `start`. */
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    bit = 0,
  ) {
    this.pos = start + (bit >>> 3);
    if (bit & 7) this.bits(bit & 7);
  }
  /** Fills the window to more than 24 bits. */
  private fill(): void {
    while (this.have <= 24) {
      let b = 0;
      if (this.pos < this.buf.length) b = this.buf[this.pos++]!;
      else this.padded += 8;
      this.acc = (this.acc | (b << this.have)) >>> 0;
      this.have += 8;
    }
  }
  private check(): void {
    if (this.padded && this.have < this.padded) throw new RangeError('truncated bucket');
  }
  /** width ≤ 32 bits. */
  bits(width: number): number {
    if (width > 24) {
      const lo = this.bits(16);
      return lo + this.bits(width - 16) * 65536;
    }
    if (this.have < width) this.fill();
    const v = width === 0 ? 0 : this.acc & ((1 << width) - 1);
    this.acc = width === 32 ? 0 : this.acc >>> width;
    this.have -= width;
    this.check();
    return v >>> 0;
  }
  unary(): number {
    let q = 0;
    for (;;) {
      if (this.have === 0) this.fill();
      const inv = ~this.acc;
      // The first zero bit of the window (none when it holds 32 ones: then all of them are the code's).
      const t = inv === 0 ? 32 : 31 - Math.clz32(inv & -inv);
      if (t < this.have) {
        q += t;
        this.acc = t + 1 >= 32 ? 0 : this.acc >>> (t + 1);
        this.have -= t + 1;
        this.check();
        return q;
      }
      q += this.have;
      this.acc = 0;
      this.have = 0;
      this.check();
      if (this.padded) throw new RangeError('truncated bucket');
    }
  }
  rice(k: number): number {
    const q = this.unary();
    return q * 2 ** k + (k ? this.bits(k) : 0);
  }
  gamma(): number {
    const len = this.unary();
    return len ? 2 ** len + this.bits(len) : 1;
  }
}

/** Bits needed for values below n (at least 1). */
const widthFor = (n: number) => Math.max(1, 32 - Math.clz32(Math.max(1, n - 1)));

/**
 * Packs hashes[a..b) of a tier's postings, all in one bucket of `lowBits` low
 * bits, with their docs (segment-local) below `docLimit`.
 */
export function packBucket(
  hashes: Uint32Array,
  offsets: Uint32Array,
  docs: Uint32Array,
  a: number,
  b: number,
  lowBits: number,
  docLimit: number,
): Uint8Array {
  const n = b - a;
  const lowMask = lowBits >= 32 ? 0xffffffff : 2 ** lowBits - 1;
  const span = 2 ** lowBits;
  const k = Math.max(0, Math.floor(Math.log2(Math.max(1, span / Math.max(1, n)))) - 1);
  const width = widthFor(docLimit);
  const docMax = 2 ** width;
  const w = new BitWriter();
  const skips: Array<[number, number]> = [];
  let prev = -1;
  for (let i = a; i < b; i++) {
    if (i > a && (i - a) % SKIP === 0) skips.push([prev, w.position]);
    const low = (hashes[i]! & lowMask) >>> 0;
    w.rice(low - prev - 1, k);
    prev = low;
    const start = offsets[i]!;
    const count = offsets[i + 1]! - start;
    w.bits(count > 1 ? 1 : 0, 1);
    if (count > 1) w.gamma(count - 1);
    let d = docs[start]!;
    if (docs[offsets[i + 1]! - 1]! >= docMax) throw new RangeError(`doc ${docs[offsets[i + 1]! - 1]} beyond the bucket's limit ${docLimit}`);
    w.bits(d, width);
    for (let j = start + 1; j < start + count; j++) {
      w.gamma(docs[j]! - d);
      d = docs[j]!;
    }
  }
  const head = new ByteWriter(16 + skips.length * 4);
  head.varint(FORMAT);
  head.varint(n);
  head.varint(k);
  head.varint(width);
  head.varint(skips.length);
  let lastLow = 0;
  let lastBit = 0;
  for (const [low, bit] of skips) {
    head.varint(low - lastLow);
    head.varint(bit - lastBit);
    lastLow = low;
    lastBit = bit;
  }
  const body = w.out();
  const out = new Uint8Array(head.length + body.length);
  out.set(head.bytes());
  out.set(body, head.length);
  return out;
}

interface Header {
  n: number;
  k: number;
  width: number;
  /** Skip point j is at hash (j + 1) × SKIP: the low bits of the hash before it, and its bit in the stream. */
  skipLow: number[];
  skipBit: number[];
  start: number;
}

function header(data: Uint8Array): Header {
  const head = new ByteReader(data);
  if (head.varint() !== FORMAT) throw new RangeError('unknown bucket format');
  const n = head.varint();
  const k = head.varint();
  const width = head.varint();
  const skips = head.varint();
  if (k > 31 || width > 32 || skips > n / SKIP) throw new RangeError('malformed bucket');
  const skipLow: number[] = [];
  const skipBit: number[] = [];
  let low = 0;
  let bit = 0;
  for (let j = 0; j < skips; j++) {
    skipLow.push((low += head.varint()));
    skipBit.push((bit += head.varint()));
  }
  return { n, k, width, skipLow, skipBit, start: head.pos };
}

/**
 * Reads a packed bucket: for each of the wanted low bits (ascending, distinct),
 * its docs (segment-local) or undefined.
 */
export function unpackBucket(data: Uint8Array, wanted: readonly number[]): Array<Uint32Array | undefined> {
  const { n, k, width, skipLow, skipBit, start } = header(data);
  const out: Array<Uint32Array | undefined> = new Array(wanted.length).fill(undefined);
  let r = new BitReader(data, start);
  let i = 0;
  let prev = -1;
  let skip = 0;
  for (let w = 0; w < wanted.length && i < n; ) {
    const want = wanted[w]!;
    // The last skip point ahead whose preceding hash is below the wanted one.
    let to = -1;
    while (skip < skipLow.length && skipLow[skip]! < want) {
      if ((skip + 1) * SKIP > i) to = skip;
      skip++;
    }
    if (to >= 0) {
      r = new BitReader(data, start, skipBit[to]!);
      i = (to + 1) * SKIP;
      prev = skipLow[to]!;
    }
    const low = prev + 1 + r.rice(k);
    prev = low;
    i++;
    const count = r.bits(1) ? r.gamma() + 1 : 1;
    while (w < wanted.length && wanted[w]! < low) w++;
    if (w < wanted.length && wanted[w] === low) {
      const list = new Uint32Array(count);
      let d = r.bits(width);
      list[0] = d;
      for (let j = 1; j < count; j++) list[j] = d += r.gamma();
      out[w++] = list;
    } else {
      r.bits(width);
      for (let j = 1; j < count; j++) r.gamma();
    }
  }
  return out;
}

/** Every hash (low bits) of a packed bucket with its docs (tests, migration checks). */
export function unpackAll(data: Uint8Array): { lows: number[]; lists: Uint32Array[] } {
  const { n, k, width, start } = header(data);
  const r = new BitReader(data, start);
  const lows: number[] = [];
  const lists: Uint32Array[] = [];
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const low = prev + 1 + r.rice(k);
    prev = low;
    const count = r.bits(1) ? r.gamma() + 1 : 1;
    const list = new Uint32Array(count);
    let d = r.bits(width);
    list[0] = d;
    for (let j = 1; j < count; j++) list[j] = d += r.gamma();
    lows.push(low);
    lists.push(list);
  }
  return { lows, lists };
}
