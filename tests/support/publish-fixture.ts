/**
 * A fictional week of the collation centre for the public-report tests: every
 * article, account and page here is made up (outlet names and domains are
 * real, the paths are not). Built through the store and the centre's own
 * functions with fixed times, so both backends hold the same cases with the
 * same ids.
 *
 * Week 2026-W48 (2026-11-23 to 2026-11-29):
 *   case 1  xinhua   confirmed  three accounts within 75 minutes (same-original signal) + a news site
 *   case 2  people   confirmed  晨光快讯 and 环球速递, Chinese passages, engagement figures
 *   case 3  cgtn     confirmed  晨光快讯 then @globalwire_now
 *   case 4  xinhua   confirmed  晨光快讯 first
 *   case 5  xinhua   confirmed  a news site, then 晨光快讯 12 minutes later (晨光快讯: 3 fast xinhua re-posts)
 *   case 6  xinhua   open       an account that must not be published
 *   case 7  cgtn     dismissed  an account that must not be published
 *   case 8  xinhua   confirmed  first seen in week 47: not in the week 48 report
 *   case 9  chinadaily confirmed  hostile title and an http:// account address (text, not a link)
 */
import { confirmCase, setCaseStatus } from '../../lib/report-server/cases';
import { reportHash, type ReportInput } from '../../lib/report-server/schema';
import type { ReportStore } from '../../lib/report-server/store';
import { addUser } from '../../lib/report-server/users';

/** Names that must never appear in a public report. */
export const SECRET_NAMES = ['li.wei.reader@example.org', 'zhang-reader-token', 'alice-reviewer', 'bob-reviewer', 'Secret Open Account', 'Dismissed Dan'];
/** Texts that must never appear either: a reader's note and a reviewer's note. */
export const SECRET_TEXTS = ['sent from my flat in Shenzhen', 'reviewer-only remark about case 2'];

type Over = Partial<ReportInput>;

function report(url: string, o: Over): ReportInput {
  return {
    url,
    title: 'Untitled copy',
    platform: 'news',
    createdAt: '2026-11-23T00:00:00.000Z',
    category: 'uncredited',
    note: '',
    verdict: 'copy',
    outlet: 'xinhua',
    originalId: '',
    originalUrl: '',
    score: 0.9,
    passages: [],
    ...o,
  };
}

const X1 = 'https://english.news.cn/20261123/f1c2a7e0b1/c.html';
const P2 = 'https://paper.people.com.cn/rmrb/pc/content/202611/24/content_3099001.html';
const C3 = 'https://news.cgtn.com/news/2026-11-25/Harbour-lantern-fair-opens-1a2B3c4D5e6/index.html';
const X4 = 'https://english.news.cn/20261126/9e8d7c6b5a/c.html';
const X5 = 'https://english.news.cn/20261127/0a1b2c3d4e/c.html';

const case1Passages = [
  { pageText: 'The river port at Lanxi handled a record 4.2 million tonnes of cargo in October, officials said on Monday.', originalText: 'The river port at Lanxi handled a record 4.2 million tonnes of cargo in October, officials said on Monday.' },
  { pageText: 'New night-time loading berths opened in September.', originalText: 'New night-time loading berths opened in September, the port authority added.' },
];
const case2Passages = [
  { pageText: '青石镇今年秋季新修的水渠全长十二公里，灌溉农田三千亩。', originalText: '青石镇今年秋季新修的水渠全长十二公里，可灌溉农田三千余亩。' },
  { pageText: '村民说，过去靠天吃饭，现在心里踏实多了。', originalText: '村民们说，过去靠天吃饭，现在心里踏实多了。' },
];

interface Step {
  key: string;
  token: 'li' | 'zhang';
  receivedAt: string;
  r: ReportInput;
}

const steps: Step[] = [
  // case 1 (xinhua): three accounts in 75 minutes, then a news site the next day.
  {
    key: 'c1-a',
    token: 'li',
    receivedAt: '2026-11-23T08:30:00.000Z',
    r: report('https://weibo.com/7000000001/Pk1Aa2Bb3', {
      platform: 'weibo',
      title: '兰溪港十月货运创纪录',
      createdAt: '2026-11-23T08:25:00.000Z',
      originalUrl: X1,
      originalId: 'xh-20261123-lanxi',
      note: 'sent from my flat in Shenzhen',
      passages: case1Passages,
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      postedAt: { shown: '11月23日 16:05', iso: '2026-11-23T08:05:00.000Z' },
      engagement: { reposts: { shown: '1.2万', value: 12000 }, likes: { shown: '3,400', value: 3400 }, readAt: '2026-11-23T08:25:00.000Z' },
    }),
  },
  {
    key: 'c1-b',
    token: 'zhang',
    receivedAt: '2026-11-23T09:00:00.000Z',
    r: report('https://weibo.com/7000000002/Qm4Cc5Dd6', {
      platform: 'weibo',
      title: 'Lanxi port sets cargo record',
      createdAt: '2026-11-23T08:50:00.000Z',
      originalUrl: X1,
      originalId: 'xh-20261123-lanxi',
      passages: case1Passages.slice(0, 1),
      account: { name: 'Harbor Daily Digest', url: 'https://weibo.com/u/7000000002' },
      postedAt: { shown: '11月23日 16:20', iso: '2026-11-23T08:20:00.000Z' },
    }),
  },
  {
    key: 'c1-c',
    token: 'li',
    receivedAt: '2026-11-23T09:40:00.000Z',
    r: report('https://x.com/globalwire_now/status/1860000000000000001', {
      platform: 'x',
      title: 'Record month for Lanxi river port',
      createdAt: '2026-11-23T09:30:00.000Z',
      originalUrl: X1,
      originalId: 'xh-20261123-lanxi',
      verdict: 'rewrite',
      passages: case1Passages.slice(1),
      account: { name: '@globalwire_now', url: 'https://x.com/globalwire_now' },
      postedAt: { shown: '5:20 PM · Nov 23, 2026', iso: '2026-11-23T09:20:00.000Z' },
    }),
  },
  {
    key: 'c1-d',
    token: 'zhang',
    receivedAt: '2026-11-24T07:00:00.000Z',
    r: report('https://dailyharbor.example/world/lanxi-port-record', { title: 'Lanxi port breaks its record', createdAt: '2026-11-24T06:45:00.000Z', originalUrl: X1, originalId: 'xh-20261123-lanxi', passages: case1Passages }),
  },
  // A second report about the first copy (the same passages: counted once in the evidence).
  {
    key: 'c1-a2',
    token: 'zhang',
    receivedAt: '2026-11-23T10:00:00.000Z',
    r: report('https://weibo.com/7000000001/Pk1Aa2Bb3#comments', {
      platform: 'weibo',
      title: '兰溪港十月货运创纪录',
      createdAt: '2026-11-23T09:55:00.000Z',
      originalUrl: X1,
      originalId: 'xh-20261123-lanxi',
      passages: case1Passages,
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      engagement: { reposts: { shown: '1.5万', value: 15000 }, likes: { shown: '4,100', value: 4100 }, views: { shown: '80万', value: 800000 }, readAt: '2026-11-23T09:55:00.000Z' },
    }),
  },
  // case 2 (people): Chinese passages.
  {
    key: 'c2-a',
    token: 'li',
    receivedAt: '2026-11-24T02:30:00.000Z',
    r: report('https://weibo.com/7000000001/Rt7Ee8Ff9', {
      platform: 'weibo',
      outlet: 'people',
      title: '青石镇新水渠通水',
      createdAt: '2026-11-24T02:20:00.000Z',
      originalUrl: P2,
      passages: case2Passages,
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      postedAt: { shown: '11月24日 10:10', iso: '2026-11-24T02:10:00.000Z' },
    }),
  },
  {
    key: 'c2-b',
    token: 'zhang',
    receivedAt: '2026-11-24T03:10:00.000Z',
    r: report('https://www.toutiao.com/article/7440000000000000002/', {
      platform: 'toutiao',
      outlet: 'people',
      title: '水渠修到了家门口',
      createdAt: '2026-11-24T03:00:00.000Z',
      originalUrl: P2,
      verdict: 'rewrite',
      passages: case2Passages.slice(1),
      account: { name: '环球速递' },
      postedAt: { shown: '2026-11-24 10:40', iso: '2026-11-24T02:40:00.000Z' },
    }),
  },
  // case 3 (cgtn)
  {
    key: 'c3-a',
    token: 'li',
    receivedAt: '2026-11-25T11:20:00.000Z',
    r: report('https://weibo.com/7000000001/Sx1Gg2Hh3', {
      platform: 'weibo',
      outlet: 'cgtn',
      title: '港城灯会开幕',
      createdAt: '2026-11-25T11:10:00.000Z',
      originalUrl: C3,
      passages: [{ pageText: '灯会将持续到十二月底，每晚六点亮灯。', originalText: 'The fair runs until the end of December, with lanterns lit at six every evening.' }],
      category: 'translated',
      verdict: 'translation',
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      postedAt: { shown: '11月25日 19:00', iso: '2026-11-25T11:00:00.000Z' },
    }),
  },
  {
    key: 'c3-b',
    token: 'zhang',
    receivedAt: '2026-11-25T12:00:00.000Z',
    r: report('https://x.com/globalwire_now/status/1860000000000000003', {
      platform: 'x',
      outlet: 'cgtn',
      title: 'Lantern fair opens in the harbour city',
      createdAt: '2026-11-25T11:55:00.000Z',
      originalUrl: C3,
      passages: [{ pageText: 'The fair runs until the end of December, with lanterns lit at six every evening.', originalText: 'The fair runs until the end of December, with lanterns lit at six every evening.' }],
      account: { name: '@globalwire_now', url: 'https://x.com/globalwire_now' },
      postedAt: { shown: '7:45 PM · Nov 25, 2026', iso: '2026-11-25T11:45:00.000Z' },
    }),
  },
  // case 4 (xinhua)
  {
    key: 'c4-a',
    token: 'li',
    receivedAt: '2026-11-26T06:30:00.000Z',
    r: report('https://weibo.com/7000000001/Tz4Ii5Jj6', {
      platform: 'weibo',
      title: '高原铁路新站启用',
      createdAt: '2026-11-26T06:20:00.000Z',
      originalUrl: X4,
      passages: [{ pageText: 'A new station on the plateau line opened to passengers on Wednesday morning.', originalText: 'A new station on the plateau line opened to passengers on Wednesday morning.' }],
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      postedAt: { shown: '11月26日 14:00', iso: '2026-11-26T06:00:00.000Z' },
    }),
  },
  // case 5 (xinhua): a news site first, 晨光快讯 12 minutes later.
  {
    key: 'c5-a',
    token: 'zhang',
    receivedAt: '2026-11-27T10:05:00.000Z',
    r: report('https://eastwindpost.example/2026/11/27/solar-farm', {
      title: 'Desert solar farm reaches full output',
      createdAt: '2026-11-27T10:00:00.000Z',
      originalUrl: X5,
      passages: [{ pageText: 'The desert solar farm reached full output ahead of schedule.', originalText: 'The desert solar farm reached full output ahead of schedule, its operator said.' }],
    }),
  },
  {
    key: 'c5-b',
    token: 'li',
    receivedAt: '2026-11-27T10:30:00.000Z',
    r: report('https://weibo.com/7000000001/Uk7Kk8Ll9', {
      platform: 'weibo',
      title: '沙漠光伏电站满负荷运行',
      createdAt: '2026-11-27T10:20:00.000Z',
      originalUrl: X5,
      passages: [{ pageText: 'The desert solar farm reached full output ahead of schedule.', originalText: 'The desert solar farm reached full output ahead of schedule, its operator said.' }],
      account: { name: '晨光快讯', url: 'https://weibo.com/u/7000000001' },
      postedAt: { shown: '11月27日 18:12', iso: '2026-11-27T10:12:00.000Z' },
    }),
  },
  // case 6: open (not confirmed): its account is never published.
  {
    key: 'c6-a',
    token: 'li',
    receivedAt: '2026-11-25T05:00:00.000Z',
    r: report('https://weibo.com/7000000006/Vn1Mm2Nn3', {
      platform: 'weibo',
      title: 'An open case',
      createdAt: '2026-11-25T04:50:00.000Z',
      originalUrl: 'https://english.news.cn/20261125/open000001/c.html',
      account: { name: 'Secret Open Account', url: 'https://weibo.com/u/7000000006' },
    }),
  },
  // case 7: dismissed.
  {
    key: 'c7-a',
    token: 'zhang',
    receivedAt: '2026-11-26T05:00:00.000Z',
    r: report('https://x.com/dismissed_dan/status/1860000000000000007', {
      platform: 'x',
      outlet: 'cgtn',
      title: 'A dismissed case',
      createdAt: '2026-11-26T04:50:00.000Z',
      originalUrl: 'https://news.cgtn.com/news/2026-11-26/dismissed/index.html',
      account: { name: 'Dismissed Dan', url: 'https://x.com/dismissed_dan' },
    }),
  },
  // case 8: confirmed, but first seen in week 47.
  {
    key: 'c8-a',
    token: 'li',
    receivedAt: '2026-11-20T09:00:00.000Z',
    r: report('https://westbridge.example/news/earlier-week', { title: 'From the week before', createdAt: '2026-11-20T08:50:00.000Z', originalUrl: 'https://english.news.cn/20261120/week47000/c.html' }),
  },
  // case 9: confirmed; a hostile title and an http:// account address.
  {
    key: 'c9-a',
    token: 'zhang',
    receivedAt: '2026-11-28T13:00:00.000Z',
    r: report('https://bilibili.com/video/BV1xx411c7Zz', {
      platform: 'bilibili',
      outlet: 'chinadaily',
      title: '<script>alert("title")</script> 航拍古城',
      createdAt: '2026-11-28T12:50:00.000Z',
      originalUrl: 'https://www.chinadaily.com.cn/a/202611/28/WS000000000000000000000a.html',
      passages: [{ pageText: '<img src=x onerror=alert(1)> 古城墙在晨雾中若隐若现。', originalText: '古城墙在晨雾中若隐若现。' }],
      account: { name: '古城<b>影像</b>', url: 'http://space.bilibili.com/9000000009' },
    }),
  },
];

/** Builds the fixture week in an empty store. */
export async function buildPublishFixture(store: ReportStore): Promise<void> {
  const li = await store.createToken('li.wei.reader@example.org', false, 'fixture-hash-li');
  const zhang = await store.createToken('zhang-reader-token', false, 'fixture-hash-zhang');
  for (const s of steps) {
    const out = await store.insertReport(s.token === 'li' ? li.id : zhang.id, s.key, reportHash(s.r), s.r, s.receivedAt);
    if (out.kind !== 'created') throw new Error(`fixture report ${s.key}: ${out.kind}`);
  }
  await addUser(store.db, 'alice-reviewer', 'reviewer', null);
  await addUser(store.db, 'bob-reviewer', 'reviewer', null);
  const { addNote } = await import('../../lib/report-server/cases');
  await addNote(store.db, 2, 'bob-reviewer', 'reviewer-only remark about case 2', '2026-11-29T09:00:00.000Z');
  for (const id of [1, 2, 3, 4, 5, 8, 9]) {
    await confirmCase(store.db, id, 'alice-reviewer', 2, `2026-11-29T10:0${id}:00.000Z`);
    await confirmCase(store.db, id, 'bob-reviewer', 2, `2026-11-29T11:0${id}:00.000Z`);
  }
  // Case 6 stays open with one confirmation; case 7 is dismissed.
  await confirmCase(store.db, 6, 'alice-reviewer', 2, '2026-11-29T12:00:00.000Z');
  await setCaseStatus(store.db, 7, 'dismissed', 'bob-reviewer', 2, 'not a copy', '2026-11-29T12:30:00.000Z');
}
