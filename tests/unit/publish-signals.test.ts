/**
 * The public report's pure parts: report periods (ISO weeks, months, days,
 * --from/--to) and the coordination signals' thresholds, boundaries and order.
 */
import { describe, expect, it } from 'vitest';
import { parsePeriod, PeriodError } from '../../lib/report-server/period';
import { findSignals, type SignalCopy } from '../../lib/report-server/signals';
import { storedZip } from '../../lib/report-server/zip';

describe('report periods', () => {
  it('reads ISO weeks (Monday 00:00 UTC to the next Monday), months and days', () => {
    expect(parsePeriod({ period: '2026-W48' })).toEqual({ label: '2026-W48', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    // Week 1 holds the year's first Thursday: 2026-W01 starts in 2025; 2026 has 53 weeks, 2027 has 52.
    expect(parsePeriod({ period: '2026-W01' }).from).toBe('2025-12-29T00:00:00.000Z');
    expect(parsePeriod({ period: '2026-W53' })).toMatchObject({ from: '2026-12-28T00:00:00.000Z', to: '2027-01-04T00:00:00.000Z' });
    expect(() => parsePeriod({ period: '2027-W53' })).toThrow('--period 2027-W53: 2027 has ISO weeks 01 to 52');
    expect(parsePeriod({ period: '2021-W01' }).from).toBe('2021-01-04T00:00:00.000Z');
    expect(parsePeriod({ period: '2026-02' })).toEqual({ label: '2026-02', from: '2026-02-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' });
    expect(parsePeriod({ period: '2026-12' }).to).toBe('2027-01-01T00:00:00.000Z');
    expect(parsePeriod({ period: '2024-02-29' })).toEqual({ label: '2024-02-29', from: '2024-02-29T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' });
  });

  it('takes --from/--to as whole UTC days, alone or narrowing a period', () => {
    expect(parsePeriod({ from: '2026-11-01', to: '2026-11-15' })).toEqual({ label: '2026-11-01..2026-11-15', from: '2026-11-01T00:00:00.000Z', to: '2026-11-16T00:00:00.000Z' });
    expect(parsePeriod({ period: '2026-W48', from: '2026-11-25' })).toEqual({ label: '2026-W48 (2026-11-25..2026-11-29)', from: '2026-11-25T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(parsePeriod({ period: '2026-11', to: '2026-11-10' }).to).toBe('2026-11-11T00:00:00.000Z');
  });

  it('refuses what is not a period, with the reason', () => {
    const bad: Array<[Parameters<typeof parsePeriod>[0], string]> = [
      [{}, 'publish needs --period'],
      [{ period: '2026-W00' }, '2026 has ISO weeks 01 to 53'],
      [{ period: '2026-13' }, '--period 2026-13: no such month'],
      [{ period: '2026-02-29' }, '--period 2026-02-29: no such date'],
      [{ period: 'W48' }, 'must be an ISO week (2026-W48), a month (2026-11) or a day (2026-11-23)'],
      [{ from: '2026-11-01' }, '--from and --to go together'],
      [{ from: '2026-11-02', to: '2026-11-01' }, '--from 2026-11-02 is after --to 2026-11-01'],
      [{ from: '2026-11-1', to: '2026-11-02' }, '--from "2026-11-1": must be a date YYYY-MM-DD'],
      [{ period: '2026-W48', from: '2026-12-01' }, '--from/--to fall outside --period 2026-W48'],
    ];
    for (const [opts, message] of bad) {
      expect(() => parsePeriod(opts), JSON.stringify(opts)).toThrow(PeriodError);
      expect(() => parsePeriod(opts), JSON.stringify(opts)).toThrow(message);
    }
  });
});

const copy = (c: number, url: string, account: string | undefined, at: string, over: Partial<SignalCopy> = {}): SignalCopy => ({
  case: c,
  outlet: 'xinhua',
  originalUrl: `https://english.news.cn/${c}.htm`,
  originalId: '',
  url,
  platform: 'weibo',
  ...(account ? { account } : {}),
  at,
  ...over,
});

describe('coordination signals', () => {
  const opts = { accounts: 3, hours: 6, minutes: 30, repeats: 3 };

  it('same original: N different accounts within T hours (T itself counts, a minute more does not)', () => {
    const within = [copy(1, 'u/1', 'a', '2026-11-23T00:00:00.000Z'), copy(1, 'u/2', 'b', '2026-11-23T03:00:00.000Z'), copy(1, 'u/3', 'c', '2026-11-23T06:00:00.000Z')];
    const s = findSignals(within, opts).sameOriginal;
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({ case: 1, accounts: 3, from: '2026-11-23T00:00:00.000Z', to: '2026-11-23T06:00:00.000Z', minutes: 360 });
    expect(s[0]!.copies.map((k) => k.url)).toEqual(['u/1', 'u/2', 'u/3']);
    const late = [...within.slice(0, 2), copy(1, 'u/3', 'c', '2026-11-23T06:01:00.000Z')];
    expect(findSignals(late, opts).sameOriginal).toEqual([]);
  });

  it('same original: one account posting twice counts once; copies without an account do not count; the same name on two platforms is two accounts', () => {
    const twice = [copy(1, 'u/1', 'a', '2026-11-23T00:00:00.000Z'), copy(1, 'u/2', 'a', '2026-11-23T00:10:00.000Z'), copy(1, 'u/3', 'b', '2026-11-23T00:20:00.000Z'), copy(1, 'u/4', undefined, '2026-11-23T00:30:00.000Z')];
    expect(findSignals(twice, opts).sameOriginal).toEqual([]);
    const platforms = [...twice, copy(1, 'x/1', 'a', '2026-11-23T00:40:00.000Z', { platform: 'x' })];
    const s = findSignals(platforms, opts).sameOriginal;
    expect(s.map((x) => [x.case, x.accounts, x.copies.length])).toEqual([[1, 3, 4]]);
  });

  it('same original: the earliest window with the most accounts, and per case, not across cases', () => {
    const copies = [
      copy(1, 'u/1', 'a', '2026-11-23T00:00:00.000Z'),
      copy(1, 'u/2', 'b', '2026-11-23T01:00:00.000Z'),
      copy(1, 'u/3', 'c', '2026-11-23T02:00:00.000Z'),
      copy(1, 'u/4', 'd', '2026-11-24T00:00:00.000Z'),
      copy(1, 'u/5', 'e', '2026-11-24T00:05:00.000Z'),
      copy(1, 'u/6', 'f', '2026-11-24T00:10:00.000Z'),
      copy(2, 'v/1', 'a', '2026-11-23T00:00:00.000Z'),
      copy(3, 'w/1', 'b', '2026-11-23T00:00:00.000Z'),
    ];
    const s = findSignals(copies, opts).sameOriginal;
    expect(s.map((x) => [x.case, x.from, x.accounts])).toEqual([[1, '2026-11-23T00:00:00.000Z', 3]]);
  });

  it('fast re-posts: within M minutes of the case\u2019s earliest copy, in K or more cases of one outlet', () => {
    const mk = (c: number, lag: number, outlet = 'xinhua') => [
      copy(c, `site/${c}`, undefined, '2026-11-23T10:00:00.000Z', { outlet }),
      copy(c, `fast/${c}`, 'quick', new Date(Date.parse('2026-11-23T10:00:00.000Z') + lag * 60_000).toISOString(), { outlet }),
    ];
    const three = [...mk(1, 0), ...mk(2, 12), ...mk(3, 30), ...mk(4, 31)];
    const f = findSignals(three, opts).fastAccounts;
    expect(f.map((x) => [x.account, x.outlet, x.fastCases, x.cases, x.medianMinutes])).toEqual([['quick', 'xinhua', 3, 4, 12]]);
    expect(f[0]!.copies.map((k) => [k.case, k.minutes, k.reference])).toEqual([
      [1, 0, '2026-11-23T10:00:00.000Z'],
      [2, 12, '2026-11-23T10:00:00.000Z'],
      [3, 30, '2026-11-23T10:00:00.000Z'],
    ]);
    // Two fast cases of one outlet and one of another: not three of one outlet.
    expect(findSignals([...mk(1, 0), ...mk(2, 5), ...mk(3, 5, 'cgtn')], opts).fastAccounts).toEqual([]);
    expect(findSignals([...mk(1, 0), ...mk(2, 5), ...mk(3, 5, 'cgtn')], { ...opts, repeats: 2 }).fastAccounts.map((x) => [x.outlet, x.fastCases])).toEqual([['xinhua', 2]]);
  });

  it('gives the same signals in the same order whatever the order of its input', () => {
    const copies: SignalCopy[] = [];
    for (let c = 1; c <= 6; c++)
      for (let i = 0; i < 5; i++) copies.push(copy(c, `p/${c}/${i}`, `acct-${(c + i) % 4}`, new Date(Date.parse('2026-11-23T00:00:00.000Z') + (c * 7 + i * 11) * 60_000).toISOString(), { outlet: c % 2 ? 'xinhua' : 'cgtn' }));
    const a = findSignals(copies, { accounts: 3, hours: 1, minutes: 40, repeats: 2 });
    expect(a.sameOriginal.length).toBeGreaterThan(0);
    expect(a.fastAccounts.length).toBeGreaterThan(0);
    let seed = 7;
    const shuffled = copies
      .map((c) => ({ c, k: (seed = (seed * 48271) % 2147483647) }))
      .sort((x, y) => x.k - y.k)
      .map((x) => ({ ...x.c }));
    expect(JSON.stringify(findSignals(shuffled, { accounts: 3, hours: 1, minutes: 40, repeats: 2 }))).toBe(JSON.stringify(a));
  });
});

describe('stored ZIP', () => {
  it('writes the same bytes for the same files, with their CRC-32 and sizes', () => {
    const files: Array<[string, Buffer]> = [
      ['r/a.txt', Buffer.from('hello\n')],
      ['r/说明.csv', Buffer.from('\uFEFFa,b\r\n')],
    ];
    const zip = storedZip(files);
    expect(storedZip(files).equals(zip)).toBe(true);
    expect(zip.readUInt32LE(0)).toBe(0x04034b50);
    expect(zip.readUInt32LE(14)).toBe(0x363a3020); // CRC-32 of "hello\n"
    expect(zip.readUInt32LE(18)).toBe(6);
    expect(zip.subarray(30, 37).toString()).toBe('r/a.txt');
    const end = zip.length - 22;
    expect([zip.readUInt32LE(end), zip.readUInt16LE(end + 10)]).toEqual([0x06054b50, 2]);
  });
});
