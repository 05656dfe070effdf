/**
 * The reports page: the reader's reports with their sending state; filter,
 * edit, delete; export JSON/CSV and import JSON; the consent step before a
 * report is queued for sending. Data access comes in through props.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { t, type Lang } from '@/lib/i18n';
import { filterReports, type ReportFilter } from '@/lib/reports/filter';
import { reportBodyText } from '@/lib/reports/report-body';
import type { ImportResult } from '@/lib/reports/transfer';
import { REPORT_CATEGORIES, REPORT_STATUSES, type Report, type ReportCategory } from '@/lib/store/reports-db';
import { ConsentView } from './ConsentView';
import { CATEGORY_KEYS } from './CategorySelect';
import { ReportItem, STATUS_KEYS } from './ReportItem';

export interface ReportsAppProps {
  lang: Lang;
  load: () => Promise<Report[]>;
  /** Where agreed reports are posted (the endpoint's reports URL and base); undefined while sending is off. */
  sending?: { base: string; reportsUrl: string };
  /** A report to open in the consent view at once (?review=uid). */
  review?: string;
  onEdit: (uid: string, edit: { category: ReportCategory; note: string }) => Promise<void>;
  onDelete: (uid: string) => Promise<void>;
  /** The reader agreed to send exactly `body`. */
  onConsent: (uid: string, body: string) => Promise<void>;
  onExport: (reports: Report[], format: 'json' | 'csv') => void;
  onImport: (file: File) => Promise<ImportResult>;
  onOpenOptions: () => void;
  /** How often the list is re-read (the background changes sending states); ms. */
  refreshMs?: number;
}

export function ReportsApp(props: ReportsAppProps) {
  const { lang, sending } = props;
  const [reports, setReports] = useState<Report[] | undefined>();
  const [filter, setFilter] = useState<ReportFilter>({ status: 'all', category: 'all', text: '' });
  const [reviewing, setReviewing] = useState<string | undefined>(props.review);
  const [message, setMessage] = useState('');

  const reload = async () => setReports((await props.load()).sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), props.refreshMs ?? 1500);
    return () => clearInterval(timer);
  }, []);

  const shown = useMemo(() => filterReports(reports ?? [], filter), [reports, filter]);
  const underReview = reviewing ? reports?.find((r) => r.uid === reviewing) : undefined;
  // Only a report that is not already queued or sent can be agreed to.
  const reviewable = underReview && (underReview.status === 'local' || underReview.status === 'rejected') ? underReview : undefined;
  const act = async (fn: () => Promise<unknown>, done?: string) => {
    try {
      await fn();
      if (done !== undefined) setMessage(done);
    } catch (e) {
      setMessage(t(lang, 'errorMessage', (e as Error).message));
    }
    await reload();
  };

  return (
    <main class="reports" lang={lang}>
      <h1>{t(lang, 'reportsTitle')}</h1>
      <p class="sending muted">
        {sending ? t(lang, 'sendingTo', sending.base) : t(lang, 'sendingNotConfigured')}{' '}
        <button type="button" class="link" onClick={props.onOpenOptions}>
          {t(lang, 'openOptions')}
        </button>
      </p>
      {reviewable && (
        <ConsentView
          lang={lang}
          body={reportBodyText(reviewable)}
          target={sending?.reportsUrl}
          onCancel={() => setReviewing(undefined)}
          onOpenOptions={props.onOpenOptions}
          onAgree={() =>
            act(async () => {
              await props.onConsent(reviewable.uid, reportBodyText(reviewable));
              setReviewing(undefined);
            }, t(lang, 'consentQueued'))
          }
        />
      )}
      <div class="toolbar filters">
        <label>
          {t(lang, 'filterStatus')}
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: (e.target as HTMLSelectElement).value as ReportFilter['status'] })}>
            <option value="all">{t(lang, 'all')}</option>
            {REPORT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(lang, STATUS_KEYS[s])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(lang, 'reportCategory')}
          <select value={filter.category} onChange={(e) => setFilter({ ...filter, category: (e.target as HTMLSelectElement).value as ReportFilter['category'] })}>
            <option value="all">{t(lang, 'all')}</option>
            {REPORT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(lang, CATEGORY_KEYS[c])}
              </option>
            ))}
          </select>
        </label>
        <input type="search" aria-label={t(lang, 'filterText')} placeholder={t(lang, 'filterText')} value={filter.text} onInput={(e) => setFilter({ ...filter, text: (e.target as HTMLInputElement).value })} />
      </div>
      <div class="toolbar transfer">
        <button type="button" onClick={() => props.onExport(shown, 'json')}>
          {t(lang, 'exportJson')}
        </button>
        <button type="button" onClick={() => props.onExport(shown, 'csv')}>
          {t(lang, 'exportCsv')}
        </button>
        <label class="file">
          {t(lang, 'importJson')}
          <input
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (!file) return;
              await act(async () => {
                const res = await props.onImport(file);
                setMessage(t(lang, 'importResult', res.added, res.duplicates, res.invalid.length));
              });
              input.value = '';
            }}
          />
        </label>
      </div>
      <p class="message" role="status" aria-live="polite">
        {message}
      </p>
      {reports && reports.length === 0 && <p class="muted">{t(lang, 'noReports')}</p>}
      {reports && reports.length > 0 && shown.length === 0 && <p class="muted">{t(lang, 'noMatchingReports')}</p>}
      <ul class="report-list">
        {shown.map((r) => (
          <ReportItem
            key={r.uid}
            lang={lang}
            report={r}
            canSend={!!sending}
            onReview={() => {
              setReviewing(r.uid);
              window.scrollTo({ top: 0 });
            }}
            onEdit={(edit) => act(() => props.onEdit(r.uid, edit), r.status === 'queued' || r.status === 'rejected' ? t(lang, 'editedBackToLocal') : t(lang, 'saved'))}
            onDelete={() => act(() => props.onDelete(r.uid))}
          />
        ))}
      </ul>
    </main>
  );
}
