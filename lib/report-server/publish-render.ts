/**
 * A public report's files from its figures (publish-data.ts): index.html (with
 * its charts as static SVG, no script, one stylesheet allowed by its hash),
 * report.json (the figures and the evidence they rest on), and CSV files of
 * the same figures, each beginning with a UTF-8 byte-order mark. Pure: the
 * same figures give the same bytes.
 */
import { createHash } from 'node:crypto';
import { csvCell } from '../reports/csv-cell';
import { stripBidiControls } from '../reports/bidi-controls';
import { barChart, columnChart, esc as escRaw, thousands, timelineChart } from './publish-charts';
import type { PublicReport } from './publish-data';
import { UTF8_BOM } from './export';

/** Text for HTML: escaped, without bidi controls. */
const esc = (s: string) => escRaw(stripBidiControls(s));

export function methodText(r: PublicReport): string[] {
  const s = r.signals.options;
  return [
    'Readers of the Provenance Badges extension report pages that reuse an article of a state-media outlet. Each report names the page (the copy), the original it matched, the passages that match side by side, and, on platform pages, the account that posted it and the post time as the page showed it.',
    'The collation centre groups reports about the same copy or the same original into a case. A case is counted here only after two different reviewers confirmed it (the four-eyes rule): it is in this report when it is confirmed and its first copy was first seen in the period. Copies seen later stay with their case; the figures are those of the database when the report was made.',
    "A copy's time is the post time the page showed (when a report carried it), else the time a reader first saw the copy. Timelines count from the case's first copy.",
    `Coordination signals are figures, not accusations. "Same original, many accounts": a case whose copies were posted by at least ${s.accounts} different accounts within ${s.hours} hours. "Fast re-posts": an account whose copies of one outlet's originals came within ${s.minutes} minutes of the earliest known copy of the original, in at least ${s.repeats} cases. Each signal lists the copies it rests on.`,
    'report.json holds every figure here and the evidence behind it: for each case the original address, every copy address, and the matched passages (the page text beside the original text). Anyone can open the addresses and compare.',
  ];
}

export function limitsText(): string[] {
  return [
    'Only what readers reported is counted: copies nobody reported are missing, and platforms with more readers of the extension are over-represented. Counts are of copies found, not of all copies that exist.',
    "The reports do not carry the original's own publication time, so the fast re-post signal measures from the earliest copy the centre knows; the first account to post a copy counts at 0 minutes.",
    'Post times are as the platforms showed them; engagement figures are as shown when a reader read them and change afterwards.',
    'A confirmed case means two reviewers agreed that the copy reuses the original without credit as shown; it says nothing about who was behind an account or why.',
    'Reporter identities, reviewers\u2019 names and notes are never published. Account names appear only for confirmed cases.',
  ];
}

export const REPORT_CSS = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:60rem;padding:0 1rem 3rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:1.2rem 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:1.2rem 0 .3rem}
.lede{color:#444;margin:.2rem 0 1rem}.figures{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;list-style:none}
.figures li{border:1px solid #ccc;border-radius:6px;padding:.3rem .8rem;min-width:7rem}.figures b{display:block;font-size:1.4rem}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}td.n,th.n{text-align:right}
.chart{max-width:100%;height:auto;display:block;margin:.5rem 0}.chart text{font-size:12px;fill:#333}.chart .grid{stroke:#ddd;stroke-width:1}
.chart .bar{fill:#2f6f9f}.chart .dot{fill:#b3261e;stroke:#fff;stroke-width:1.5}.chart .value{fill:#111}
.case{border:1px solid #ccc;border-radius:6px;padding:.2rem .9rem .6rem;margin:1rem 0}.meta{color:#555}.passages td{width:50%;white-space:pre-wrap}
.empty{border:1px dashed #999;padding:.6rem 1rem;border-radius:6px}a{color:#0b57d0;overflow-wrap:anywhere}footer{margin-top:2rem;color:#555;font-size:.9em}
@media (prefers-color-scheme:dark){body{color:#e8e8e8;background:#161616}.chart text{fill:#ddd}.chart .value{fill:#eee}.chart .grid{stroke:#444}a{color:#8ab4f8}.lede,.meta,footer{color:#aaa}}`;

const STYLE_HASH = createHash('sha256').update(REPORT_CSS).digest('base64');
/** The report page's policy: nothing runs, nothing loads; only its own stylesheet (by hash). */
export const REPORT_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

/** An https link (rel noopener, no referrer), or the address as text. */
function link(url: string, text = url): string {
  let ok = false;
  try {
    ok = new URL(url).protocol === 'https:';
  } catch {
    /* not an address */
  }
  return ok ? `<a href="${esc(url)}" rel="noopener noreferrer nofollow">${esc(text)}</a>` : esc(text);
}

/** "2026-11-23T08:05:00.000Z" → "2026-11-23 08:05 UTC" (the JSON and CSV keep the ISO time). */
const when = (iso: string) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso);
const plural = (n: number, one: string, many = `${one}s`) => `${thousands(n)} ${n === 1 ? one : many}`;
/** An original's address made short for a chart label: host and last path segment. */
function shortUrl(u: string): string {
  try {
    const x = new URL(u);
    const segs = x.pathname.split('/').filter(Boolean);
    const tail = segs.length > 1 ? `/…/${segs[segs.length - 1]}` : x.pathname;
    return x.host + tail;
  } catch {
    return u;
  }
}
const FIGURES = ['reposts', 'comments', 'likes', 'views'] as const;
function figures(e: Record<string, unknown> | undefined): string {
  if (!e) return '';
  const shown = FIGURES.filter((k) => e[k]).map((k) => `${k} ${(e[k] as { shown: string }).shown}`);
  return `${shown.join(', ') || 'none shown'} <span class="meta">(read ${esc(when(String(e.readAt)))})</span>`;
}

const num = (n: number) => `<td class="n">${thousands(n)}</td>`;
const cell = (s: string) => `<td>${s}</td>`;
const original = (o: { url: string; id: string }) => (o.url ? link(o.url) : esc(o.id || '(unknown)'));

/** Rows the page lists at most per table (and cases in full); report.json and the CSV files hold them all. */
export const HTML_LIMITS = { originals: 100, accounts: 200, signals: 100, cases: 200 };

/** The first `max` items, and a line saying where the rest are when there are more. */
function capped<T>(items: T[], max: number, where: string): { shown: T[]; more: string } {
  if (items.length <= max) return { shown: items, more: '' };
  return { shown: items.slice(0, max), more: `<p class="meta">The first ${thousands(max)} of ${thousands(items.length)} are listed here; all are in ${where}.</p>` };
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  return `<table><thead><tr>${head.map((h, i) => `<th${numeric.includes(i) ? ' class="n"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderHtml(r: PublicReport): string {
  // Most copies first (then by id); the page lists the first ones in full, report.json and copies.csv all of them.
  const cases = capped(
    [...r.cases].sort((a, b) => b.copies.length - a.copies.length || a.id - b.id),
    HTML_LIMITS.cases,
    'report.json and copies.csv',
  );
  const listed = new Set(cases.shown.map((c) => c.id));
  const caseLink = (id: number) => (listed.has(id) ? `<a href="#case-${id}">#${id}</a>` : `#${id}`);
  const t = r.totals;
  const p = r.period;
  const parts: string[] = [];
  parts.push(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Uncredited reuse of state-media articles: ${esc(p.label)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>Uncredited reuse of state-media articles: ${esc(p.label)}</h1>
<p class="lede">Confirmed cases first seen from ${esc(p.from.slice(0, 10))} to ${esc(new Date(Date.parse(p.to) - 1).toISOString().slice(0, 10))} (UTC). Every figure rests on evidence listed below and in <a href="report.json">report.json</a>.</p>
</header>
<main>
<ul class="figures">
<li><b>${thousands(t.cases)}</b>confirmed cases</li><li><b>${thousands(t.originals)}</b>originals</li><li><b>${thousands(t.copies)}</b>copies</li><li><b>${thousands(t.accounts)}</b>accounts</li><li><b>${thousands(t.platforms)}</b>platforms</li><li><b>${thousands(t.reports)}</b>reports</li>
</ul>`);
  if (!t.cases) parts.push('<p class="empty">No confirmed case was first seen in this period: every figure is zero.</p>');

  parts.push('<h2 id="days">Copies per day</h2>');
  parts.push(columnChart(r.perDay.days.map((d) => ({ label: d.date.slice(5), value: d.copies })), `Copies per day, ${p.label}`, 'per-day'));
  if (r.perDay.before || r.perDay.after) parts.push(`<p class="meta">Copies of these cases dated before the period: ${thousands(r.perDay.before)}; after it: ${thousands(r.perDay.after)}.</p>`);

  parts.push('<h2 id="platforms">Platforms</h2>');
  if (r.platforms.length) {
    parts.push(barChart(r.platforms.map((x) => ({ label: x.platform, value: x.copies, note: `${x.share}%` })), 'Copies per platform', 'platforms'));
    parts.push(table(['platform', 'copies', 'share', 'cases', 'reports'], r.platforms.map((x) => [cell(esc(x.platform)), num(x.copies), `<td class="n">${x.share}%</td>`, num(x.cases), num(x.reports)]), [1, 2, 3, 4]));
  } else parts.push('<p>None.</p>');

  parts.push('<h2 id="originals">Originals most reused</h2>');
  if (r.originals.length) {
    const top = r.originals.slice(0, 10);
    parts.push(barChart(top.map((o) => ({ label: `${o.outlet}: ${o.url ? shortUrl(o.url) : o.id}`, value: o.copies })), 'Copies per original (the ten most reused)', 'originals'));
    const originals = capped(r.originals, HTML_LIMITS.originals, 'report.json and originals.csv');
    parts.push(
      table(
        ['outlet', 'original', 'copies', 'accounts', 'platforms', 'cases'],
        originals.shown.map((o) => [cell(esc(o.outlet)), cell(original(o)), num(o.copies), num(o.accounts), cell(esc(o.platforms.join(', '))), cell(o.cases.map(caseLink).join(' '))]),
        [2, 3],
      ) + originals.more,
    );
  } else parts.push('<p>None.</p>');

  parts.push('<h2 id="accounts">Accounts</h2><p class="meta">Accounts that posted copies in confirmed cases, as the reports named them.</p>');
  const accounts = capped(r.accounts, HTML_LIMITS.accounts, 'report.json and accounts.csv');
  parts.push(
    r.accounts.length
      ? table(
          ['platform', 'account', 'copies', 'outlets', 'uncredited reports', 'first copy', 'last copy', 'cases'],
          accounts.shown.map((a) => [cell(esc(a.platform)), cell(a.url ? link(a.url, a.name) : esc(a.name)), num(a.copies), cell(esc(a.outlets.join(', '))), num(a.uncreditedReports), cell(esc(when(a.firstCopy))), cell(esc(when(a.lastCopy))), cell(a.cases.map(caseLink).join(' '))]),
          [2, 4],
        ) + accounts.more
      : '<p>None.</p>',
  );

  const s = r.signals;
  const same = capped(s.sameOriginal, HTML_LIMITS.signals, 'report.json and signals.csv');
  const fast = capped(s.fastAccounts, HTML_LIMITS.signals, 'report.json and signals.csv');
  parts.push(`<h2 id="signals">Coordination signals</h2><p class="meta">Figures, not accusations; each lists its evidence.</p><h3>Same original, ${s.options.accounts} or more accounts within ${s.options.hours} hours</h3>`);
  parts.push(
    s.sameOriginal.length
      ? table(
          ['case', 'original', 'accounts', 'within', 'copies (account, time)'],
          same.shown.map((x) => [
            cell(caseLink(x.case)),
            cell(original({ url: x.originalUrl, id: x.originalId })),
            num(x.accounts),
            `<td class="n">${x.minutes} min</td>`,
            cell(x.copies.map((k) => `${esc(k.platform)} ${esc(k.account)}, ${esc(when(k.at))}: ${link(k.url)}`).join('<br>')),
          ]),
          [2, 3],
        ) + same.more
      : '<p>None.</p>',
  );
  parts.push(`<h3>Fast re-posts: within ${s.options.minutes} minutes of the earliest known copy, in ${s.options.repeats} or more cases</h3>`);
  parts.push(
    s.fastAccounts.length
      ? table(
          ['platform', 'account', 'outlet', 'fast / cases', 'median', 'copies (case, minutes)'],
          fast.shown.map((x) => [
            cell(esc(x.platform)),
            cell(esc(x.account)),
            cell(esc(x.outlet)),
            `<td class="n">${x.fastCases} / ${x.cases}</td>`,
            `<td class="n">${x.medianMinutes} min</td>`,
            cell(x.copies.map((k) => `${caseLink(k.case)} +${k.minutes} min: ${link(k.url)}`).join('<br>')),
          ]),
          [3, 4],
        ) + fast.more
      : '<p>None.</p>',
  );

  parts.push('<h2 id="cases">Cases</h2>');
  if (!r.cases.length) parts.push('<p>None.</p>');
  else parts.push('<p class="meta">Most copies first.</p>');
  for (const c of cases.shown) {
    parts.push(`<section class="case" id="case-${c.id}"><h3>Case #${c.id}: ${esc(c.outlet || '(no outlet)')}</h3>`);
    parts.push(
      `<p>Original: ${original(c.original)}<br><span class="meta">${plural(c.copies.length, 'copy', 'copies')} on ${esc(c.platforms.join(', '))} by ${plural(c.accounts, 'account')}, ${plural(c.reports, 'report')}; spread over ${plural(c.spreadMinutes, 'minute')}; confirmed by ${plural(c.confirmations, 'reviewer')}${c.confirmedAt ? ` (${esc(c.confirmedAt.slice(0, 10))})` : ''}.</span></p>`,
    );
    parts.push(timelineChart(c.copies.map((k) => ({ platform: k.platform, minutesAfterFirst: k.minutesAfterFirst, label: k.account?.name ?? k.url })), `Case #${c.id}: copies over time`, `case-${c.id}-timeline`));
    parts.push(
      table(
        ['time', '+min', 'platform', 'account', 'copy', 'reports', 'figures as shown'],
        c.copies.map((k) => [
          cell(esc(when(k.at)) + (k.postedAt ? ` <span class="meta">(posted: ${esc(k.postedAt.shown)})</span>` : ' <span class="meta">(first seen)</span>')),
          num(k.minutesAfterFirst),
          cell(esc(k.platform)),
          cell(k.account ? (k.account.url ? link(k.account.url, k.account.name) : esc(k.account.name)) : ''),
          cell(`${link(k.url)}${k.title ? `<br><span class="meta">${esc(k.title)}</span>` : ''}`),
          num(k.reports),
          cell(figures(k.engagement)),
        ]),
        [1, 5],
      ),
    );
    const withPassages = c.copies.filter((k) => k.passages.length);
    if (withPassages.length) {
      parts.push('<details><summary>Matched passages (copy beside original)</summary>');
      for (const k of withPassages) {
        parts.push(`<p class="meta">${link(k.url)}</p><table class="passages"><thead><tr><th>copy</th><th>original</th></tr></thead><tbody>${k.passages.map((x) => `<tr><td>${esc(x.pageText)}</td><td>${esc(x.originalText ?? '')}</td></tr>`).join('')}</tbody></table>`);
        if (k.passagesOmitted) parts.push(`<p class="meta">${k.passagesOmitted} more distinct passages were reported for this copy (not listed here or in report.json).</p>`);
      }
      parts.push('</details>');
    }
    parts.push('</section>');
  }
  if (cases.more) parts.push(cases.more);

  parts.push('<h2 id="method">Method</h2>' + methodText(r).map((x) => `<p>${esc(x)}</p>`).join(''));
  parts.push('<h2 id="limits">Limits</h2><ul>' + limitsText().map((x) => `<li>${esc(x)}</li>`).join('') + '</ul>');
  parts.push(
    `</main>\n<footer>Files of this report: ${FILES.filter((f) => f !== 'index.html')
      .map((f) => `<a href="${f}">${f}</a>`)
      .join(', ')}. Made from the collation centre's database; the same database and period give the same files.</footer>\n</body>\n</html>\n`,
  );
  return parts.join('\n');
}

export function renderJson(r: PublicReport): string {
  return JSON.stringify({ ...r, method: methodText(r), limits: limitsText() }, null, 2) + '\n';
}

function csv(head: string[], rows: unknown[][]): string {
  return UTF8_BOM + [head, ...rows].map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

export const FILES = ['index.html', 'report.json', 'originals.csv', 'platforms.csv', 'accounts.csv', 'copies.csv', 'signals.csv'] as const;
export type ReportFile = (typeof FILES)[number];

/** Every file of the report, by name, in FILES order. */
export function renderReport(r: PublicReport): Map<ReportFile, string> {
  const files = new Map<ReportFile, string>();
  files.set('index.html', renderHtml(r));
  files.set('report.json', renderJson(r));
  files.set(
    'originals.csv',
    csv(
      ['period', 'outlet', 'originalUrl', 'originalId', 'copies', 'accounts', 'reports', 'platforms', 'cases'],
      r.originals.map((o) => [r.period.label, o.outlet, o.url, o.id, o.copies, o.accounts, o.reports, o.platforms.join(' '), o.cases.join(' ')]),
    ),
  );
  files.set('platforms.csv', csv(['period', 'platform', 'copies', 'sharePercent', 'cases', 'reports'], r.platforms.map((x) => [r.period.label, x.platform, x.copies, x.share, x.cases, x.reports])));
  files.set(
    'accounts.csv',
    csv(
      ['period', 'platform', 'account', 'accountUrl', 'copies', 'outlets', 'uncreditedReports', 'firstCopy', 'lastCopy', 'cases'],
      r.accounts.map((a) => [r.period.label, a.platform, a.name, a.url ?? '', a.copies, a.outlets.join(' '), a.uncreditedReports, a.firstCopy, a.lastCopy, a.cases.join(' ')]),
    ),
  );
  files.set(
    'copies.csv',
    csv(
      ['period', 'case', 'outlet', 'originalUrl', 'originalId', 'copyUrl', 'platform', 'account', 'accountUrl', 'time', 'postedAt', 'firstSeen', 'minutesAfterFirst', 'reports', 'passages'],
      r.cases.flatMap((c) =>
        c.copies.map((k) => [r.period.label, c.id, c.outlet, c.original.url, c.original.id, k.url, k.platform, k.account?.name ?? '', k.account?.url ?? '', k.at, k.postedAt?.shown ?? '', k.firstSeen, k.minutesAfterFirst, k.reports, k.passages.length + k.passagesOmitted]),
      ),
    ),
  );
  files.set(
    'signals.csv',
    csv(
      ['period', 'signal', 'case', 'platform', 'account', 'outlet', 'originalUrl', 'copyUrl', 'time', 'minutes', 'figure'],
      [
        ...r.signals.sameOriginal.flatMap((x) => x.copies.map((k) => [r.period.label, 'same-original', x.case, k.platform, k.account, x.outlet, x.originalUrl || x.originalId, k.url, k.at, x.minutes, `${x.accounts} accounts`])),
        ...r.signals.fastAccounts.flatMap((x) => x.copies.map((k) => [r.period.label, 'fast-repost', k.case, x.platform, x.account, x.outlet, k.originalUrl || k.originalId, k.url, k.at, k.minutes, `${x.fastCases} of ${x.cases} cases`])),
      ],
    ),
  );
  return files;
}
