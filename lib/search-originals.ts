/**
 * The popup's search over the originals (title, outlet, date) with fuse.js.
 * Fuzzy search over every original costs about 0.7 s a query at 100,000 of
 * them, so large sets are first narrowed to the originals that contain every
 * word of the query, and fuse.js ranks those; only when no original contains
 * them all does the fuzzy search run over everything (typos).
 */
import Fuse from 'fuse.js';

export interface Searchable {
  title: string;
  outlet: string;
  outletName: string;
  published: string;
}

const KEYS = ['title', 'outletName', 'outlet', 'published'];
// Extended search: the words of a query are matched each on its own (fuzzily), all of them required.
const OPTIONS = { keys: KEYS, threshold: 0.35, ignoreLocation: true, useExtendedSearch: true } as const;
/** Up to this many originals, fuse.js searches them all directly. */
export const DIRECT_LIMIT = 20_000;

export class OriginalSearch<T extends Searchable> {
  private fuse?: Fuse<T>;
  private readonly hay?: string[];

  constructor(private readonly items: T[]) {
    if (items.length > DIRECT_LIMIT) this.hay = items.map((o) => `${o.title}\n${o.outletName}\n${o.outlet}\n${o.published}`.toLowerCase());
  }

  private all(): Fuse<T> {
    this.fuse ??= new Fuse(this.items, OPTIONS);
    return this.fuse;
  }

  search(query: string, limit = 20): T[] {
    const q = query.trim();
    if (!q) return [];
    if (!this.hay) return this.all().search(q, { limit }).map((r) => r.item);
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const narrowed: T[] = [];
    for (let i = 0; i < this.items.length && narrowed.length < 5000; i++) if (words.every((w) => this.hay![i]!.includes(w))) narrowed.push(this.items[i]!);
    if (!narrowed.length) return this.all().search(q, { limit }).map((r) => r.item);
    return new Fuse(narrowed, OPTIONS).search(q, { limit }).map((r) => r.item);
  }
}
