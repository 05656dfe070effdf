/**
 * Link marks (issue 12 §3): which of a page's link targets are known, from
 * what this browser already holds — nothing leaves it. A target is
 *   - a known copy: a page this browser judged (recent detections) or the
 *     reader reported, with that verdict;
 *   - a known original: an original's address in the active index.
 * Addresses are compared normalised (linkKey). The originals' addresses are
 * kept as 32-bit hashes → docs (built once per index version, about 8 bytes
 * per original), each hit checked against the original's stored address.
 * Links to sites the reader hid from the badge get no mark.
 */
import { fnv1a, linkKey } from '../link-key';
import { registryFor } from '../registry-bundled';
import { outletName, t, resolveLang } from '../i18n';
import { hiddenSitesItem, historyItem, readSettings } from '../settings';
import { normaliseSite } from '../site-rules';
import type { ReportsDb } from '../store/reports-db';
import { indexDb, openIndex, whenIndexChanged } from './index-service';

/** The most link targets one message asks about. */
export const LINK_BATCH = 100;

export interface LinkMark {
  /** Index of the address in the request. */
  i: number;
  /** 'original', or the copy's verdict. */
  kind: 'original' | 'uncredited' | 'partial' | 'credited';
  /** What hovering the mark shows, in the reader's language. */
  line: string;
}

let originals: Promise<Map<number, number[]>> | undefined;
whenIndexChanged(() => (originals = undefined));

/** Hash of each original's normalised address → its docs (the active index's live originals). */
function originalsByUrl(): Promise<Map<number, number[]>> {
  originals ??= (async () => {
    const reader = await openIndex();
    const gens = reader.state.segments.map((s) => s.gen);
    const removed = new Set(reader.state.segments.flatMap((s) => s.removed));
    const map = new Map<number, number[]>();
    await indexDb()
      .originals.where('gen')
      .anyOf(gens)
      .each((row) => {
        if (removed.has(row.doc)) return;
        const key = linkKey(row.url);
        if (!key) return;
        const h = fnv1a(key);
        const docs = map.get(h);
        if (docs) docs.push(row.doc);
        else map.set(h, [row.doc]);
      });
    return map;
  })().catch((e: unknown) => {
    originals = undefined;
    throw e;
  });
  return originals;
}

export async function lookUpLinks(urls: readonly string[], reports: () => ReportsDb): Promise<{ marks: LinkMark[] }> {
  const lang = resolveLang((await readSettings()).language);
  const keys = urls.slice(0, LINK_BATCH).map((u) => (typeof u === 'string' ? linkKey(u) : undefined));
  const hidden = new Set(await hiddenSitesItem.getValue());
  const reader = await openIndex();
  const registry = registryFor(reader.state);
  const name = (id: string) => outletName(registry.get(id)?.names, lang, id);
  // Known copies: the reader's own detections and reports (newest first wins).
  const copies = new Map<string, { verdict: string; outlet: string }>();
  for (const d of await historyItem.getValue()) {
    const k = linkKey(d.url);
    if (k && !copies.has(k)) copies.set(k, { verdict: d.verdict, outlet: d.outlet });
  }
  for (const r of await reports().reports.toArray()) {
    const k = linkKey(r.url);
    if (k && !copies.has(k)) copies.set(k, { verdict: r.verdict, outlet: r.outlet });
  }
  const byUrl = await originalsByUrl();
  const marks: LinkMark[] = [];
  for (const [i, key] of keys.entries()) {
    if (!key) continue;
    const site = normaliseSite(new URL(`https://${key}`).hostname);
    if (site && hidden.has(site)) continue;
    const copy = copies.get(key);
    if (copy && (copy.verdict === 'uncredited' || copy.verdict === 'partial' || copy.verdict === 'credited')) {
      const k = copy.verdict === 'uncredited' ? 'markUncredited' : copy.verdict === 'partial' ? 'markPartial' : 'markCredited';
      marks.push({ i, kind: copy.verdict, line: t(lang, k, name(copy.outlet)) });
      continue;
    }
    const docs = byUrl.get(fnv1a(key));
    if (!docs) continue;
    const metas = await reader.originals(docs);
    const meta = metas.find((m) => m && linkKey(m.url) === key);
    if (meta) marks.push({ i, kind: 'original', line: t(lang, 'linkOriginal', name(meta.outlet), meta.title) });
  }
  return { marks };
}
