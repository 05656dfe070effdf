/** Index of `h` in the ascending range a[lo..hi], or -1 (binary search). */
export function sortedIndexOf(a: Uint32Array, h: number, lo = 0, hi = a.length - 1): number {
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = a[mid]!;
    if (v < h) lo = mid + 1;
    else if (v > h) hi = mid - 1;
    else return mid;
  }
  return -1;
}
