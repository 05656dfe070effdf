/**
 * X / Twitter (x.com, twitter.com, mobile.twitter.com): each post on the page
 * (a timeline, a search, a post with its replies) is a unit — text, author
 * (display name and @handle), time, replies, reposts, likes and views as
 * shown, the quoted post inside it, and the "… reposted" line of a repost.
 * The page marks its parts with data-testid attributes, which are read here.
 */
import type { Count, Engagement, Mark, PlatformModule, PlatformPage, PlatformUnit } from './types';
import { absUrl, clean, count, cssPath, hashtagsOf, lineOf, linksIn, pickAll, postedAt, shownCount, textOf } from './util';

/** Selectors: the one place to change when X changes its markup. */
export const X = {
  hosts: ['x.com', 'twitter.com'],
  post: ['article[data-testid="tweet"]', 'article[role="article"]'],
  text: '[data-testid="tweetText"]',
  userName: '[data-testid="User-Name"]',
  time: 'time[datetime]',
  /** The quoted post: a link block inside the post with its own author and text. */
  quote: 'div[role="link"]',
  socialContext: '[data-testid="socialContext"]',
  counts: {
    comments: ['[data-testid="reply"]'],
    reposts: ['[data-testid="retweet"]', '[data-testid="unretweet"]'],
    likes: ['[data-testid="like"]', '[data-testid="unlike"]'],
    // Views: the analytics link (each button's number sits in an app-text-transition-container too, so that is no view count).
    views: ['a[href$="/analytics"]'],
  },
  origin: 'https://x.com',
} as const;

function inside(el: Element, containers: Element[]): boolean {
  return containers.some((c) => c !== el && c.contains(el));
}

function first(root: Element, selector: string, outside: Element[]): Element | undefined {
  return Array.from(root.querySelectorAll(selector)).find((el) => !inside(el, outside));
}

function authorOf(userName: Element | undefined, base: string | undefined) {
  if (!userName) return { name: '' };
  const links = Array.from(userName.querySelectorAll('a[href]'));
  const handleLink = links.find((a) => /^@\w{1,50}$/.test(lineOf(a)));
  const handleEl = handleLink ?? Array.from(userName.querySelectorAll('span')).find((s) => /^@\w{1,50}$/.test(lineOf(s)));
  const handle = handleEl ? lineOf(handleEl) : '';
  const display = lineOf(Array.from(userName.querySelectorAll('span')).find((s) => lineOf(s) && !lineOf(s).startsWith('@'))) || lineOf(links[0]);
  const name = display && handle && !display.startsWith('@') ? `${display} (${handle})` : display || handle;
  const href = handleLink?.getAttribute('href') ?? (handle ? `/${handle.slice(1)}` : undefined);
  const url = absUrl(href, base ?? X.origin);
  return url ? { name: clean(name), url } : { name: clean(name) };
}

/** "1,234 Likes. Like" (aria-label) or the shown number. */
function figure(root: Element, selectors: readonly string[], outside: Element[]): Count | undefined {
  for (const s of selectors) {
    const el = first(root, s, outside);
    if (!el) continue;
    // Shown rounded ("1.2K"); the label for screen readers holds the whole number ("1290 Likes. Like").
    return shownCount(count(lineOf(el)), count(el.getAttribute('aria-label')));
  }
  return undefined;
}

function readPost(post: Element, base: string | undefined, now: string): PlatformUnit | undefined {
  const quote = Array.from(post.querySelectorAll(X.quote)).find((q) => q.querySelector(X.text) && q.querySelector(X.userName));
  const outside = quote ? [quote] : [];
  const textEl = first(post, X.text, outside);
  const text = textOf(textEl);
  if (!text && !quote) return undefined;
  const timeEl = first(post, X.time, outside);
  const shown = lineOf(timeEl);
  const iso = postedAt(timeEl?.getAttribute('datetime'))?.iso;
  const eng: Engagement = { readAt: now };
  for (const k of ['comments', 'reposts', 'likes', 'views'] as const) {
    const c = figure(post, X.counts[k], outside);
    if (c) eng[k] = c;
  }
  const marks: Mark[] = [];
  const social = lineOf(first(post, X.socialContext, outside));
  if (social) marks.push({ kind: 'reprint', text: social });
  let repostOf: PlatformUnit['repostOf'];
  if (quote) {
    const qTime = quote.querySelector(X.time);
    const qWhen = qTime ? { shown: lineOf(qTime), ...(postedAt(qTime.getAttribute('datetime'))?.iso ? { iso: postedAt(qTime.getAttribute('datetime'))!.iso } : {}) } : undefined;
    repostOf = { author: authorOf(quote.querySelector(X.userName) ?? undefined, base), text: textOf(quote.querySelector(X.text)), ...(qWhen ? { postedAt: qWhen } : {}) };
  }
  const permalink = absUrl(timeEl?.closest('a')?.getAttribute('href'), base ?? X.origin);
  return {
    platform: 'x',
    kind: 'post',
    text,
    author: authorOf(first(post, X.userName, outside), base),
    ...(shown || iso ? { postedAt: { shown: shown || iso!, ...(iso ? { iso } : {}) } } : {}),
    engagement: eng,
    ...(repostOf ? { repostOf } : {}),
    marks,
    ...(hashtagsOf(text).length ? { hashtags: hashtagsOf(text) } : {}),
    ...(permalink ? { url: permalink } : {}),
    links: linksIn(textEl, base ?? X.origin),
    element: post,
    selector: cssPath(post),
  };
}

export const x: PlatformModule = {
  id: 'x',
  hosts: X.hosts,
  looksLike: (doc) => !!doc.querySelector(`${X.post[0]} ${X.text}`),
  extract(doc, ctx): PlatformPage | undefined {
    const posts = pickAll(doc, X.post);
    const top = posts.filter((p) => !posts.some((o) => o !== p && o.contains(p)));
    const units = top.map((p) => readPost(p, ctx.url, ctx.now)).filter((u): u is PlatformUnit => !!u);
    if (!units.length) return undefined;
    return { platform: 'x', shape: units.length > 1 ? 'timeline' : 'post', units };
  },
};
