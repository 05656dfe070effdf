/**
 * Weibo (weibo.com, s.weibo.com, m.weibo.cn): each post is a unit — its
 * text, author, time, 转发/评论/赞 figures, and the post it reposts (the
 * retweeted original, shown inside it).
 *
 * Four page shapes: the app-style mobile page m.weibo.cn/status/… (the post
 * comes from the `$render_data` JSON the page carries, rendered or not); the
 * mobile timeline as rendered (cards); the desktop timeline and post page of
 * weibo.com (the current design, whose class names end in build hashes, so
 * they are matched by prefix); and search results on s.weibo.com (and the
 * older desktop design, whose roles use the same card fields).
 */
import type { Account, Count, Engagement, PlatformModule, PlatformPage, PlatformUnit } from './types';
import { absUrl, account, at, atFirst, clean, count, cssPath, findObjects, hashtagsOf, htmlText, lineOf, linksIn, pick, pickAll, postedAt, scriptValue, str, textOf } from './util';

interface CardLayout {
  name: string;
  card: readonly string[];
  text: readonly string[];
  /** Name and profile link of the author. */
  author: readonly string[];
  /** An attribute of the author element that holds the name, if the text is not it. */
  authorAttr?: string;
  time: readonly string[];
  /** Attributes of the time element holding a fuller date (title) or Unix milliseconds (date). */
  timeAttrs: readonly string[];
  /** The reposted post inside the card. */
  repost: readonly string[];
  repostAuthor: readonly string[];
  repostText: readonly string[];
  /** Engagement: separate selectors; an ordered list of items (转发, 评论, 赞); or the items of a bar named by their labels. */
  counts:
    | { reposts: readonly string[]; comments: readonly string[]; likes: readonly string[] }
    | { items: readonly string[] }
    | { bar: readonly string[]; labels: { reposts: RegExp; comments: RegExp; likes: RegExp } };
}

/** Selectors and data paths: the one place to change when Weibo changes its markup. */
export const WEIBO = {
  hosts: ['weibo.com', 'weibo.cn'],
  /** m.weibo.cn/status/… and /detail/…: `var $render_data = [{status: …}][0] || {};` */
  renderData: '$render_data',
  status: {
    list: ['status', 'data.statuses', 'data.cards'],
    text: ['longText.longTextContent', 'text'],
    author: 'user.screen_name',
    authorId: 'user.id',
    authorUrl: 'user.profile_url',
    time: 'created_at',
    reposts: 'reposts_count',
    comments: 'comments_count',
    likes: 'attitudes_count',
    repost: 'retweeted_status',
    id: ['bid', 'mblogid', 'mid', 'id'],
  },
  /** A repost's text names earlier reposters as "//@name:". */
  chain: /\/\/\s*@([^\s:：/]{1,30})\s*[:：]/g,
  profile: (id: string) => `https://m.weibo.cn/u/${encodeURIComponent(id)}`,
  permalink: (id: string) => `https://m.weibo.cn/status/${encodeURIComponent(id)}`,
  /** Where a rendered m.weibo.cn post page shows the post whose data it carries. */
  renderedPost: ['.weibo-main', '.weibo-detail', '.card.m-panel', '#app article'],
  layouts: [
    {
      name: 'weibo.com',
      card: ['article[class*="Feed_wrap"]', 'article[class*="woo-panel"]', '#scroller article', 'main article'],
      text: ['[class*="detail_wbtext"]', '[class*="Feed_body"] [class*="wbtext"]'],
      author: ['header a[class*="head_name"]', 'a[class*="head_name"]', 'header a[href*="/u/"]'],
      time: ['a[class*="head-info_time"]', 'header a[href*="weibo.com/"][title]', 'header time'],
      timeAttrs: ['title', 'datetime'],
      repost: ['[class*="Feed_retweet"]', '[class*="retweet"]'],
      repostAuthor: ['a[class*="detail_nick"]', 'a[href*="/n/"]', 'a[href*="/u/"]'],
      repostText: ['[class*="detail_wbtext"]'],
      counts: { items: ['footer [class*="toolbar_item"]', 'footer [class*="woo-box-item-flex"]', 'footer li'] },
    },
    {
      name: 's.weibo.com',
      card: ['div.card-wrap[mid]', 'div.card-wrap[action-type="feed_list_item"]'],
      text: ['p.txt[node-type="feed_list_content_full"]', 'p.txt[node-type="feed_list_content"]', 'p.txt'],
      author: ['.info a.name', 'a.name'],
      authorAttr: 'nick-name',
      time: ['div.from a', 'p.from a'],
      timeAttrs: ['title'],
      repost: ['div.card-comment'],
      repostAuthor: ['a.name'],
      repostText: ['p.txt[node-type="feed_list_content_full"]', 'p.txt'],
      counts: {
        reposts: ['.card-act li:nth-child(1)', '[action-type="feed_list_forward"]'],
        comments: ['.card-act li:nth-child(2)', '[action-type="feed_list_comment"]'],
        likes: ['.card-act li:nth-child(3)', '[action-type="feed_list_like"]'],
      },
    },
    {
      name: 'weibo.com (earlier design)',
      card: ['div.WB_cardwrap[mid]', 'div.WB_feed_type[mid]', 'div.WB_cardwrap'],
      text: ['div.WB_text[node-type="feed_list_content_full"]', 'div.WB_text[node-type="feed_list_content"]', '.WB_detail .WB_text', '.WB_text'],
      author: ['.WB_info a.W_fb', '.WB_info a'],
      authorAttr: 'nick-name',
      time: ['.WB_from a[date]', '.WB_from a[title]', '.WB_from a'],
      timeAttrs: ['title', 'date'],
      repost: ['div.WB_feed_expand'],
      repostAuthor: ['.WB_info a'],
      repostText: ['.WB_text'],
      counts: { bar: ['.WB_handle li', '.WB_handle > span', '.WB_handle a'], labels: { reposts: /转发/, comments: /评论/, likes: /赞/ } },
    },
    {
      name: 'm.weibo.cn',
      card: ['div.card.m-panel.card9', 'div.card9', '.weibo-member'],
      text: ['.weibo-og .weibo-text', '.weibo-text'],
      author: ['.m-text-box h3', '.m-text-cut', 'header .m-img-box + div h3'],
      time: ['.m-text-box h4 .time', 'h4 .time', '.time'],
      timeAttrs: [],
      repost: ['.weibo-rp'],
      repostAuthor: ['.weibo-text a[href*="/n/"]', 'a[href*="/n/"]', 'a[href*="/u/"]'],
      repostText: ['.weibo-text'],
      counts: { items: ['footer.m-ctrl-box > div', '.m-ctrl-box .m-diy-btn'] },
    },
  ] satisfies readonly CardLayout[],
} as const;

/** Elements matching `selectors` in `root` that are not inside any of `outside`. */
function own(root: Element, selectors: readonly string[], outside: Element[]): Element | undefined {
  for (const s of selectors) {
    let all: Element[];
    try {
      all = Array.from(root.querySelectorAll(s));
    } catch {
      continue;
    }
    const mine = all.find((el) => !outside.some((o) => o !== el && o.contains(el)));
    if (mine) return mine;
  }
  return undefined;
}

/** "@name:" at the start of a reposted post's text: the author, when no link names it. */
function leadingName(text: string): string | undefined {
  return /^@([^\s:：]{1,30})\s*[:：]/.exec(text)?.[1];
}

const stripAt = (s: string) => clean(s).replace(/^@/, '').replace(/[:：]$/, '');

/** The "//@name:" chain of a repost's text: who reposted it on the way, nearest first. */
export function repostChainOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WEIBO.chain)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

function readCard(card: Element, layout: CardLayout, base: string | undefined, now: string): PlatformUnit | undefined {
  const repost = pick(card, layout.repost);
  const outside = repost ? [repost] : [];
  const textEl = own(card, layout.text, outside);
  const text = textOf(textEl);
  const authorEl = own(card, layout.author, outside);
  const name = clean(authorEl?.getAttribute(layout.authorAttr ?? '') || lineOf(authorEl));
  if (!text && !repost) return undefined;
  const timeEl = own(card, layout.time, outside);
  let when = undefined as PlatformUnit['postedAt'];
  if (timeEl) {
    const shown = lineOf(timeEl);
    const fuller = layout.timeAttrs.map((a) => timeEl.getAttribute(a)).find((v) => v && v.trim());
    const parsed = postedAt(fuller ?? shown);
    when = shown ? { shown, ...(parsed?.iso ? { iso: parsed.iso } : {}) } : parsed;
  }
  const engagement: Engagement = { readAt: now };
  if ('bar' in layout.counts) {
    const { bar, labels } = layout.counts;
    const items = pickAll(card, bar).filter((el) => !outside.some((o) => o.contains(el)));
    for (const k of ['reposts', 'comments', 'likes'] as const) {
      const item = items.find((el) => labels[k].test(lineOf(el)));
      const c = count(lineOf(item));
      if (c) engagement[k] = c;
    }
  } else if ('items' in layout.counts) {
    const items = pickAll(card, layout.counts.items).filter((el) => !outside.some((o) => o.contains(el)));
    const [r, c, l] = items.map((el) => count(lineOf(el)));
    if (r) engagement.reposts = r;
    if (c) engagement.comments = c;
    if (l) engagement.likes = l;
  } else {
    const get = (sel: readonly string[]): Count | undefined => count(lineOf(own(card, sel, outside)));
    const r = get(layout.counts.reposts);
    const c = get(layout.counts.comments);
    const l = get(layout.counts.likes);
    if (r) engagement.reposts = r;
    if (c) engagement.comments = c;
    if (l) engagement.likes = l;
  }
  let repostOf: PlatformUnit['repostOf'];
  if (repost) {
    const rText = textOf(pick(repost, layout.repostText));
    const rAuthorEl = pick(repost, layout.repostAuthor);
    const rName = stripAt(rAuthorEl?.getAttribute(layout.authorAttr ?? '') || lineOf(rAuthorEl)) || leadingName(rText) || '';
    repostOf = { author: account(rName, rAuthorEl?.getAttribute('href'), base), text: rText.replace(/^@[^\s:：]{1,30}\s*[:：]\s*/, '') };
  }
  const permalink = timeEl?.closest('a')?.getAttribute('href') ?? undefined;
  return {
    platform: 'weibo',
    kind: 'post',
    text,
    author: account(name, authorEl?.closest('a')?.getAttribute('href'), base),
    ...(when ? { postedAt: when } : {}),
    engagement,
    ...(repostChainOf(text).length ? { repostChain: repostChainOf(text) } : {}),
    ...(repostOf ? { repostOf } : {}),
    marks: [],
    ...(hashtagsOf(text).length ? { hashtags: hashtagsOf(text) } : {}),
    ...(absUrl(permalink, base) ? { url: absUrl(permalink, base) } : {}),
    links: linksIn(textEl, base),
    element: card,
    selector: cssPath(card),
  };
}

type Status = Record<string, unknown>;
const isStatus = (o: Status) => typeof o.text === 'string' && !!at(o, WEIBO.status.author);

function statusUnit(doc: Document, s: Status, now: string, element?: Element): PlatformUnit {
  const S = WEIBO.status;
  const text = htmlText(doc, str(atFirst(s, S.text)) ?? '');
  const authorOf = (o: Status): Account => {
    const name = str(at(o, S.author)) ?? '';
    const id = str(at(o, S.authorId));
    const url = absUrl(str(at(o, S.authorUrl)), 'https://m.weibo.cn/') ?? (id ? WEIBO.profile(id) : undefined);
    return url ? { name, url } : { name };
  };
  const eng: Engagement = { readAt: now };
  const r = count(at(s, S.reposts) as string | number | undefined);
  const c = count(at(s, S.comments) as string | number | undefined);
  const l = count(at(s, S.likes) as string | number | undefined);
  if (r) eng.reposts = r;
  if (c) eng.comments = c;
  if (l) eng.likes = l;
  const rt = at(s, S.repost) as Status | undefined;
  const id = str(atFirst(s, S.id));
  const when = postedAt(str(at(s, S.time)));
  return {
    platform: 'weibo',
    kind: 'post',
    text,
    author: authorOf(s),
    ...(when ? { postedAt: when } : {}),
    engagement: eng,
    ...(repostChainOf(text).length ? { repostChain: repostChainOf(text) } : {}),
    ...(rt && typeof rt === 'object' && isStatus(rt)
      ? { repostOf: { author: authorOf(rt), text: htmlText(doc, str(atFirst(rt, S.text)) ?? ''), ...(postedAt(str(at(rt, S.time))) ? { postedAt: postedAt(str(at(rt, S.time)))! } : {}) } }
      : {}),
    marks: [],
    ...(hashtagsOf(text).length ? { hashtags: hashtagsOf(text) } : {}),
    ...(id ? { url: WEIBO.permalink(id) } : {}),
    links: [],
    ...(element ? { element, selector: cssPath(element) } : {}),
  };
}

export const weibo: PlatformModule = {
  id: 'weibo',
  hosts: WEIBO.hosts,
  looksLike: (doc) => scriptValue(doc, WEIBO.renderData) !== undefined || WEIBO.layouts.some((l) => pickAll(doc, l.card).some((c) => !!pick(c, l.text))),
  extract(doc, ctx): PlatformPage | undefined {
    // The app-style page: the post(s) from the data the page carries.
    const data = scriptValue(doc, WEIBO.renderData);
    if (data !== undefined) {
      const statuses = findObjects(data, isStatus, 200);
      if (statuses.length) {
        const rendered = statuses.length === 1 ? pick(doc, WEIBO.renderedPost) : undefined;
        const units = statuses.map((s) => statusUnit(doc, s, ctx.now, rendered));
        return { platform: 'weibo', shape: units.length > 1 ? 'timeline' : 'post', units };
      }
    }
    for (const layout of WEIBO.layouts) {
      const cards = pickAll(doc, layout.card);
      // A card inside another card (a quoted post) is part of it.
      const top = cards.filter((c) => !cards.some((o) => o !== c && o.contains(c)));
      const units = top.map((c) => readCard(c, layout, ctx.url, ctx.now)).filter((u): u is PlatformUnit => !!u);
      if (units.length) return { platform: 'weibo', shape: units.length > 1 ? 'timeline' : 'post', units };
    }
    return undefined;
  },
};
