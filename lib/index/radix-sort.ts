/**
 * Stable LSD radix sort of (key, value) pairs by 32-bit key, two passes of 16
 * bits. Linear time; used to turn (hash, doc) pairs into postings lists.
 */
export function radixSortPairs(keys: Uint32Array, vals: Uint32Array, n: number): void {
  const k2 = new Uint32Array(n);
  const v2 = new Uint32Array(n);
  const count = new Uint32Array(65537);
  pass(keys, vals, k2, v2, n, 0, count);
  count.fill(0);
  pass(k2, v2, keys, vals, n, 16, count);
}

function pass(
  sk: Uint32Array,
  sv: Uint32Array,
  dk: Uint32Array,
  dv: Uint32Array,
  n: number,
  shift: number,
  count: Uint32Array,
) {
  for (let i = 0; i < n; i++) count[((sk[i]! >>> shift) & 0xffff) + 1]!++;
  for (let i = 1; i < 65537; i++) count[i]! += count[i - 1]!;
  for (let i = 0; i < n; i++) {
    const d = (sk[i]! >>> shift) & 0xffff;
    const at = count[d]!++;
    dk[at] = sk[i]!;
    dv[at] = sv[i]!;
  }
}
