/**
 * The popup's search, answered by the background from the search term table
 * (lib/search/search-index.ts): the popup reads no originals itself.
 */
import { outletName, resolveLang, type Lang } from '../i18n';
import type { SearchResult } from '../messages';
import { registryFor } from '../registry-bundled';
import { OutletRegistry } from '../credit/registry';
import { searchOriginals } from '../search/search-index';
import { readSettings } from '../settings';
import { activeState, indexDb } from './index-service';

/** Longest query taken (a longer one is cut). */
const MAX_QUERY = 200;

const LANGS: ReadonlySet<unknown> = new Set<Lang>(['en', 'zh-Hans', 'zh-Hant']);

export async function searchForPopup(query: unknown, lang?: unknown): Promise<SearchResult[]> {
  const q = typeof query === 'string' ? query.slice(0, MAX_QUERY) : '';
  // An empty query readies the state (the popup sends one when it opens).
  const state = await activeState();
  if (!q.trim()) return [];
  const language = LANGS.has(lang) ? (lang as Lang) : resolveLang((await readSettings()).language);
  const registry = registryFor(state);
  const nameOf = (id: string) => outletName(registry.find(id)?.names, language, id);
  const metas = await searchOriginals(indexDb(), state, q, {
    outletNames: (id) => {
      const o = registry.find(id);
      return o ? OutletRegistry.namesOf(o) : [id];
    },
    outletName: nameOf,
  });
  return metas.map((m) => ({ id: m.id, title: m.title, outlet: m.outlet, outletName: nameOf(m.outlet), published: m.published, url: m.url }));
}
