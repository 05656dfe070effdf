/**
 * Lapsed feeds: a feed whose installed manifest expired more than a grace
 * period ago (its publisher stopped renewing it, or someone keeps the reader
 * from seeing the renewal: an indefinite freeze), or whose key was revoked.
 * Its index stays (lookups still find its originals, and it may come back
 * with the next good sync), but an original that only such a feed vouches
 * for no longer makes a page an uncredited copy, or a partial one, on its
 * own: the verdict is taken again without it, and the feed's status says so
 * loudly. Stale data then costs a missed detection, never a false accusation.
 */
import type { PageContext } from '../credit/detect-credit';
import type { OutletRegistry } from '../credit/registry';
import type { IndexReader, OriginalMeta } from '../index/types';
import { judge, type Finding, type Thresholds } from '../match/judge';
import { scanPage, type PageScan, type ScanOptions } from '../scan-page';
import { sourceOf, type ActiveIndex, type SourceRecord } from '../store/index-db';

/** Days after `expires` that an expired feed's originals still count in full. */
export const GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

export interface Lapse {
  why: 'expired' | 'revoked';
  /** Since when: the expiry date, or the revocation's. */
  since: string;
}

/** Whether a source has lapsed at `now`, and why. */
export function lapseOf(rec: SourceRecord | undefined, now: number): Lapse | undefined {
  if (!rec || rec.id === 'bundled') return undefined;
  if (rec.revoked) return { why: 'revoked', since: rec.revoked.at };
  if (rec.expires && Date.parse(rec.expires) + GRACE_DAYS * DAY_MS <= now) return { why: 'expired', since: rec.expires };
  return undefined;
}

/** The lapsed sources of an index state, by feed id. */
export function lapsedFeeds(active: ActiveIndex | undefined, now: number): Map<string, Lapse> {
  const out = new Map<string, Lapse>();
  for (const id of Object.keys(active?.sources ?? {})) {
    const lapse = lapseOf(sourceOf(active, id), now);
    if (lapse) out.set(id, lapse);
  }
  return out;
}

/** What the rule needs to know about where an original comes from. */
export interface OriginSource {
  /** The source (feed id or "bundled") whose segment holds `doc`. */
  feedOf(doc: number): string | undefined;
  /** Whether a source not in `except` holds the same original (id, address, outlet, text hash), shown or hidden. */
  heldElsewhere(meta: OriginalMeta, except: ReadonlySet<string>): Promise<boolean>;
}

/** The docs among `metas` whose original comes only from lapsed feeds. */
export async function lapsedOnly(metas: OriginalMeta[], origin: OriginSource, lapsed: ReadonlyMap<string, Lapse>): Promise<Map<number, { feed: string; lapse: Lapse }>> {
  const out = new Map<number, { feed: string; lapse: Lapse }>();
  if (!lapsed.size) return out;
  const except = new Set(lapsed.keys());
  for (const m of metas) {
    const feed = origin.feedOf(m.doc);
    const lapse = feed === undefined ? undefined : lapsed.get(feed);
    if (lapse && !(await origin.heldElsewhere(m, except))) out.set(m.doc, { feed: feed!, lapse });
  }
  return out;
}

type FindingLike = { candidate: { original: { doc: number } }; credit?: unknown };
interface Judged {
  finding?: FindingLike;
  findings: FindingLike[];
}

/**
 * The rule: when the verdict's finding (an uncredited or partial copy) rests
 * on an original that only lapsed feeds hold, the verdict is taken again
 * (`rejudge`, given the match without those originals); the finding set aside
 * is returned with it. A credited finding, or one that rests on live
 * originals, is left as it is.
 */
export function discountLapsed<V extends Judged, M extends { candidates: Array<{ original: { doc: number } }> }>(
  verdict: V,
  match: M,
  lapsedDocs: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  rejudge: (match: M) => V,
): { verdict: V; setAside?: NonNullable<V['finding']> } {
  const pick = verdict.finding as NonNullable<V['finding']> | undefined;
  if (!pick || pick.credit || !lapsedDocs.has(pick.candidate.original.doc)) return { verdict };
  const kept = { ...match, candidates: match.candidates.filter((c) => !lapsedDocs.has(c.original.doc)) };
  return { verdict: rejudge(kept), setAside: pick };
}

export interface LapseAwareReader extends IndexReader, OriginSource {
  readonly state: ActiveIndex;
}

export interface LapseAwareScan extends PageScan {
  /** The finding set aside because its original comes only from a lapsed feed, and that feed. */
  setAside?: { finding: Finding; feed: string; title?: string; lapse: Lapse };
}

/**
 * scanPage with the rule applied: what the background answers a page with.
 * Call inside the read transaction that covers buckets, filters and originals.
 */
export async function scanCountingLapses(
  page: PageContext,
  reader: LapseAwareReader,
  registry: OutletRegistry,
  thresholds: Thresholds,
  now: number,
  translate?: ScanOptions['translate'],
): Promise<LapseAwareScan> {
  const scan = await scanPage(page, reader, registry, { thresholds, ...(translate ? { translate } : {}) });
  const lapsed = lapsedFeeds(reader.state, now);
  if (!lapsed.size || !scan.findings.length) return scan;
  const only = await lapsedOnly(scan.findings.map((f) => f.candidate.original), reader, lapsed);
  const { verdict, setAside } = discountLapsed(scan, scan.match, only, (match) => ({ ...judge(match, page, registry, thresholds), match }));
  if (!setAside) return verdict;
  const from = only.get(setAside.candidate.original.doc)!;
  const title = sourceOf(reader.state, from.feed)?.title;
  return { ...verdict, setAside: { finding: setAside, feed: from.feed, ...(title ? { title } : {}), lapse: from.lapse } };
}
