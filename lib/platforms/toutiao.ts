/**
 * Toutiao articles (www.toutiao.com/article/…, /a…, /item/…, m.toutiao.com):
 * one article unit — title, body, the account, time, the 原创 label and
 * source lines, and the comment and like figures where the page shows them.
 * The current page puts the article in div.article-content (h1, a meta line
 * of spans: time, 原创 label, account; then <article>); the older design in
 * .article-box (.article-title, .article-sub spans, .article-content).
 */
import type { Engagement, Mark, PlatformModule, PlatformPage } from './types';
import { absUrl, clean, count, cssPath, lineOf, linksIn, pick, pickAll, postedAt, textOf } from './util';

/** Selectors: the one place to change when Toutiao changes its markup. */
export const TOUTIAO = {
  hosts: ['toutiao.com', 'toutiaocdn.com'],
  root: ['div.article-content', '.article-box', '.article-detail'],
  title: ['h1', '.article-title'],
  body: ['article.syl-article-base', 'article.tt-article-content', 'article', '.article-content > div:not(.article-meta)'],
  meta: ['.article-meta', '.article-sub'],
  /** In the meta line: the account name (a link to its profile) and the time. */
  account: ['.article-meta .name a', '.article-meta a.name', '.article-meta a[href*="/c/user/"]', '.author-info .name', '.user-card-name a', '.article-sub a'],
  time: ['.article-meta span.time', '.article-meta span:first-child', '.article-sub span:last-child'],
  originalLabel: ['.article-meta .original-tag', '.article-meta .original', '.original-mark'],
  comments: ['.detail-interaction-comment', '.side-drawer-btn .side-drawer-btn-text', '#comment .c-header em'],
  likes: ['.detail-like .detail-like-text', '.detail-interaction-like', '.digg-count'],
  sourceLine: /^(?:本文)?(?:来源|來源|稿源|转载自|转自|原标题|文章来源|source)\s*[:：]\s*\S/i,
  marker: ['article.syl-article-base', 'a[href*="toutiao.com"]', 'meta[content*="toutiao" i]', 'link[href*="toutiao.com"]'],
} as const;

export const toutiao: PlatformModule = {
  id: 'toutiao',
  hosts: TOUTIAO.hosts,
  // Without a Toutiao address: the article layout and a Toutiao mark (its article class, a link or meta naming it); the class names alone are common.
  looksLike: (doc) => !!pick(doc, ['div.article-content .article-meta', '.article-box .article-sub']) && !!pick(doc, TOUTIAO.marker),
  extract(doc, ctx): PlatformPage | undefined {
    const root = pick(doc, TOUTIAO.root);
    if (!root) return undefined;
    const body = pick(root, TOUTIAO.body);
    if (!body) return undefined;
    const title = lineOf(pick(root, TOUTIAO.title)) || clean(doc.title);
    const accountEl = pick(doc, TOUTIAO.account);
    const name = lineOf(accountEl);
    const url = absUrl(accountEl?.getAttribute('href'), ctx.url);
    const when = postedAt(lineOf(pick(doc, TOUTIAO.time)).replace(/^发布于\s*/, ''));
    const marks: Mark[] = [];
    const label = lineOf(pick(doc, TOUTIAO.originalLabel));
    if (/原创/.test(label)) marks.push({ kind: 'original', text: label });
    for (const span of pickAll(pick(doc, TOUTIAO.meta), ['span'])) {
      const t = lineOf(span);
      if (t === '原创' && !marks.length) marks.push({ kind: 'original', text: t });
    }
    const paras = pickAll(body, ['p']).map((p) => lineOf(p)).filter((t) => t && t.length <= 120);
    for (const t of [...paras.slice(0, 3), ...paras.slice(-5)])
      if (TOUTIAO.sourceLine.test(t) && !marks.some((m) => m.text === t)) marks.push({ kind: /转载|转自/.test(t) ? 'reprint' : 'source', text: t });
    const eng: Engagement = { readAt: ctx.now };
    const comments = count(lineOf(pick(doc, TOUTIAO.comments)));
    const likes = count(lineOf(pick(doc, TOUTIAO.likes)));
    if (comments) eng.comments = comments;
    if (likes) eng.likes = likes;
    return {
      platform: 'toutiao',
      shape: 'article',
      units: [
        {
          platform: 'toutiao',
          kind: 'article',
          title,
          text: textOf(body),
          author: url ? { name, url } : { name },
          ...(when ? { postedAt: when } : {}),
          engagement: eng,
          marks,
          links: linksIn(body, ctx.url),
          ...(ctx.url ? { url: ctx.url } : {}),
          element: body,
          selector: cssPath(body),
        },
      ],
    };
  },
};
