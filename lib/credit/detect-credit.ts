/**
 * Credit detection: does the page credit the outlet of a matched original,
 * where a reader can see it?
 *
 * Visible credit (the only kind that makes a copy "credited"): the page's own
 * address is on the outlet's (or a syndication partner's) domains; it links
 * there; a source line, dateline or byline in the rendered page names the
 * outlet in any script; or the page's own words (outside the copied passages)
 * name it. A name inside the copied text ("… told the Global Times") is the
 * original's words, not credit.
 *
 * Weak signals, returned only when there is no visible credit and never
 * enough on their own: metadata (rel=canonical, og:url, <meta name=author /
 * source / og:site_name>, and in a saved page an address known only from such
 * metadata), and hidden credit (a link or source line in markup that is not
 * rendered). Hidden credit is itself evidence: the page names its source
 * where readers cannot see it.
 */
import { foldAligned } from '../text/normalize';
import { hostMatches, hostOf, type Outlet } from './registry';

export type CreditKind = 'own-site' | 'partner' | 'canonical' | 'link' | 'source-line' | 'byline' | 'mention';

/** Where the credit was found: on the rendered page, only in metadata, or only in hidden markup. */
export type CreditStrength = 'visible' | 'metadata' | 'hidden';

export interface Credit {
  kind: CreditKind;
  /** The name, link or host that gave the credit. */
  evidence: string;
  strength: CreditStrength;
}

export interface PageContext {
  /** The page's own address as the browser shows it (in a saved page: see urlFromMetadata). */
  url?: string;
  /** The address is known only from the page's canonical link or og:url (a saved page without a "saved from" note). */
  urlFromMetadata?: boolean;
  /** rel=canonical or og:url: metadata. */
  canonical?: string;
  /** Absolute hrefs of the links a reader can see (article area first). */
  links?: string[];
  /** The extracted, rendered article text (offsets of matched passages refer to it). */
  text: string;
  /** Byline, author and source names a reader can see on the page. */
  bylines?: string[];
  /** Author, source and site names from meta tags: metadata. */
  metaBylines?: string[];
  /** Links that are not rendered. */
  hiddenLinks?: string[];
  /** Short texts of elements that are not rendered. */
  hiddenText?: string[];
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

type Found = Omit<Credit, 'strength'>;

/** A source line, dateline or tag naming the outlet in `raw` (or, with `mentions`, any naming outside `copied`). */
function inText(raw: string, patterns: RegExp[], shorts: RegExp[], copied: ReadonlyArray<readonly [number, number]>, mentions: boolean): Found | undefined {
  const text = foldAligned(raw);
  let mention: Found | undefined;
  const check = (at: number, len: number, short: boolean): Found | undefined => {
    const before = text.slice(Math.max(0, at - 40), at);
    const after = text.slice(at + len, at + len + 3);
    const evidence = raw.slice(at, at + len);
    // "told the Global Times", "speaking to Xinhua": the original's interview, not credit (but "according to Xinhua" is credit).
    const interview = /(?:对|向|接受|告诉|對|告訴|told|(?<!according\s)to|tells|telling|in an interview with|speaking to)\s*(?:the\s*)?$/.test(before);
    const src = interview ? null : SOURCE_BEFORE.exec(before);
    if (src) return { kind: 'source-line', evidence: raw.slice(at - (before.length - src.index), at + len).trim() };
    if (DATELINE_AROUND.test(before) && /^\s*[)）\]］】]/.test(after)) return { kind: 'source-line', evidence: `(${evidence})` };
    if (/[【\[]\s*$/.test(before) || (!interview && SOURCE_AFTER.test(text.slice(at + len, at + len + 24))))
      return { kind: 'source-line', evidence: raw.slice(at, at + len + 6).trim() };
    // "新华社北京3月14日电" / "BEIJING, March 14 (Xinhua) --" style datelines.
    if (/^[^。.!?！？\n]{0,24}电/.test(text.slice(at + len, at + len + 26)) && /(?:^|\n)\s*$/.test(before.slice(-4)))
      return { kind: 'source-line', evidence };
    if (mentions && !short && !interview && !mention && !inRanges(at, copied)) mention = { kind: 'mention', evidence };
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

/** A byline or name field that names the outlet. */
function inNames(names: readonly string[], patterns: RegExp[], shorts: RegExp[]): Found | undefined {
  for (const b of names) {
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
  return undefined;
}

/**
 * Returns the visible credit for `outlet`; without one, a weak signal
 * (hidden credit first, then metadata), marked by its strength; or undefined.
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
  const linkIn = (hrefs: readonly string[], text: readonly string[]): Found | undefined => {
    for (const href of hrefs) if (onDomains(href, domains)) return { kind: 'link', evidence: href };
    // Addresses written out in the text ("原文链接：https://…", "Source: https://…").
    for (const t of text) for (const m of t.matchAll(/https?:\/\/[^\s"'<>()（）]+/giu)) if (onDomains(m[0], domains)) return { kind: 'link', evidence: m[0] };
    return undefined;
  };
  const as = (strength: CreditStrength, f: Found | undefined): Credit | undefined => (f ? { ...f, strength } : undefined);
  const patterns = namePatterns(outlet);
  const shorts = shortPatterns(outlet);

  // Visible: the address the browser shows, links and words on the rendered page.
  const address = page.urlFromMetadata ? undefined : page.url;
  if (onDomains(address, domains)) return { kind: 'own-site', evidence: hostOf(address)!, strength: 'visible' };
  if (onDomains(address, outlet.partners)) return { kind: 'partner', evidence: hostOf(address)!, strength: 'visible' };
  const visible = linkIn(page.links ?? [], [page.text]) ?? inNames(page.bylines ?? [], patterns, shorts) ?? inText(page.text, patterns, shorts, copied, true);
  if (visible) return as('visible', visible);

  // Hidden markup that names the source: evidence of its own.
  const hiddenText = page.hiddenText ?? [];
  const hidden = linkIn(page.hiddenLinks ?? [], hiddenText) ?? hiddenText.map((t) => inText(t, patterns, shorts, [], false)).find((x) => x);
  if (hidden) return as('hidden', hidden);

  // Metadata only.
  const claimed = [page.canonical, page.urlFromMetadata ? page.url : undefined].find((u) => onDomains(u, domains) || onDomains(u, outlet.partners));
  if (claimed) return { kind: 'canonical', evidence: claimed, strength: 'metadata' };
  return as('metadata', inNames(page.metaBylines ?? [], patterns, shorts));
}
