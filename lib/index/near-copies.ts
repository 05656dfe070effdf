/**
 * Near-copy groups (one original's copies on several sites, a wire story
 * run twice): union-find over pairs of originals that share at least
 * `overlap` of the smaller one's fingerprints. Used by the in-memory builder
 * (build-index.ts) and the streaming one (stream-build.ts), which count the
 * pairs each in their own way.
 */

/** Only hashes held by at most this many originals are counted for pairs (the cost stays near-linear). */
export const NEAR_COPY_MAX_DF = 16;

/**
 * Each original's group (the root of its set). `pairs` calls `visit` once per
 * counted pair (x, y) with the number of hashes they share; unions happen in
 * that order, so the same pairs in the same order give the same roots.
 */
export function nearCopyGroups(
  n: number,
  fingerprints: (doc: number) => number,
  overlap: number,
  pairs: (visit: (x: number, y: number, shared: number) => void) => void,
): Uint32Array<ArrayBuffer> {
  const parent = new Uint32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const findRoot = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  pairs((x, y, shared) => {
    const smaller = Math.min(fingerprints(x), fingerprints(y));
    if (smaller > 0 && shared >= overlap * smaller) parent[findRoot(x)] = findRoot(y);
  });
  const group = new Uint32Array(n);
  for (let i = 0; i < n; i++) group[i] = findRoot(i);
  return group;
}
