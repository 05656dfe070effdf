/**
 * One postings bucket of the store packed into bytes (docs/extension.md, "The
 * index store"): the bucket's sorted hashes as Rice-coded gaps of their low
 * bits (the bucket number carries the high ones), a bit saying whether the
 * hash has more than one doc (then the count, Elias-gamma), and its docs,
 * segment-local: the first in a fixed width, the others as gamma-coded gaps.
 * About 3.5 bytes a posting where the rows of three 32-bit arrays took 12.
 *
 * Layout: byte 0 format (1); varint hash count; byte Rice parameter; byte doc
 * width; then the bit stream, least significant bit first.
 */
import { ByteReader, ByteWriter } from '../index/varint';

const FORMAT = 1;

class BitWriter {
  private bytes: number[] = [];
  private acc = 0;
  private n = 0;
  /** Writes the low `width` bits of v (width ≤ 32). */
  bits(v: number, width: number): void {
    while (width > 0) {
      const take = Math.min(width, 8 - this.n);
      this.acc |= (v & ((1 << take) - 1)) << this.n;
      v = take === 32 ? 0 : v >>> take;
      width -= take;
      this.n += take;
      if (this.n === 8) {
        this.bytes.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }
  /** q ones, then a zero. */
  unary(q: number): void {
    for (; q >= 16; q -= 16) this.bits(0xffff, 16);
    this.bits((1 << q) - 1, q + 1);
  }
  rice(v: number, k: number): void {
    this.unary(Math.floor(v / 2 ** k));
    if (k) this.bits(v % 2 ** k, k);
  }
  /** Elias gamma of v ≥ 1. */
  gamma(v: number): void {
    const len = 31 - Math.clz32(v);
    this.unary(len);
    if (len) this.bits(v, len);
  }
  out(): number[] {
    if (this.n) {
      this.bytes.push(this.acc);
      this.n = 0;
      this.acc = 0;
    }
    return this.bytes;
  }
}

class BitReader {
  private pos: number;
  private bit = 0;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
  ) {
    this.pos = start;
  }
  bits(width: number): number {
    let v = 0;
    let got = 0;
    while (got < width) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated bucket');
      const take = Math.min(width - got, 8 - this.bit);
      v += ((this.buf[this.pos]! >>> this.bit) & ((1 << take) - 1)) * 2 ** got;
      got += take;
      this.bit += take;
      if (this.bit === 8) {
        this.bit = 0;
        this.pos++;
      }
    }
    return v;
  }
  unary(): number {
    let q = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new RangeError('truncated bucket');
      const avail = 8 - this.bit;
      const inv = ~(this.buf[this.pos]! >>> this.bit);
      // Ones before the first zero (the bits past the byte's end read as zeros).
      const t = 31 - Math.clz32(inv & -inv);
      if (t < avail) {
        q += t;
        this.bit += t + 1;
        if (this.bit === 8) {
          this.bit = 0;
          this.pos++;
        }
        return q;
      }
      q += avail;
      this.bit = 0;
      this.pos++;
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
 * bits, with their docs less `docBase` below `docLimit`.
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
  const w = new BitWriter();
  let prev = -1;
  for (let i = a; i < b; i++) {
    const low = (hashes[i]! & lowMask) >>> 0;
    w.rice(low - prev - 1, k);
    prev = low;
    const start = offsets[i]!;
    const count = offsets[i + 1]! - start;
    w.bits(count > 1 ? 1 : 0, 1);
    if (count > 1) w.gamma(count - 1);
    let d = docs[start]!;
    if (docs[offsets[i + 1]! - 1]! >= 2 ** width) throw new RangeError(`doc ${docs[offsets[i + 1]! - 1]} beyond the bucket's limit ${docLimit}`);
    w.bits(d, width);
    for (let j = start + 1; j < start + count; j++) {
      w.gamma(docs[j]! - d);
      d = docs[j]!;
    }
  }
  const head = new ByteWriter(16);
  head.varint(FORMAT);
  head.varint(n);
  head.varint(k);
  head.varint(width);
  const body = w.out();
  const out = new Uint8Array(head.length + body.length);
  out.set(head.bytes());
  out.set(body, head.length);
  return out;
}

/**
 * Reads a packed bucket: for each of the wanted low bits (ascending), its docs
 * (segment-local) or undefined. Stops after the last wanted hash.
 */
export function unpackBucket(data: Uint8Array, wanted: readonly number[]): Array<Uint32Array | undefined> {
  const head = new ByteReader(data);
  if (head.varint() !== FORMAT) throw new RangeError('unknown bucket format');
  const n = head.varint();
  const k = head.varint();
  const width = head.varint();
  const r = new BitReader(data, head.pos);
  const out: Array<Uint32Array | undefined> = new Array(wanted.length).fill(undefined);
  let w = 0;
  let prev = -1;
  for (let i = 0; i < n && w < wanted.length; i++) {
    const low = prev + 1 + r.rice(k);
    prev = low;
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
  const head = new ByteReader(data);
  if (head.varint() !== FORMAT) throw new RangeError('unknown bucket format');
  const n = head.varint();
  const k = head.varint();
  const width = head.varint();
  const r = new BitReader(data, head.pos);
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
