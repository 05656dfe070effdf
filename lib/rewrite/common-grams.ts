/**
 * Common grams: pairs of content words that many originals of an index use —
 * the formulas of the genre ("pleaded guilty", "told the court", "新闻发布会",
 * "记者了解到"). Two reports of one event share them without one being written
 * from the other, so they do not count as shared wording. The index builder
 * counts, for every gram of wording, how many originals use it, in bounded
 * memory at any index size: a count-min sketch (Cormode & Muthukrishnan,
 * 2005; two rows of 2^22 counters) estimates every gram's count, and a gram
 * gets an exact count of its own once its estimate reaches the threshold for
 * the originals added so far. Grams used by at least max(8, 1%) of the
 * originals are kept, at most 20,000 of them (the most used), in the index
 * header.
 */
import { mix32 } from '../text/normalize';

const BITS = 22;
const MASK = (1 << BITS) - 1;
const MAX_COMMON = 20_000;

/** How many originals make a gram common. */
export function commonThreshold(originals: number): number {
  return Math.max(8, Math.ceil(originals * 0.01));
}

export class GramCounter {
  private readonly row1 = new Uint16Array(1 << BITS);
  private readonly row2 = new Uint16Array(1 << BITS);
  private readonly counts = new Map<number, number>();
  private originals = 0;

  /** Counts one original's distinct grams. */
  add(grams: ArrayLike<number>): void {
    this.originals++;
    const admit = commonThreshold(this.originals);
    for (let i = 0; i < grams.length; i++) {
      const h = grams[i]!;
      const exact = this.counts.get(h);
      if (exact !== undefined) {
        this.counts.set(h, exact + 1);
        continue;
      }
      const a = h & MASK;
      const b = mix32(h ^ 0x85ebca6b) & MASK;
      if (this.row1[a]! < 0xffff) this.row1[a]!++;
      if (this.row2[b]! < 0xffff) this.row2[b]!++;
      const estimate = Math.min(this.row1[a]!, this.row2[b]!);
      if (estimate >= admit) this.counts.set(h, estimate);
    }
  }

  /** The grams that at least commonThreshold(originals) originals use, sorted (at most 20,000, the most used). */
  common(originals = this.originals): number[] {
    const min = commonThreshold(originals);
    const out = [...this.counts].filter(([, n]) => n >= min);
    out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return out
      .slice(0, MAX_COMMON)
      .map(([h]) => h)
      .sort((a, b) => a - b);
  }
}
