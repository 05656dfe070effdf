/**
 * Candidates from postings lists: for each doc, how many of the page's lists hold it and the
 * lists' rarity weights summed (a list of n docs counts 1/n), then the best few by weight.
 *
 * The rewrite and translation tiers rank this way. A page's lists hold tens of thousands of docs at
 * 100k originals, of which thousands pass the minimum of hits: a full sort of those with map lookups
 * in its comparator took 20–60 ms, more than the rest of the tier together. Here each doc gets a slot
 * (one map lookup per posting) and the best few are picked in one pass.
 */
export class DocTally {
  private readonly slotOf = new Map<number, number>();
  readonly docs: number[] = [];
  readonly hits: number[] = [];
  readonly weights: number[] = [];

  /** Counts each doc of the list once more, with weight 1/length (adds in the order given: the same sums as a running total). */
  add(list: ArrayLike<number>): void {
    const w = 1 / list.length;
    for (let j = 0; j < list.length; j++) {
      const d = list[j]!;
      const s = this.slotOf.get(d);
      if (s === undefined) {
        this.slotOf.set(d, this.docs.length);
        this.docs.push(d);
        this.hits.push(1);
        this.weights.push(w);
      } else {
        this.hits[s]!++;
        this.weights[s]! += w;
      }
    }
  }

  hitsOf(doc: number): number {
    const s = this.slotOf.get(doc);
    return s === undefined ? 0 : this.hits[s]!;
  }

  /**
   * The docs with at least `minHits`, best first: higher weight, then (with `byHits`) more hits,
   * then the lower doc; at most `n` of them.
   */
  top(n: number, minHits: number, byHits = false): number[] {
    if (n <= 0) return [];
    const { docs, hits, weights } = this;
    const better = (a: number, b: number) =>
      weights[a]! !== weights[b]! ? weights[a]! > weights[b]! : byHits && hits[a]! !== hits[b]! ? hits[a]! > hits[b]! : docs[a]! < docs[b]!;
    /** Slots, best first. */
    const best: number[] = [];
    for (let s = 0; s < docs.length; s++) {
      if (hits[s]! < minHits) continue;
      if (best.length === n && !better(s, best[n - 1]!)) continue;
      let at = best.length === n ? n - 1 : best.length;
      while (at > 0 && better(s, best[at - 1]!)) {
        best[at] = best[at - 1]!;
        at--;
      }
      best[at] = s;
      if (best.length > n) best.length = n;
    }
    return best.map((s) => docs[s]!);
  }
}
