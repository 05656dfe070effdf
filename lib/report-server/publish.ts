/**
 * A public report of the collation centre (issue 13 §3): the confirmed cases
 * first seen in a period, as static files — index.html, report.json and CSV
 * files — and the same files in one ZIP for the review page's download.
 * The command line (`report-server publish`) and GET /api/publish call
 * publishReport, so both give the same bytes for the same database and period.
 */
import { readPublicReport } from './publish-data';
import { FILES, renderReport, type ReportFile } from './publish-render';
import type { Period } from './period';
import type { ReportLang } from './publish-text';
import type { SignalOptions } from './signals';
import type { Db } from './sql';
import { storedZip } from './zip';

export interface PublishedReport {
  period: Period;
  cases: number;
  /** Every file by name, in FILES order. */
  files: Map<ReportFile, Buffer>;
  /** The files in one archive, under a folder named for the period. */
  zip(): Buffer;
}

/** A folder name for the period ("2026-W48"; other characters become "_"). */
export function periodFolder(p: Period): string {
  return `report-${p.label.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** The report's files; `lang` is the language of index.html (the data files are the same in every language). */
export async function publishReport(db: Db, period: Period, signals: SignalOptions, lang: ReportLang = 'en'): Promise<PublishedReport> {
  const report = await readPublicReport(db, period, signals);
  const rendered = renderReport(report, lang);
  const files = new Map<ReportFile, Buffer>(FILES.map((f) => [f, Buffer.from(rendered.get(f)!, 'utf8')]));
  return {
    period,
    cases: report.totals.cases,
    files,
    zip: () => storedZip([...files].map(([name, data]) => [`${periodFolder(period)}/${name}`, data])),
  };
}
