/**
 * Coordination signals: figures, not accusations. Each one lists the copies it
 * rests on (case, page address, account, time), so that a reader can check it.
 *
 * - Same original, many accounts: a case whose copies were posted by at least
 *   `accounts` different accounts (platform + name) within `hours` hours of one
 *   another. The window reported is the earliest one holding the most accounts.
 * - Fast re-posts: an account whose copies of one outlet's originals appeared
 *   within `minutes` minutes of the earliest time the centre knows for that
 *   original, in at least `repeats` different cases.
 *
 * A copy's time is when it was posted (the platform fields' postedAt.iso, the
 * earliest a report gave) or else when a reader first saw it. The reports do
 * not carry the original's own publication time, so the reference for "fast"
 * is the case's earliest copy time: the first account to post counts at 0
 * minutes (a limit written in the report's method text).
 *
 * Pure: the same copies give the same signals in the same order.
 */

export interface SignalOptions {
  /** Same original: at least this many accounts … */
  accounts: number;
  /** … within this many hours. */
  hours: number;
  /** Fast re-posts: within this many minutes of the original's earliest known time … */
  minutes: number;
  /** … in at least this many cases. */
  repeats: number;
}

export const DEFAULT_SIGNALS: SignalOptions = { accounts: 3, hours: 6, minutes: 30, repeats: 3 };

export interface SignalCopy {
  case: number;
  outlet: string;
  originalUrl: string;
  originalId: string;
  url: string;
  platform: string;
  account?: string;
  /** ISO time: posted, else first seen. */
  at: string;
}

export interface SameOriginalSignal {
  case: number;
  outlet: string;
  originalUrl: string;
  originalId: string;
  accounts: number;
  from: string;
  to: string;
  minutes: number;
  copies: Array<{ url: string; platform: string; account: string; at: string }>;
}

export interface FastAccountSignal {
  platform: string;
  account: string;
  outlet: string;
  /** Cases in which this account posted within the limit … */
  fastCases: number;
  /** … of the cases of this outlet it posted in. */
  cases: number;
  medianMinutes: number;
  copies: Array<{ case: number; url: string; originalUrl: string; originalId: string; at: string; reference: string; minutes: number }>;
}

export interface Signals {
  options: SignalOptions;
  sameOriginal: SameOriginalSignal[];
  fastAccounts: FastAccountSignal[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTime = (a: SignalCopy, b: SignalCopy) => cmp(a.at, b.at) || cmp(a.url, b.url);
const minutesBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 6000) / 10;

export function findSignals(copies: SignalCopy[], o: SignalOptions = DEFAULT_SIGNALS): Signals {
  const byCase = new Map<number, SignalCopy[]>();
  for (const c of copies) {
    const list = byCase.get(c.case);
    if (list) list.push(c);
    else byCase.set(c.case, [c]);
  }
  const sameOriginal: SameOriginalSignal[] = [];
  const fast = new Map<string, { platform: string; account: string; outlet: string; cases: Set<number>; hits: FastAccountSignal['copies'] }>();
  const windowMs = o.hours * 3_600_000;
  for (const id of [...byCase.keys()].sort((a, b) => a - b)) {
    const list = byCase.get(id)!.sort(byTime);
    const reference = list[0]!.at;
    // Sliding window over the copies with an account: the earliest window with the most distinct accounts.
    const withAccount = list.filter((c) => c.account !== undefined);
    let best: { start: number; end: number; accounts: number } | undefined;
    let start = 0;
    const inWindow = new Map<string, number>();
    for (let end = 0; end < withAccount.length; end++) {
      const key = (c: SignalCopy) => `${c.platform}\u0000${c.account}`;
      inWindow.set(key(withAccount[end]!), (inWindow.get(key(withAccount[end]!)) ?? 0) + 1);
      while (Date.parse(withAccount[end]!.at) - Date.parse(withAccount[start]!.at) > windowMs) {
        const k = key(withAccount[start]!);
        const n = inWindow.get(k)! - 1;
        if (n) inWindow.set(k, n);
        else inWindow.delete(k);
        start++;
      }
      if (!best || inWindow.size > best.accounts) best = { start, end, accounts: inWindow.size };
    }
    if (best && best.accounts >= o.accounts) {
      const w = withAccount.slice(best.start, best.end + 1);
      const first = list[0]!;
      sameOriginal.push({
        case: id,
        outlet: first.outlet,
        originalUrl: first.originalUrl,
        originalId: first.originalId,
        accounts: best.accounts,
        from: w[0]!.at,
        to: w[w.length - 1]!.at,
        minutes: minutesBetween(w[0]!.at, w[w.length - 1]!.at),
        copies: w.map((c) => ({ url: c.url, platform: c.platform, account: c.account!, at: c.at })),
      });
    }
    for (const c of withAccount) {
      const key = `${c.platform}\u0000${c.account}\u0000${c.outlet}`;
      let f = fast.get(key);
      if (!f) fast.set(key, (f = { platform: c.platform, account: c.account!, outlet: c.outlet, cases: new Set(), hits: [] }));
      f.cases.add(id);
      const minutes = minutesBetween(reference, c.at);
      if (minutes <= o.minutes) f.hits.push({ case: id, url: c.url, originalUrl: c.originalUrl, originalId: c.originalId, at: c.at, reference, minutes });
    }
  }
  const fastAccounts: FastAccountSignal[] = [];
  for (const f of fast.values()) {
    const fastCases = new Set(f.hits.map((h) => h.case)).size;
    if (fastCases < o.repeats) continue;
    const lags = f.hits.map((h) => h.minutes).sort((a, b) => a - b);
    const mid = lags.length >> 1;
    const median = lags.length % 2 ? lags[mid]! : Math.round(((lags[mid - 1]! + lags[mid]!) / 2) * 10) / 10;
    fastAccounts.push({ platform: f.platform, account: f.account, outlet: f.outlet, fastCases, cases: f.cases.size, medianMinutes: median, copies: f.hits.sort((a, b) => a.case - b.case || cmp(a.url, b.url)) });
  }
  sameOriginal.sort((a, b) => b.accounts - a.accounts || a.minutes - b.minutes || a.case - b.case);
  fastAccounts.sort((a, b) => b.fastCases - a.fastCases || a.medianMinutes - b.medianMinutes || cmp(a.platform, b.platform) || cmp(a.account, b.account) || cmp(a.outlet, b.outlet));
  return { options: o, sameOriginal, fastAccounts };
}
