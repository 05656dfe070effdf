/**
 * k-gram hashing and winnowing (Schleimer, Wilkerson & Aiken, SIGMOD 2003).
 *
 * A k-gram hash combines k consecutive unit hashes with a rolling polynomial
 * (mod 2^32) and a final mixer. Winnowing keeps, in every window of w
 * consecutive k-gram hashes, the minimum (rightmost on ties), recording each
 * selected hash once per position. Guarantee: any shared run of at least
 * w + k - 1 units yields at least one shared fingerprint; density ≈ 2/(w+1).
 */
import { mix32, segment, type Segmented } from './text/normalize';

export interface FingerprintParams {
  /** Units per k-gram. */
  k: number;
  /** Winnowing window, in k-grams. */
  w: number;
}

/** Chosen by measurement (see docs/matching.md, "Choosing k and w"). */
export const DEFAULT_PARAMS: FingerprintParams = { k: 8, w: 16 };

export interface Fingerprints {
  /** Selected hashes, in page order. */
  hashes: Uint32Array;
  /** Unit index where each selected k-gram starts. */
  positions: Uint32Array;
}

const BASE = 0x01000193; // odd multiplier

/** Hashes of all k-grams of the unit sequence (length n - k + 1). */
export function kgramHashes(units: Uint32Array, n: number, k: number, into?: Uint32Array): Uint32Array {
  if (n < k) return new Uint32Array(0);
  const out = into && into.length >= n - k + 1 ? into.subarray(0, n - k + 1) : new Uint32Array(n - k + 1);
  // BASE^(k-1) mod 2^32
  let top = 1;
  for (let i = 0; i < k - 1; i++) top = Math.imul(top, BASE);
  let h = 0;
  for (let i = 0; i < k; i++) h = (Math.imul(h, BASE) + units[i]!) | 0;
  out[0] = mix32(h);
  for (let i = k; i < n; i++) {
    h = (Math.imul(h - Math.imul(units[i - k]!, top), BASE) + units[i]!) | 0;
    out[i - k + 1] = mix32(h);
  }
  return out;
}

/**
 * Robust winnowing. Returns the selected hashes and their k-gram positions.
 * Texts shorter than one window still yield their minimum k-gram (if any).
 */
export function winnow(hashes: Uint32Array, w: number): Fingerprints {
  const m = hashes.length;
  if (m === 0) return { hashes: new Uint32Array(0), positions: new Uint32Array(0) };
  if (m > w) return winnowWindows(hashes, w);
  let best = 0;
  for (let i = 1; i < m; i++) if (hashes[i]! <= hashes[best]!) best = i;
  return { hashes: Uint32Array.of(hashes[best]!), positions: Uint32Array.of(best) };
}

let scratchH = new Uint32Array(4096);
let scratchP = new Uint32Array(4096);

/**
 * Winnowing proper (m > w): keep the position of the window's rightmost
 * minimum and rescan the window only when that minimum slides out (amortised
 * O(1) per k-gram). Selects into reusable buffers, copied out at the end; at
 * most one selection per window, 2/(w+1) of the k-grams on average.
 */
function winnowWindows(hashes: Uint32Array, w: number): Fingerprints {
  const m = hashes.length;
  if (scratchH.length < m - w + 1) {
    scratchH = new Uint32Array(m - w + 1);
    scratchP = new Uint32Array(m - w + 1);
  }
  const outH = scratchH;
  const outP = scratchP;
  let count = 0;
  let minPos = -1;
  for (let end = w - 1; end < m; end++) {
    const start = end - w + 1;
    if (minPos < start) {
      minPos = start;
      for (let j = start + 1; j <= end; j++) if (hashes[j]! <= hashes[minPos]!) minPos = j;
      outH[count] = hashes[minPos]!;
      outP[count] = minPos;
      count++;
    } else if (hashes[end]! <= hashes[minPos]!) {
      minPos = end;
      outH[count] = hashes[minPos]!;
      outP[count] = minPos;
      count++;
    }
  }
  return { hashes: outH.slice(0, count), positions: outP.slice(0, count) };
}

let scratchGrams = new Uint32Array(4096);

export interface TextFingerprints extends Fingerprints {
  seg: Segmented;
}

/** Normalise, segment, hash and winnow a text. */
export function fingerprintText(text: string, params: FingerprintParams = DEFAULT_PARAMS): TextFingerprints {
  const seg = segment(text);
  if (scratchGrams.length < seg.length) scratchGrams = new Uint32Array(Math.max(seg.length, scratchGrams.length * 2));
  // The k-gram hashes are temporary: computed into a reusable buffer.
  const fp = winnow(kgramHashes(seg.units, seg.length, params.k, scratchGrams), params.w);
  return { ...fp, seg };
}
