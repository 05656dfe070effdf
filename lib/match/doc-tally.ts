/**
 * Candidates from postings lists: for each doc, how many of the page's lists hold it and the
 * lists' rarity weights summed (a list of n docs counts 1/n), then the best few by weight.
 *
 * The rewrite and translation tiers rank this way. At 100k originals a long page's translation keys
 * hold ~30,000 postings (a few common concepts carry thousands of docs each, of tiny weight): maps
 * took 12–20 ms to count them and a full sort with map lookups in its comparator as much again. Here
 * the counts live in an open-addressing table of typed arrays sized by the postings (a few
 * nanoseconds a posting), and the best few are picked in one pass.
 */
export class DocTally {
  private keys: Uint32Array;
  private hits: Uint32Array;
  private weights: Float64Array;
  private mask: number;
  /** Distinct docs counted. */
  size = 0;

  /** `expected`: about how many postings will be added (the table grows past half full). */
  constructor(expected = 1024) {
    const cap = capacityFor(expected);
    this.keys = new Uint32Array(cap);
    this.hits = new Uint32Array(cap);
    this.weights = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Counts each doc of the list once more, with weight 1/length (summed in the order added: the same sums as a running total). */
  add(list: ArrayLike<number>): void {
    if (!list.length) return;
    if (2 * (this.size + list.length) > this.keys.length) this.grow(this.size + list.length);
    const w = 1 / list.length;
    const { keys, hits, weights, mask } = this;
    for (let j = 0; j < list.length; j++) {
      const d = list[j]! >>> 0;
      let s = slotHash(d) & mask;
      while (hits[s]! !== 0 && keys[s]! !== d) s = (s + 1) & mask;
      if (hits[s]! === 0) {
        keys[s] = d;
        weights[s] = w;
        this.size++;
      } else weights[s]! += w;
      hits[s]!++;
    }
  }

  hitsOf(doc: number): number {
    const d = doc >>> 0;
    const { keys, hits, mask } = this;
    let s = slotHash(d) & mask;
    while (hits[s]! !== 0) {
      if (keys[s]! === d) return hits[s]!;
      s = (s + 1) & mask;
    }
    return 0;
  }

  /**
   * The docs with at least `minHits`, best first: higher weight, then (with `byHits`) more hits,
   * then the lower doc; at most `n` of them.
   */
  top(n: number, minHits: number, byHits = false): number[] {
    if (n <= 0) return [];
    const { keys, hits, weights } = this;
    const min = Math.max(1, minHits);
    const better = (a: number, b: number) =>
      weights[a]! !== weights[b]! ? weights[a]! > weights[b]! : byHits && hits[a]! !== hits[b]! ? hits[a]! > hits[b]! : keys[a]! < keys[b]!;
    /** Slots, best first. */
    const best: number[] = [];
    for (let s = 0; s < keys.length; s++) {
      if (hits[s]! < min) continue;
      if (best.length === n && !better(s, best[n - 1]!)) continue;
      let at = best.length === n ? n - 1 : best.length;
      while (at > 0 && better(s, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = s;
    }
    return best.map((s) => keys[s]!);
  }

  private grow(need: number): void {
    const { keys, hits, weights } = this;
    const cap = capacityFor(need);
    this.keys = new Uint32Array(cap);
    this.hits = new Uint32Array(cap);
    this.weights = new Float64Array(cap);
    this.mask = cap - 1;
    for (let s = 0; s < keys.length; s++) {
      if (hits[s]! === 0) continue;
      let t = slotHash(keys[s]!) & this.mask;
      while (this.hits[t]! !== 0) t = (t + 1) & this.mask;
      this.keys[t] = keys[s]!;
      this.hits[t] = hits[s]!;
      this.weights[t] = weights[s]!;
    }
  }
}

/** A power of two at least twice `n` (at most half full). */
function capacityFor(n: number): number {
  let cap = 64;
  while (cap < 2 * n) cap *= 2;
  return cap;
}

/** Fibonacci hashing: doc numbers are dense and ascending, the high bits of the product spread them. */
function slotHash(d: number): number {
  const h = Math.imul(d, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}
