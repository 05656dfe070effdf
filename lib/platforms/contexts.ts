/**
 * From a platform page's units to the contexts the matcher and the credit
 * check read (PageContext), one per unit. Pure: used by the scan CLI and
 * usable by the content script.
 *
 * An article page (WeChat, Toutiao: one article unit) keeps the generic
 * extraction's context as it is — text, links, bylines, metadata, hidden
 * credit — and only gains the unit's account, time and figures. Posts and
 * video pages give each unit its own context: its text (with the reposted
 * post and subtitles), its links, and the names shown with it.
 */
import type { PageContext } from '../credit/detect-credit';
import { unitBylines, unitText } from './index';
import type { PlatformPage, PlatformUnit } from './types';

export interface UnitContext extends PageContext {
  /** The unit, without its element (plain data). */
  unit: Omit<PlatformUnit, 'element'>;
  /** 1-based position on the page, and how many units the page has. */
  index: number;
  of: number;
}

/** The unit as plain data (no DOM element). */
export function plainUnit(u: PlatformUnit): Omit<PlatformUnit, 'element'> {
  const { element: _element, ...rest } = u;
  return rest;
}

/** One context per unit; `page` is the generic extraction of the same page (its address, metadata, hidden credit). */
export function unitContexts(page: PageContext, platform: PlatformPage): UnitContext[] {
  const units = platform.units;
  if (platform.shape === 'article' && units.length === 1) {
    const u = units[0]!;
    const bylines = [...(page.bylines ?? [])];
    for (const b of unitBylines(u)) if (!bylines.includes(b)) bylines.push(b);
    return [{ ...page, bylines, unit: plainUnit(u), index: 1, of: 1 }];
  }
  const single = units.length === 1;
  return units.map((u, i) => ({
    url: page.url,
    urlFromMetadata: page.urlFromMetadata,
    // The page's metadata and hidden parts belong to the unit only when it is the page's one unit.
    canonical: single ? page.canonical : undefined,
    metaBylines: single ? page.metaBylines : [],
    hiddenLinks: single ? page.hiddenLinks : [],
    hiddenText: single ? page.hiddenText : [],
    text: unitText(u),
    links: u.links,
    bylines: unitBylines(u),
    unit: plainUnit(u),
    index: i + 1,
    of: units.length,
  }));
}
