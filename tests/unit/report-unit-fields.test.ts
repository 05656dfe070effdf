/**
 * The extension's side of a platform report (issue 12, section 4): the draft's
 * account, post time, figures and unit text are cleaned and capped when the
 * report is made, go into the exact body the consent view shows, pass the
 * server's validation, and survive export and import. Reports without them
 * keep exactly the body they had.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { validateReport } from '../../lib/report-server/schema';
import { reportBody, reportBodyText, unitFields } from '../../lib/reports/report-body';
import { newReport, type ReportDraft } from '../../lib/reports/reports-store';
import { exportJson, parseReportsJson } from '../../lib/reports/transfer';

const draft = (over: Partial<ReportDraft> = {}): ReportDraft => ({
  url: 'https://weibo.com/7301200456/PqA1bC2dE',
  title: '外交部回应渔业合作磋商',
  verdict: 'uncredited',
  outlet: 'global-times',
  originalId: 'zh-009',
  originalUrl: 'https://world.huanqiu.com/article/4Pq7ZtR2mKd',
  score: 0.85,
  passages: [{ pageText: '中方愿同维瑞迪亚方本着友好协商精神', originalText: '中方愿同维瑞迪亚方本着友好协商精神' }],
  category: 'uncredited',
  note: '',
  ...over,
});

const UNIT = {
  account: { name: '海湾时事速递', url: 'https://weibo.com/u/7301200456' },
  postedAt: { shown: '5-20 21:06', iso: '2026-05-20T21:06:00+08:00' },
  engagement: { reposts: { shown: '1.2万', value: 12000 }, likes: { shown: '5.6万', value: 56000 }, readAt: '2026-12-01T08:00:00.000Z' },
  unitText: '【外交部回应渔业合作磋商】外交部发言人表示……',
};

describe('report body with the platform fields', () => {
  it('a report without them keeps exactly the body it had', () => {
    const body = reportBody(newReport(draft()));
    expect(Object.keys(body)).toEqual(['url', 'title', 'platform', 'createdAt', 'category', 'note', 'verdict', 'outlet', 'originalId', 'originalUrl', 'score', 'passages']);
  });

  it('carries platform, account, post time, figures with the time read, and the unit text, after the old fields', () => {
    const r = newReport(draft(UNIT));
    const body = reportBody(r);
    expect(body.platform).toBe('weibo');
    expect(Object.keys(body).slice(-4)).toEqual(['account', 'postedAt', 'engagement', 'unitText']);
    expect(body).toMatchObject(UNIT);
    // The consent view shows this text; the server accepts exactly it.
    const text = reportBodyText(r);
    expect(text).toContain('"海湾时事速递"');
    expect(text).toContain('"readAt": "2026-12-01T08:00:00.000Z"');
    expect(typeof validateReport(JSON.parse(text))).toBe('object');
    expect(reportBody({ ...r })).toEqual(body);
  });

  it('cleans and caps page strings and drops what the server would refuse', () => {
    const hostile = unitFields({
      account: { name: `a\u202eb\u0000c${'名'.repeat(300)}`, url: 'javascript:alert(1)' },
      postedAt: { shown: '昨天\u2066', iso: 'not a date' },
      engagement: { likes: { shown: '12', value: -4 }, views: { shown: '', value: 3 }, comments: { shown: '7', value: 7.5 }, readAt: '2026-12-01T08:00:00Z' },
      unitText: `x\u202d${'字'.repeat(30000)}`,
    });
    expect(hostile.account).toEqual({ name: `abc${'名'.repeat(197)}` });
    expect(hostile.postedAt).toEqual({ shown: '昨天' });
    expect(hostile.engagement).toEqual({ comments: { shown: '7' }, likes: { shown: '12' }, readAt: '2026-12-01T08:00:00Z' });
    expect(hostile.unitText).toHaveLength(20000);
    const body = JSON.parse(reportBodyText({ ...newReport(draft()), ...hostile }));
    expect(typeof validateReport(body)).toBe('object');
  });

  it('caps by the server’s measure: characters outside the BMP count twice and are never split', () => {
    const f = unitFields({ unitText: '😀'.repeat(15000), account: { name: '𠀀'.repeat(150) } });
    expect(f.unitText).toHaveLength(20000);
    expect(f.account!.name).toHaveLength(200);
    expect(typeof validateReport(JSON.parse(reportBodyText({ ...newReport(draft()), ...f })))).toBe('object');
  });

  it('figures without the time they were read, and empty names, are left out', () => {
    expect(unitFields({ account: { name: '  ' }, engagement: { likes: { shown: '3' } } as never, unitText: ' ' })).toEqual({});
  });

  it('survives export and import', () => {
    const r = newReport(draft(UNIT));
    const parsed = parseReportsJson(exportJson([r]));
    expect(parsed.invalid).toEqual([]);
    expect(reportBody(parsed.reports[0]!)).toEqual(reportBody(r));
  });
});

describe('report platform of Toutiao and X pages', () => {
  it('is named by the address', async () => {
    const { platformOf } = await import('../../lib/extract/page-meta');
    expect(platformOf('https://www.toutiao.com/article/7370001234567890123/')).toBe('toutiao');
    expect(platformOf('https://m.toutiao.com/i7370001234567890123/')).toBe('toutiao');
    expect(platformOf('https://x.com/agri_gadget_daily/status/1')).toBe('x');
    expect(platformOf('https://mobile.twitter.com/a/status/1')).toBe('x');
    expect(platformOf('https://box.com/x')).toBe('news');
    expect(newReport(draft({ url: 'https://x.com/a/status/1' })).platform).toBe('x');
  });
});
