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
import { REPORT_TEXT, type ReportLang, type ReportText } from './publish-text';

/** Text for HTML: escaped, without bidi controls. */
const esc = (s: string) => escRaw(stripBidiControls(s));

/** The method, as report.json gives it (in English) and the English page shows it. */
export function methodText(r: PublicReport): string[] {
  return REPORT_TEXT.en.methodText(r.signals.options);
}

export function limitsText(): string[] {
  return REPORT_TEXT.en.limitsText;
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
function figures(e: Record<string, unknown> | undefined, tx: ReportText): string {
  if (!e) return '';
  const shown = FIGURES.filter((k) => e[k]).map((k) => `${tx.figure(k)} ${(e[k] as { shown: string }).shown}`);
  return `${esc(tx.list(shown) || tx.figuresNone)} <span class="meta">${esc(tx.figuresRead(tx.when(String(e.readAt))))}</span>`;
}

const num = (n: number) => `<td class="n">${thousands(n)}</td>`;
const cell = (s: string) => `<td>${s}</td>`;
const original = (o: { url: string; id: string }, tx: ReportText) => (o.url ? link(o.url) : esc(o.id || tx.unknownOriginal));

/** Rows the page lists at most per table (and cases in full); report.json and the CSV files hold them all. */
export const HTML_LIMITS = { originals: 100, accounts: 200, signals: 100, cases: 200 };

/** The first `max` items, and a line saying where the rest are when there are more. */
function capped<T>(items: T[], max: number, where: string[], tx: ReportText): { shown: T[]; more: string } {
  if (items.length <= max) return { shown: items, more: '' };
  return { shown: items.slice(0, max), more: `<p class="meta">${esc(tx.capped(max, items.length, tx.files(where)))}</p>` };
}

function table(head: string[], rows: string[][], numeric: number[] = []): string {
  return `<table><thead><tr>${head.map((h, i) => `<th${numeric.includes(i) ? ' class="n"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

/** The page in a language (English by default); report.json and the CSV files are the same in every language. */
export function renderHtml(r: PublicReport, lang: ReportLang = 'en'): string {
  const tx = REPORT_TEXT[lang];
  const when = tx.when;
  // Most copies first (then by id); the page lists the first ones in full, report.json and copies.csv all of them.
  const cases = capped(
    [...r.cases].sort((a, b) => b.copies.length - a.copies.length || a.id - b.id),
    HTML_LIMITS.cases,
    ['report.json', 'copies.csv'],
    tx,
  );
  const listed = new Set(cases.shown.map((c) => c.id));
  const caseLink = (id: number) => (listed.has(id) ? `<a href="#case-${id}">#${id}</a>` : `#${id}`);
  const platforms = (list: string[]) => tx.list(list.map(tx.platform));
  const t = r.totals;
  const p = r.period;
  const label = tx.period(p.label);
  const parts: string[] = [];
  parts.push(`<!doctype html>
<html lang="${tx.htmlLang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(tx.title(label))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(tx.title(label))}</h1>
<p class="lede">${tx.lede(esc(tx.date(p.from.slice(0, 10))), esc(tx.date(new Date(Date.parse(p.to) - 1).toISOString().slice(0, 10))), '<a href="report.json">report.json</a>')}</p>
</header>
<main>
<ul class="figures">
<li><b>${thousands(t.cases)}</b>${tx.totals.cases}</li><li><b>${thousands(t.originals)}</b>${tx.totals.originals}</li><li><b>${thousands(t.copies)}</b>${tx.totals.copies}</li><li><b>${thousands(t.accounts)}</b>${tx.totals.accounts}</li><li><b>${thousands(t.platforms)}</b>${tx.totals.platforms}</li><li><b>${thousands(t.reports)}</b>${tx.totals.reports}</li>
</ul>`);
  if (!t.cases) parts.push(`<p class="empty">${esc(tx.empty)}</p>`);
  const none = `<p>${esc(tx.none)}</p>`;

  parts.push(`<h2 id="days">${esc(tx.perDay)}</h2>`);
  parts.push(columnChart(r.perDay.days.map((d) => ({ label: tx.dayLabel(d.date), value: d.copies })), tx.perDayChart(label), 'per-day'));
  if (r.perDay.before || r.perDay.after) parts.push(`<p class="meta">${esc(tx.beforeAfter(thousands(r.perDay.before), thousands(r.perDay.after)))}</p>`);

  parts.push(`<h2 id="platforms">${esc(tx.platforms)}</h2>`);
  if (r.platforms.length) {
    parts.push(barChart(r.platforms.map((x) => ({ label: tx.platform(x.platform), value: x.copies, note: `${x.share}%` })), tx.platformsChart, 'platforms'));
    parts.push(table(tx.platformHead, r.platforms.map((x) => [cell(esc(tx.platform(x.platform))), num(x.copies), `<td class="n">${x.share}%</td>`, num(x.cases), num(x.reports)]), [1, 2, 3, 4]));
  } else parts.push(none);

  parts.push(`<h2 id="originals">${esc(tx.originals)}</h2>`);
  if (r.originals.length) {
    const top = r.originals.slice(0, 10);
    parts.push(barChart(top.map((o) => ({ label: `${o.outlet}: ${o.url ? shortUrl(o.url) : o.id}`, value: o.copies })), tx.originalsChart, 'originals'));
    const originals = capped(r.originals, HTML_LIMITS.originals, ['report.json', 'originals.csv'], tx);
    parts.push(
      table(
        tx.originalsHead,
        originals.shown.map((o) => [cell(esc(o.outlet)), cell(original(o, tx)), num(o.copies), num(o.accounts), cell(esc(platforms(o.platforms))), cell(o.cases.map(caseLink).join(' '))]),
        [2, 3],
      ) + originals.more,
    );
  } else parts.push(none);

  parts.push(`<h2 id="accounts">${esc(tx.accounts)}</h2><p class="meta">${esc(tx.accountsNote)}</p>`);
  const accounts = capped(r.accounts, HTML_LIMITS.accounts, ['report.json', 'accounts.csv'], tx);
  parts.push(
    r.accounts.length
      ? table(
          tx.accountsHead,
          accounts.shown.map((a) => [cell(esc(tx.platform(a.platform))), cell(a.url ? link(a.url, a.name) : esc(a.name)), num(a.copies), cell(esc(tx.list(a.outlets))), num(a.uncreditedReports), cell(esc(when(a.firstCopy))), cell(esc(when(a.lastCopy))), cell(a.cases.map(caseLink).join(' '))]),
          [2, 4],
        ) + accounts.more
      : none,
  );

  const s = r.signals;
  const same = capped(s.sameOriginal, HTML_LIMITS.signals, ['report.json', 'signals.csv'], tx);
  const fast = capped(s.fastAccounts, HTML_LIMITS.signals, ['report.json', 'signals.csv'], tx);
  parts.push(`<h2 id="signals">${esc(tx.signals)}</h2><p class="meta">${esc(tx.signalsNote)}</p><h3>${esc(tx.sameOriginal(s.options))}</h3>`);
  parts.push(
    s.sameOriginal.length
      ? table(
          tx.sameHead,
          same.shown.map((x) => [
            cell(caseLink(x.case)),
            cell(original({ url: x.originalUrl, id: x.originalId }, tx)),
            num(x.accounts),
            `<td class="n">${esc(tx.minutes(x.minutes))}</td>`,
            cell(x.copies.map((k) => tx.signalCopy(esc(tx.platform(k.platform)), esc(k.account), esc(when(k.at)), link(k.url))).join('<br>')),
          ]),
          [2, 3],
        ) + same.more
      : none,
  );
  parts.push(`<h3>${esc(tx.fast(s.options))}</h3>`);
  parts.push(
    s.fastAccounts.length
      ? table(
          tx.fastHead,
          fast.shown.map((x) => [
            cell(esc(tx.platform(x.platform))),
            cell(esc(x.account)),
            cell(esc(x.outlet)),
            `<td class="n">${x.fastCases} / ${x.cases}</td>`,
            `<td class="n">${esc(tx.minutes(x.medianMinutes))}</td>`,
            cell(x.copies.map((k) => tx.fastCopy(caseLink(k.case), esc(tx.minutes(k.minutes)), link(k.url))).join('<br>')),
          ]),
          [3, 4],
        ) + fast.more
      : none,
  );

  parts.push(`<h2 id="cases">${esc(tx.cases)}</h2>`);
  if (!r.cases.length) parts.push(none);
  else parts.push(`<p class="meta">${esc(tx.casesNote)}</p>`);
  for (const c of cases.shown) {
    parts.push(`<section class="case" id="case-${c.id}"><h3>${esc(tx.caseTitle(c.id, c.outlet || tx.noOutlet))}</h3>`);
    parts.push(
      `<p>${tx.caseLine({
        original: original(c.original, tx),
        copies: esc(tx.count(c.copies.length, 'copy')),
        platforms: esc(platforms(c.platforms)),
        accounts: esc(tx.count(c.accounts, 'account')),
        reports: esc(tx.count(c.reports, 'report')),
        spread: esc(tx.count(c.spreadMinutes, 'minute')),
        reviewers: esc(tx.count(c.confirmations, 'reviewer')),
        confirmed: c.confirmedAt ? esc(tx.date(c.confirmedAt.slice(0, 10))) : '',
      })}</p>`,
    );
    parts.push(
      timelineChart(
        c.copies.map((k) => ({ platform: tx.platform(k.platform), minutesAfterFirst: k.minutesAfterFirst, label: k.account?.name ?? k.url })),
        tx.timelineTitle(c.id),
        `case-${c.id}-timeline`,
        { desc: tx.timelineDesc, dot: tx.timelineDot, hours: tx.tickHours, days: tx.tickDays },
      ),
    );
    parts.push(
      table(
        tx.copiesHead,
        c.copies.map((k) => [
          cell(esc(when(k.at)) + (k.postedAt ? ` <span class="meta">${esc(tx.posted(k.postedAt.shown))}</span>` : ` <span class="meta">${esc(tx.firstSeen)}</span>`)),
          num(k.minutesAfterFirst),
          cell(esc(tx.platform(k.platform))),
          cell(k.account ? (k.account.url ? link(k.account.url, k.account.name) : esc(k.account.name)) : ''),
          cell(`${link(k.url)}${k.title ? `<br><span class="meta">${esc(k.title)}</span>` : ''}`),
          num(k.reports),
          cell(figures(k.engagement, tx)),
        ]),
        [1, 5],
      ),
    );
    const withPassages = c.copies.filter((k) => k.passages.length);
    if (withPassages.length) {
      parts.push(`<details><summary>${esc(tx.passages)}</summary>`);
      for (const k of withPassages) {
        parts.push(`<p class="meta">${link(k.url)}</p><table class="passages"><thead><tr><th>${esc(tx.passagesHead[0])}</th><th>${esc(tx.passagesHead[1])}</th></tr></thead><tbody>${k.passages.map((x) => `<tr><td>${esc(x.pageText)}</td><td>${esc(x.originalText ?? '')}</td></tr>`).join('')}</tbody></table>`);
        if (k.passagesOmitted) parts.push(`<p class="meta">${esc(tx.passagesOmitted(k.passagesOmitted))}</p>`);
      }
      parts.push('</details>');
    }
    parts.push('</section>');
  }
  if (cases.more) parts.push(cases.more);

  parts.push(`<h2 id="method">${esc(tx.method)}</h2>` + tx.methodText(s.options).map((x) => `<p>${esc(x)}</p>`).join(''));
  parts.push(`<h2 id="limits">${esc(tx.limits)}</h2><ul>` + tx.limitsText.map((x) => `<li>${esc(x)}</li>`).join('') + '</ul>');
  parts.push(
    `</main>\n<footer>${tx.footer(tx.list(FILES.filter((f) => f !== 'index.html').map((f) => `<a href="${f}">${f}</a>`)))}</footer>\n</body>\n</html>\n`,
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

/** Every file of the report, by name, in FILES order; only index.html depends on the language. */
export function renderReport(r: PublicReport, lang: ReportLang = 'en'): Map<ReportFile, string> {
  const files = new Map<ReportFile, string>();
  files.set('index.html', renderHtml(r, lang));
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
