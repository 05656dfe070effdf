/**
 * Platform-aware extraction: picks the module for a page by its host, else by
 * the shape of the page (a saved page whose address is unknown), and returns
 * its units. Undefined means "not a page any module knows": the caller then
 * uses the generic article extractor (never nothing). Pure functions over a
 * Document: the content script can call them on the live DOM.
 *
 *   extractUnits(doc, { url, now }) → PlatformPage | undefined
 *   moduleFor(url, doc) → PlatformModule | undefined
 *   unitText(unit) → the text a unit is matched on
 *   unitBylines(unit) → the names a reader sees with the unit (for credit)
 */
import { bilibili } from './bilibili';
import { douyin } from './douyin';
import type { ExtractContext, PlatformModule, PlatformPage, PlatformUnit } from './types';
import { toutiao } from './toutiao';
import { wechat } from './wechat';
import { weibo } from './weibo';
import { x } from './x';
import { xigua } from './xigua';

export type * from './types';

export const MODULES: readonly PlatformModule[] = [wechat, weibo, douyin, xigua, bilibili, toutiao, x];

function hostOf(url: string | undefined): string {
  try {
    const u = url ? new URL(url) : undefined;
    return u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.hostname.toLowerCase() : '';
  } catch {
    return '';
  }
}

/** The module for a page: by host, else (no known host) by the page's shape. */
export function moduleFor(url: string | undefined, doc: Document): PlatformModule | undefined {
  const host = hostOf(url);
  const byHost = host ? MODULES.find((m) => m.hosts.some((h) => host === h || host.endsWith(`.${h}`))) : undefined;
  if (byHost) return byHost;
  return MODULES.find((m) => {
    try {
      return m.looksLike(doc);
    } catch {
      return false;
    }
  });
}

/** The units of a platform page, or undefined (not a platform page, or one its module does not recognise). */
export function extractUnits(doc: Document, ctx: ExtractContext = {}): PlatformPage | undefined {
  const mod = moduleFor(ctx.url, doc);
  if (!mod) return undefined;
  let page: PlatformPage | undefined;
  try {
    page = mod.extract(doc, { ...ctx, now: ctx.now ?? new Date().toISOString() });
  } catch {
    return undefined; // markup the module cannot read: the generic extractor takes the page
  }
  if (!page) return undefined;
  const units = page.units.filter((u) => unitText(u).trim());
  return units.length ? { ...page, units } : undefined;
}

/** The text a unit is matched on: title, own text, the reposted post's text, subtitles. */
export function unitText(u: PlatformUnit): string {
  return [u.title, u.text, u.repostOf?.text, ...(u.subtitles ?? []).map((s) => s.text)]
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .filter((p, i, all) => all.indexOf(p) === i)
    .join('\n\n');
}

/** Names a reader sees with the unit: the account, an author line, the reposted post's author, and source marks. */
export function unitBylines(u: PlatformUnit): string[] {
  const out = [u.author.name, u.byline, u.repostOf?.author.name, ...u.marks.filter((m) => m.kind !== 'original').map((m) => m.text)];
  return out.filter((s, i): s is string => !!s && out.indexOf(s) === i);
}
