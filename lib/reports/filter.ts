/** The reports page's filter: status, category, and text in title, address, note, outlet or original. */
import type { Report, ReportCategory, ReportStatus } from '../store/reports-db';

export interface ReportFilter {
  status: ReportStatus | 'all';
  category: ReportCategory | 'all';
  text: string;
}

export function filterReports(reports: Report[], f: ReportFilter): Report[] {
  const q = f.text.trim().toLowerCase();
  return reports.filter(
    (r) =>
      (f.status === 'all' || r.status === f.status) &&
      (f.category === 'all' || r.category === f.category) &&
      (!q || [r.title, r.url, r.note, r.outlet, r.originalId, r.originalUrl, r.platform].some((s) => s?.toLowerCase().includes(q))),
  );
}
