/**
 * The words of a public report's page (index.html) in English and in
 * Simplified Chinese. report.json and the CSV files are data and stay the same
 * in every language (report.json's `method` and `limits` are the English
 * text). The Chinese text must give every entry of the English one (the type
 * says so).
 *
 * Entries that take values get them already made safe for HTML (escaped text,
 * or links built by the page), never raw report text; plain strings are
 * escaped by the page. Numbers go through thousands() in both languages
 * (Chinese writes 1,234 too); dates and times are written the way each
 * language writes them, always in UTC, without the locale of the machine.
 */
import { thousands } from './publish-charts';
import { platformName } from './review-app/i18n';
import type { SignalOptions } from './signals';

export const REPORT_LANGS = ['en', 'zh'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

const pad = (n: number) => String(n).padStart(2, '0');

export interface ReportText {
  /** <html lang> */
  htmlLang: string;
  /** A period's label as the page names it ("2026-W48" → "2026年第48周"). */
  period(label: string): string;
  /** "2026-11-23" (a UTC date). */
  date(ymd: string): string;
  /** "2026-11-23T08:05:00.000Z" → a date and time in UTC; anything else as it is. */
  when(iso: string): string;
  /** A day's label under a column of the per-day chart ("11-23"). */
  dayLabel(ymd: string): string;
  /** n things: "3 copies", "3 个转载". */
  count(n: number, what: 'copy' | 'account' | 'report' | 'minute' | 'reviewer'): string;
  minutes(n: number | string): string;
  /** A list of names ("weibo, x"; "微博、X"). */
  list(items: string[]): string;
  /** A signal's copy: platform, account and time (escaped), then its link (HTML). */
  signalCopy(platform: string, account: string, when: string, link: string): string;
  /** A fast re-post: the case's link, the minutes (escaped), the copy's link. */
  fastCopy(caseLink: string, minutes: string, link: string): string;
  /** Joins file names ("report.json and copies.csv"). */
  files(names: string[]): string;
  /** A platform's name (the review application's names). */
  platform(p: string): string;
  figure(k: string): string;
  title(label: string): string;
  /** period and the link to report.json: HTML */
  lede(from: string, to: string, jsonLink: string): string;
  totals: { cases: string; originals: string; copies: string; accounts: string; platforms: string; reports: string };
  empty: string;
  none: string;
  perDay: string;
  perDayChart(label: string): string;
  beforeAfter(before: string, after: string): string;
  platforms: string;
  platformsChart: string;
  platformHead: [string, string, string, string, string];
  originals: string;
  originalsChart: string;
  originalsHead: [string, string, string, string, string, string];
  accounts: string;
  accountsNote: string;
  accountsHead: [string, string, string, string, string, string, string, string];
  /** "The first 100 of 250 are listed here; all are in …" */
  capped(max: number, total: number, where: string): string;
  signals: string;
  signalsNote: string;
  sameOriginal(o: SignalOptions): string;
  sameHead: [string, string, string, string, string];
  fast(o: SignalOptions): string;
  fastHead: [string, string, string, string, string, string];
  cases: string;
  casesNote: string;
  caseTitle(id: number, outlet: string): string;
  noOutlet: string;
  unknownOriginal: string;
  /** All values HTML already. */
  caseLine(o: { original: string; copies: string; platforms: string; accounts: string; reports: string; spread: string; reviewers: string; confirmed: string }): string;
  timelineTitle(id: number): string;
  timelineDesc(label: string, platform: string, minutes: number): string;
  timelineDot(label: string, minutes: number): string;
  tickHours: string;
  tickDays: string;
  copiesHead: [string, string, string, string, string, string, string];
  posted(shown: string): string;
  firstSeen: string;
  figuresNone: string;
  figuresRead(when: string): string;
  passages: string;
  passagesHead: [string, string];
  passagesOmitted(n: number): string;
  method: string;
  limits: string;
  methodText(s: SignalOptions): string[];
  limitsText: string[];
  /** links: HTML */
  footer(links: string): string;
}

const en: ReportText = {
  htmlLang: 'en',
  period: (label) => label,
  date: (ymd) => ymd,
  when: (iso) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso),
  dayLabel: (ymd) => ymd.slice(5),
  count(n, what) {
    const many = { copy: 'copies', account: 'accounts', report: 'reports', minute: 'minutes', reviewer: 'reviewers' }[what];
    return `${thousands(n)} ${n === 1 ? what : many}`;
  },
  minutes: (n) => `${n} min`,
  list: (items) => items.join(', '),
  signalCopy: (platform, account, when, link) => `${platform} ${account}, ${when}: ${link}`,
  fastCopy: (caseLink, minutes, link) => `${caseLink} +${minutes}: ${link}`,
  files: (names) => names.join(' and '),
  platform: (p) => p,
  figure: (k) => k,
  title: (label) => `Uncredited reuse of state-media articles: ${label}`,
  lede: (from, to, json) => `Confirmed cases first seen from ${from} to ${to} (UTC). Every figure rests on evidence listed below and in ${json}.`,
  totals: { cases: 'confirmed cases', originals: 'originals', copies: 'copies', accounts: 'accounts', platforms: 'platforms', reports: 'reports' },
  empty: 'No confirmed case was first seen in this period: every figure is zero.',
  none: 'None.',
  perDay: 'Copies per day',
  perDayChart: (label) => `Copies per day, ${label}`,
  beforeAfter: (before, after) => `Copies of these cases dated before the period: ${before}; after it: ${after}.`,
  platforms: 'Platforms',
  platformsChart: 'Copies per platform',
  platformHead: ['platform', 'copies', 'share', 'cases', 'reports'],
  originals: 'Originals most reused',
  originalsChart: 'Copies per original (the ten most reused)',
  originalsHead: ['outlet', 'original', 'copies', 'accounts', 'platforms', 'cases'],
  accounts: 'Accounts',
  accountsNote: 'Accounts that posted copies in confirmed cases, as the reports named them.',
  accountsHead: ['platform', 'account', 'copies', 'outlets', 'uncredited reports', 'first copy', 'last copy', 'cases'],
  capped: (max, total, where) => `The first ${thousands(max)} of ${thousands(total)} are listed here; all are in ${where}.`,
  signals: 'Coordination signals',
  signalsNote: 'Figures, not accusations; each lists its evidence.',
  sameOriginal: (o) => `Same original, ${o.accounts} or more accounts within ${o.hours} hours`,
  sameHead: ['case', 'original', 'accounts', 'within', 'copies (account, time)'],
  fast: (o) => `Fast re-posts: within ${o.minutes} minutes of the earliest known copy, in ${o.repeats} or more cases`,
  fastHead: ['platform', 'account', 'outlet', 'fast / cases', 'median', 'copies (case, minutes)'],
  cases: 'Cases',
  casesNote: 'Most copies first.',
  caseTitle: (id, outlet) => `Case #${id}: ${outlet}`,
  noOutlet: '(no outlet)',
  unknownOriginal: '(unknown)',
  caseLine: (o) =>
    `Original: ${o.original}<br><span class="meta">${o.copies} on ${o.platforms} by ${o.accounts}, ${o.reports}; spread over ${o.spread}; confirmed by ${o.reviewers}${o.confirmed ? ` (${o.confirmed})` : ''}.</span>`,
  timelineTitle: (id) => `Case #${id}: copies over time`,
  timelineDesc: (label, platform, m) => `${label}: ${platform}, ${m} minutes after the first copy`,
  timelineDot: (label, m) => `${label} · +${m} min`,
  tickHours: ' h',
  tickDays: ' d',
  copiesHead: ['time', '+min', 'platform', 'account', 'copy', 'reports', 'figures as shown'],
  posted: (shown) => `(posted: ${shown})`,
  firstSeen: '(first seen)',
  figuresNone: 'none shown',
  figuresRead: (when) => `(read ${when})`,
  passages: 'Matched passages (copy beside original)',
  passagesHead: ['copy', 'original'],
  passagesOmitted: (n) => `${n} more distinct passages were reported for this copy (not listed here or in report.json).`,
  method: 'Method',
  limits: 'Limits',
  methodText: (s) => [
    'Readers of the Provenance Badges extension report pages that reuse an article of a state-media outlet. Each report names the page (the copy), the original it matched, the passages that match side by side, and, on platform pages, the account that posted it and the post time as the page showed it.',
    'The collation centre groups reports about the same copy or the same original into a case. A case is counted here only after two different reviewers confirmed it (the four-eyes rule): it is in this report when it is confirmed and its first copy was first seen in the period. Copies seen later stay with their case; the figures are those of the database when the report was made.',
    "A copy's time is the post time the page showed (when a report carried it), else the time a reader first saw the copy. Timelines count from the case's first copy.",
    `Coordination signals are figures, not accusations. "Same original, many accounts": a case whose copies were posted by at least ${s.accounts} different accounts within ${s.hours} hours. "Fast re-posts": an account whose copies of one outlet's originals came within ${s.minutes} minutes of the earliest known copy of the original, in at least ${s.repeats} cases. Each signal lists the copies it rests on.`,
    'report.json holds every figure here and the evidence behind it: for each case the original address, every copy address, and the matched passages (the page text beside the original text). Anyone can open the addresses and compare.',
  ],
  limitsText: [
    'Only what readers reported is counted: copies nobody reported are missing, and platforms with more readers of the extension are over-represented. Counts are of copies found, not of all copies that exist.',
    "The reports do not carry the original's own publication time, so the fast re-post signal measures from the earliest copy the centre knows; the first account to post a copy counts at 0 minutes.",
    'Post times are as the platforms showed them; engagement figures are as shown when a reader read them and change afterwards.',
    'A confirmed case means two reviewers agreed that the copy reuses the original without credit as shown; it says nothing about who was behind an account or why.',
    'Reporter identities, reviewers\u2019 names and notes are never published. Account names appear only for confirmed cases.',
  ],
  footer: (links) => `Files of this report: ${links}. Made from the collation centre's database; the same database and period give the same files.`,
};

/** "2026-11-23" → "2026年11月23日" */
function zhDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : ymd;
}

/** "2026-W48" → "2026年第48周", "2026-11" → "2026年11月", a day, "A..B" → "A至B", "P (A..B)" → "P（A至B）". */
function zhPeriod(label: string): string {
  const one = (p: string): string => {
    let m = /^(\d{4})-W(\d{2})$/.exec(p);
    if (m) return `${m[1]}年第${Number(m[2])}周`;
    m = /^(\d{4})-(\d{2})$/.exec(p);
    if (m) return `${m[1]}年${Number(m[2])}月`;
    m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(p);
    if (m) return `${zhDate(m[1]!)}至${zhDate(m[2]!)}`;
    return zhDate(p);
  };
  const m = /^(\S+) \((.+)\)$/.exec(label);
  return m ? `${one(m[1]!)}（${one(m[2]!)}）` : one(label);
}

const zh: ReportText = {
  htmlLang: 'zh-Hans',
  period: zhPeriod,
  date: zhDate,
  when: (iso) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${zhDate(iso.slice(0, 10))} ${iso.slice(11, 16)} UTC` : iso),
  dayLabel: (ymd) => `${Number(ymd.slice(5, 7))}月${Number(ymd.slice(8, 10))}日`,
  count(n, what) {
    const unit = { copy: '个转载', account: '个账号', report: '条举报', minute: '分钟', reviewer: '位审阅员' }[what];
    return `${thousands(n)} ${unit}`;
  },
  minutes: (n) => `${n} 分钟`,
  list: (items) => items.join('、'),
  signalCopy: (platform, account, when, link) => `${platform} ${account}，${when}：${link}`,
  fastCopy: (caseLink, minutes, link) => `${caseLink} +${minutes}：${link}`,
  files: (names) => names.join(' 和 '),
  platform: (p) => platformName('zh', p),
  figure: (k) => ({ reposts: '转发', comments: '评论', likes: '点赞', views: '播放' })[k] ?? k,
  title: (label) => `官方媒体文章未注明出处的转载：${label}`,
  lede: (from, to, json) => `${from}至${to}（UTC）期间首次发现的已确认案件。每个数字都以下文和 ${json} 中列出的证据为依据。`,
  totals: { cases: '已确认案件', originals: '原文', copies: '转载', accounts: '账号', platforms: '平台', reports: '举报' },
  empty: '本时段内没有首次发现的已确认案件：所有数字均为零。',
  none: '无。',
  perDay: '每日转载数',
  perDayChart: (label) => `每日转载数：${label}`,
  beforeAfter: (before, after) => `这些案件中时间早于本时段的转载：${before}；晚于本时段的：${after}。`,
  platforms: '平台',
  platformsChart: '各平台的转载数',
  platformHead: ['平台', '转载', '占比', '案件', '举报'],
  originals: '转载最多的原文',
  originalsChart: '各原文的转载数（转载最多的十篇）',
  originalsHead: ['媒体', '原文', '转载', '账号', '平台', '案件'],
  accounts: '账号',
  accountsNote: '已确认案件中发布转载的账号，名称以举报所记为准。',
  accountsHead: ['平台', '账号', '转载', '媒体', '未注明出处的举报', '首次转载', '最近转载', '案件'],
  capped: (max, total, where) => `此处列出 ${thousands(total)} 项中的前 ${thousands(max)} 项；全部见 ${where}。`,
  signals: '协同信号',
  signalsNote: '这些是数字，不是指控；每条信号都列出其依据。',
  sameOriginal: (o) => `同一原文：${o.hours} 小时内由 ${o.accounts} 个或更多账号转载`,
  sameHead: ['案件', '原文', '账号', '时间跨度', '转载（账号、时间）'],
  fast: (o) => `快速转发：在最早已知转载后 ${o.minutes} 分钟内转载，且有 ${o.repeats} 个或更多案件`,
  fastHead: ['平台', '账号', '媒体', '快速 / 案件', '中位数', '转载（案件、分钟）'],
  cases: '案件',
  casesNote: '按转载数从多到少排列。',
  caseTitle: (id, outlet) => `案件 #${id}：${outlet}`,
  noOutlet: '（无媒体）',
  unknownOriginal: '（未知）',
  caseLine: (o) =>
    `原文：${o.original}<br><span class="meta">${o.copies}，见于${o.platforms}，来自 ${o.accounts}，共 ${o.reports}；扩散历时 ${o.spread}；经 ${o.reviewers}确认${o.confirmed ? `（${o.confirmed}）` : ''}。</span>`,
  timelineTitle: (id) => `案件 #${id}：转载时间线`,
  timelineDesc: (label, platform, m) => `${label}：${platform}，首个转载后 ${m} 分钟`,
  timelineDot: (label, m) => `${label} · +${m} 分钟`,
  tickHours: ' 小时',
  tickDays: ' 天',
  copiesHead: ['时间', '+分钟', '平台', '账号', '转载', '举报', '页面显示的数据'],
  posted: (shown) => `（发布：${shown}）`,
  firstSeen: '（首次发现）',
  figuresNone: '未显示',
  figuresRead: (when) => `（读取于 ${when}）`,
  passages: '匹配段落（转载与原文对照）',
  passagesHead: ['转载', '原文'],
  passagesOmitted: (n) => `此转载另有 ${n} 个不同段落被举报（此处和 report.json 中均未列出）。`,
  method: '方法',
  limits: '局限',
  methodText: (s) => [
    'Provenance Badges 扩展的读者举报转载官方媒体文章的页面。每条举报指明该页面（转载）、与之匹配的原文、逐段对照的匹配段落；在平台页面上，还有发布它的账号和页面显示的发布时间。',
    '汇总中心把关于同一转载或同一原文的举报归为一个案件。案件须经两位不同的审阅员确认（双人复核规则）才计入：已确认、且其首个转载在本时段内首次被发现的案件列入本报告。之后发现的转载仍归入原案件；数字是生成报告时数据库中的数字。',
    '转载的时间是页面显示的发布时间（举报附带时），否则是读者首次看到该转载的时间。时间线从案件的首个转载起算。',
    `协同信号是数字，不是指控。“同一原文，多个账号”：一个案件的转载在 ${s.hours} 小时内由至少 ${s.accounts} 个不同账号发布。“快速转发”：某账号转载同一媒体的原文，在该原文最早已知转载后 ${s.minutes} 分钟内发布，且这样的案件至少有 ${s.repeats} 个。每条信号都列出其依据的转载。`,
    'report.json 包含本页的所有数字及其依据：每个案件的原文网址、每个转载的网址，以及匹配段落（页面文字与原文文字对照）。任何人都可以打开这些网址自行比对。',
  ],
  limitsText: [
    '只统计读者举报的内容：无人举报的转载不在其中，使用本扩展的读者较多的平台所占比例偏高。统计的是已发现的转载，而不是现存的全部转载。',
    '举报不包含原文本身的发布时间，因此快速转发信号从中心所知的最早转载起算；最先发布转载的账号计为 0 分钟。',
    '发布时间以平台显示为准；互动数据是读者读取时页面显示的数字，之后会变化。',
    '已确认的案件表示两位审阅员都认为该转载如所示未注明出处地使用了原文；它不说明账号背后是谁，也不说明原因。',
    '举报人的身份、审阅员的姓名和备注从不公开。只有已确认案件的账号名称会出现。',
  ],
  footer: (links) => `本报告的文件：${links}。由汇总中心的数据库生成；相同的数据库和时段生成相同的文件。`,
};

export const REPORT_TEXT: Record<ReportLang, ReportText> = { en, zh };
