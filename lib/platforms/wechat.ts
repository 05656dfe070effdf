/**
 * WeChat public-account articles (mp.weixin.qq.com/s/…): one article unit —
 * title, body, the account that published it, the author line, the publish
 * time, the 原创 mark, the "以下文章来源于…" reprint card and 转载自 / 来源
 * lines, and the read and like figures where the page shows them (logged-out
 * desktop pages usually do not).
 */
import type { Mark, PlatformModule, PlatformPage } from './types';
import { absUrl, clean, count, cssPath, joinParts, lineOf, linksIn, pick, pickAll, postedAt, scriptTexts, textOf } from './util';

/** Selectors and script variables: the one place to change when WeChat changes its markup. */
export const WECHAT = {
  hosts: ['mp.weixin.qq.com', 'weixin.qq.com'],
  body: ['#js_content', '.rich_media_content'],
  title: ['#activity-name', '.rich_media_title'],
  account: ['#js_name', '.rich_media_meta_nickname a', '.rich_media_meta_nickname', '.wx_follow_nickname'],
  author: ['#js_author_name', '.rich_media_meta_text.rich_media_meta_author', '#meta_content .rich_media_meta_text'],
  time: ['#publish_time', 'em#publish_time', '.rich_media_meta_list em.rich_media_meta_text'],
  /** The 原创 label next to the title. */
  originalMark: ['#copyright_logo', '.icon_appmsg_tag', '.appmsg_title_tag'],
  /** "以下文章来源于 X ，作者 Y": the card above a shared article. */
  reprintCard: ['.original_primary_card_tips', '#js_share_source', '.share_notice', '.original_area_primary'],
  reprintAccount: ['.original_primary_nickname', '#js_share_source .nickname'],
  reads: ['#readNum3', '#js_read_area3 .read_num', '.read_num'],
  likes: ['#likeNum3', '#js_like_btn .like_num', '.like_num'],
  /** Script variables: publish time (Unix seconds), title, account, account id (for its profile address). */
  vars: { time: ['ct', 'create_time'], title: 'msg_title', nickname: 'nickname', biz: 'biz' },
  profile: (biz: string) => `https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=${encodeURIComponent(biz)}#wechat_redirect`,
  /** Lines in the article that say where it comes from. */
  sourceLine: /^(?:本文)?(?:转载自|转自|来源|來源|稿源|原文来源|文章来源|内容来源|原标题|source)\s*[:：|｜]?\s*\S/i,
} as const;

/** The last non-empty quoted value assigned to a script variable (WeChat writes `var biz = "" || "MzA…";`). */
function scriptVar(doc: Document, name: string): string | undefined {
  const re = new RegExp(`\\b(?:var\\s+)?${name}\\s*=\\s*((?:["'][^"'\\n]*["']\\s*(?:\\|\\|\\s*)?)+)`);
  for (const text of scriptTexts(doc)) {
    const m = re.exec(text);
    if (!m) continue;
    const values = [...m[1]!.matchAll(/["']([^"']*)["']/g)].map((x) => x[1]!.trim()).filter(Boolean);
    if (values.length) return values[values.length - 1];
  }
  return undefined;
}

function marksOf(doc: Document, body: Element | undefined): Mark[] {
  const marks: Mark[] = [];
  const add = (kind: Mark['kind'], text: string) => {
    const t = clean(text).slice(0, 200);
    if (t && !marks.some((m) => m.kind === kind && m.text === t)) marks.push({ kind, text: t });
  };
  const original = pick(doc, WECHAT.originalMark);
  if (original && /原创|original/i.test(lineOf(original))) add('original', lineOf(original));
  const card = pick(doc, WECHAT.reprintCard);
  if (card) {
    const from = lineOf(pick(doc, WECHAT.reprintAccount));
    const tips = lineOf(card);
    add('reprint', from && !tips.includes(from) ? `${tips} ${from}` : tips);
  }
  // Source lines: the first and last few paragraphs of the body.
  const paras = pickAll(body, ['p', 'section']).map((p) => lineOf(p)).filter((t) => t && t.length <= 120);
  const near = [...paras.slice(0, 4), ...paras.slice(-6)];
  for (const t of near) if (WECHAT.sourceLine.test(t)) add(/转载|转自/.test(t) ? 'reprint' : 'source', t);
  return marks;
}

export const wechat: PlatformModule = {
  id: 'wechat',
  hosts: WECHAT.hosts,
  looksLike: (doc) => !!pick(doc, WECHAT.body) && !!pick(doc, [...WECHAT.title, ...WECHAT.account]),
  extract(doc, ctx): PlatformPage | undefined {
    const body = pick(doc, WECHAT.body);
    if (!body) return undefined;
    const title = lineOf(pick(doc, WECHAT.title)) || scriptVar(doc, WECHAT.vars.title) || clean(doc.title);
    const accountEl = pick(doc, WECHAT.account);
    const name = lineOf(accountEl) || scriptVar(doc, WECHAT.vars.nickname) || '';
    const biz = scriptVar(doc, WECHAT.vars.biz);
    const href = accountEl?.getAttribute('href');
    const accountUrl = absUrl(href && !/^javascript:/i.test(href) ? href : undefined, ctx.url) ?? (biz ? WECHAT.profile(biz) : undefined);
    const shown = lineOf(pick(doc, WECHAT.time));
    const ct = WECHAT.vars.time.map((v) => scriptVar(doc, v)).find((v) => v && /^\d{9,11}$/.test(v));
    const fromData = ct ? postedAt(ct) : undefined;
    const when = shown ? { ...postedAt(shown), ...(fromData?.iso ? { iso: fromData.iso } : {}) } : fromData;
    const byline = lineOf(pick(doc, WECHAT.author));
    const reads = count(lineOf(pick(doc, WECHAT.reads)));
    const likes = count(lineOf(pick(doc, WECHAT.likes)));
    return {
      platform: 'wechat',
      shape: 'article',
      units: [
        {
          platform: 'wechat',
          kind: 'article',
          title,
          text: joinParts(textOf(body)),
          author: accountUrl ? { name, url: accountUrl } : { name },
          ...(when?.shown ? { postedAt: { shown: when.shown, ...(when.iso ? { iso: when.iso } : {}) } } : {}),
          engagement: { ...(reads ? { views: reads } : {}), ...(likes ? { likes } : {}), readAt: ctx.now },
          marks: marksOf(doc, body),
          ...(byline && byline !== name ? { byline } : {}),
          links: linksIn(body, ctx.url),
          ...(ctx.url ? { url: ctx.url } : {}),
          element: body,
          selector: cssPath(body),
        },
      ],
    };
  },
};
