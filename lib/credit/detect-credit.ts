/**
 * Credit detection: does the page credit the outlet of a matched original?
 * Credit is any of: the page lives on the outlet's (or a syndication
 * partner's) domains; it declares a canonical URL there; it links there; a
 * source line, dateline or byline names the outlet in any script; or the
 * page's own words (outside the copied passages) name it. A name inside the
 * copied text ("… told the Global Times") is the original's words, not credit.
 */
import { foldAligned } from '../text/normalize';
import { hostMatches, hostOf, type Outlet } from './registry';

export type CreditKind = 'own-site' | 'partner' | 'canonical' | 'link' | 'source-line' | 'byline' | 'mention';

export interface Credit {
  kind: CreditKind;
  /** The name, link or host that gave the credit. */
  evidence: string;
}

export interface PageContext {
  /** The page's address, if known. */
  url?: string;
  /** rel=canonical or og:url. */
  canonical?: string;
  /** Absolute hrefs of the page's links (article area first). */
  links?: string[];
  /** The extracted article text (offsets of matched passages refer to it). */
  text: string;
  /** Byline, author and site-name metadata, and any source field. */
  bylines?: string[];
}

const SOURCE_BEFORE =
  /(?:source|sources|via|credit|credits|courtesy of|from|according to|reported by|report by|by|originally published (?:by|in|on)|first published (?:by|in|on)|republished from|reprinted from|来源|來源|稿源|出处|出處|转自|轉自|转载自|轉載自|转载|轉載|原载|原載|原文|原标题|原標題|来自|來自|源自|本文来自|本文來自|据|據|综合|綜合|编译自|編譯自)\s*[:：|｜/／\-–—]?\s*(?:the\s+)?$/;
const DATELINE_AROUND = /[（(［[【]\s*$/;
/** After the name: a news-agency tag, byline or report verb ("新华社讯", "环球网记者", "Xinhua reported"). */
const SOURCE_AFTER =
  /^\s*(?:网|網|客户端|客戶端|官方微博|微信公众号|微信公眾號)?\s*(?:讯|訊|消息|记者|記者|报道|報道|报导|報導|特约|特約|评论员|評論員|快讯|快訊|独家|獨家|reporter|correspondent|staff writer|news agency|reported|reports|said in a report)/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Case-insensitive (folded) patterns for an outlet's names and aliases. */
function namePatterns(outlet: Outlet): RegExp[] {
  const caseSensitive = new Set(outlet.caseSensitiveNames ?? []);
  const names = new Set<string>([...Object.values(outlet.names), ...outlet.aliases].filter((n) => !caseSensitive.has(n)));
  const out: RegExp[] = [];
  for (const n of names) {
    const folded = foldAligned(n).trim();
    if (!folded) continue;
    const body = folded.split(/\s+/).map(escapeRe).join('[\\s\\u00a0]+');
    const latin = /^[\p{L}\p{N}]/u.test(folded) && !/\p{Script=Han}/u.test(folded);
    out.push(new RegExp(latin ? `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])` : body, 'gu'));
  }
  return out;
}

/** Case-sensitive patterns on raw text for short forms ("RT", "CNS"). */
function shortPatterns(outlet: Outlet): RegExp[] {
  return [...(outlet.caseSensitiveNames ?? []), ...outlet.abbreviations].map(
    (a) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(a)}(?![\\p{L}\\p{N}])`, 'gu'),
  );
}

function inRanges(at: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  return ranges.some(([a, b]) => at >= a && at < b);
}

/**
 * Returns the first credit found for `outlet`, or undefined.
 * `copied` lists [start, end) offsets of the matched passages in page.text.
 * `originalUrl` is the matched original's address (a link to it is credit).
 */
export function detectCredit(
  page: PageContext,
  outlet: Outlet,
  copied: ReadonlyArray<readonly [number, number]> = [],
  originalUrl?: string,
): Credit | undefined {
  const domains = [...outlet.domains];
  const origHost = hostOf(originalUrl);
  if (origHost) domains.push(origHost.replace(/^www\./, ''));
  const onDomains = (url: string | undefined, list: string[]) => {
    const h = hostOf(url);
    return h !== undefined && list.some((d) => hostMatches(h, d));
  };

  if (onDomains(page.url, domains)) return { kind: 'own-site', evidence: hostOf(page.url)! };
  if (onDomains(page.url, outlet.partners)) return { kind: 'partner', evidence: hostOf(page.url)! };
  if (page.canonical && onDomains(page.canonical, domains)) return { kind: 'canonical', evidence: page.canonical };
  for (const href of page.links ?? []) if (onDomains(href, domains)) return { kind: 'link', evidence: href };

  // Addresses written out in the text ("原文链接：https://…", "Source: https://…").
  for (const m of page.text.matchAll(/https?:\/\/[^\s"'<>()（）]+/giu))
    if (onDomains(m[0], domains)) return { kind: 'link', evidence: m[0] };

  const patterns = namePatterns(outlet);
  const shorts = shortPatterns(outlet);
  for (const b of page.bylines ?? []) {
    const f = foldAligned(b);
    for (const re of patterns) {
      re.lastIndex = 0;
      const m = re.exec(f);
      if (m) return { kind: 'byline', evidence: b.slice(m.index, m.index + m[0].length) };
    }
    for (const re of shorts) {
      re.lastIndex = 0;
      const m = re.exec(b);
      if (m) return { kind: 'byline', evidence: m[0] };
    }
  }

  const raw = page.text;
  const text = foldAligned(raw);
  let mention: Credit | undefined;
  const check = (at: number, len: number, short: boolean): Credit | undefined => {
    const before = text.slice(Math.max(0, at - 40), at);
    const after = text.slice(at + len, at + len + 3);
    const evidence = raw.slice(at, at + len);
    const interview = /(?:对|向|接受|告诉|對|告訴|told|to|tells|telling|in an interview with|speaking to)\s*(?:the\s*)?$/.test(before);
    const src = interview ? null : SOURCE_BEFORE.exec(before);
    if (src) return { kind: 'source-line', evidence: raw.slice(at - (before.length - src.index), at + len).trim() };
    if (DATELINE_AROUND.test(before) && /^\s*[)）\]］】]/.test(after)) return { kind: 'source-line', evidence: `(${evidence})` };
    if (/[【\[]\s*$/.test(before) || (!interview && SOURCE_AFTER.test(text.slice(at + len, at + len + 24))))
      return { kind: 'source-line', evidence: raw.slice(at, at + len + 6).trim() };
    // "新华社北京3月14日电" / "BEIJING, March 14 (Xinhua) --" style datelines.
    if (/^[^。.!?！？\n]{0,24}电/.test(text.slice(at + len, at + len + 26)) && /(?:^|\n)\s*$/.test(before.slice(-4)))
      return { kind: 'source-line', evidence };
    if (!short && !mention && !inRanges(at, copied)) mention = { kind: 'mention', evidence };
    return undefined;
  };
  for (const re of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const c = check(m.index, m[0].length, false);
      if (c) return c;
    }
  }
  for (const re of shorts) {
    re.lastIndex = 0;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const c = check(m.index, m[0].length, true);
      if (c) return c;
    }
  }
  return mention;
}
