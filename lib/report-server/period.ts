/**
 * The period of a public report: an ISO week ("2026-W48", Monday 00:00 UTC to
 * the next Monday), a month ("2026-11") or a day ("2026-11-23"), and/or
 * explicit dates (--from D --to D: from D 00:00 UTC to the end of day D, both
 * days included). With --period and dates, the dates narrow the window and the
 * period names the report; with dates alone the label is "FROM..TO".
 * Everything is in UTC: the same arguments give the same window on any machine.
 */

export interface Period {
  /** What the report is called: "2026-W48", "2026-11", "2026-11-23..2026-11-25". */
  label: string;
  /** Inclusive start, ISO time (…T00:00:00.000Z). */
  from: string;
  /** Exclusive end, ISO time. */
  to: string;
}

export class PeriodError extends Error {}

const DAY = 86_400_000;

/** Monday 00:00 UTC of ISO week `week` of ISO year `year` (ISO 8601: week 1 holds the year's first Thursday). */
function isoWeekStart(year: number, week: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const dow = new Date(jan4).getUTCDay() || 7;
  return jan4 - (dow - 1) * DAY + (week - 1) * 7 * DAY;
}

function weeksIn(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  const dec28 = Date.UTC(year, 11, 28);
  return Math.round((dec28 - isoWeekStart(year, 1)) / (7 * DAY)) + 1;
}

function day(value: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new PeriodError(`${what} ${JSON.stringify(value.slice(0, 40))}: must be a date YYYY-MM-DD`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== value) throw new PeriodError(`${what} ${value}: no such date`);
  return t;
}

function named(period: string): { from: number; to: number } {
  let m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1 || week > weeksIn(year)) throw new PeriodError(`--period ${period}: ${year} has ISO weeks 01 to ${weeksIn(year)}`);
    const from = isoWeekStart(year, week);
    return { from, to: from + 7 * DAY };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw new PeriodError(`--period ${period}: no such month`);
    return { from: Date.UTC(Number(m[1]), month - 1, 1), to: Date.UTC(Number(m[1]), month, 1) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(period)) {
    const from = day(period, '--period');
    return { from, to: from + DAY };
  }
  throw new PeriodError(`--period ${JSON.stringify(period.slice(0, 40))}: must be an ISO week (2026-W48), a month (2026-11) or a day (2026-11-23)`);
}

const iso = (t: number) => new Date(t).toISOString();

/** The report's window from --period and/or --from/--to; a PeriodError names what is wrong. */
export function parsePeriod(opts: { period?: string; from?: string; to?: string }): Period {
  if (opts.period === undefined && opts.from === undefined && opts.to === undefined) throw new PeriodError('publish needs --period (2026-W48, 2026-11 or 2026-11-23) or --from and --to (dates)');
  if ((opts.from === undefined) !== (opts.to === undefined) && opts.period === undefined) throw new PeriodError('--from and --to go together (or give --period)');
  let window = opts.period !== undefined ? named(opts.period) : undefined;
  const from = opts.from !== undefined ? day(opts.from, '--from') : undefined;
  const to = opts.to !== undefined ? day(opts.to, '--to') + DAY : undefined;
  if (from !== undefined && to !== undefined && from >= to) throw new PeriodError(`--from ${opts.from} is after --to ${opts.to}`);
  if (window) {
    const narrowed = { from: Math.max(window.from, from ?? window.from), to: Math.min(window.to, to ?? window.to) };
    if (narrowed.from >= narrowed.to) throw new PeriodError(`--from/--to fall outside --period ${opts.period}`);
    window = narrowed;
  } else window = { from: from!, to: to! };
  const dates = `${iso(window.from).slice(0, 10)}..${iso(window.to - DAY).slice(0, 10)}`;
  const label = opts.period === undefined ? dates : from !== undefined || to !== undefined ? `${opts.period} (${dates})` : opts.period;
  return { label, from: iso(window.from), to: iso(window.to) };
}
