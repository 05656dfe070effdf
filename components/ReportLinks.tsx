/**
 * Popup: "Report this page…" (works without a badge: the report form opens in
 * a tab, prefilled with this tab's address and title, and its evidence when
 * it has a match) and a link to the reader's reports.
 */
import { browser } from '#imports';
import { t, type Lang } from '@/lib/i18n';
import { reportFormQuery } from '@/lib/reports/form-query';
import { send } from '@/lib/send-message';

export function ReportLinks({ lang, tab }: { lang: Lang; tab: { url: string; title: string } | null }) {
  const report = async () => {
    // The popup may be opened for a given tab (?tab=), as the tests do; otherwise it is the active tab.
    const given = new URLSearchParams(location.search).get('tab');
    const [active] = given ? [] : await browser.tabs.query({ active: true, currentWindow: true });
    const tabId = given ? Number(given) : active?.id;
    const info = tabId !== undefined ? await browser.tabs.get(tabId).catch(() => undefined) : undefined;
    // The tab's live address when the browser shows it to us; otherwise the address it was scanned at.
    // A page that is not a web page opens the form empty, for the reader to fill in.
    const query = reportFormQuery({ url: info?.url || tab?.url, title: info?.title || tab?.title, tabId }) ?? {};
    await send('report-open', { page: 'report', query });
    window.close();
  };
  return (
    <p class="report-links">
      <button type="button" class="link report-page" onClick={() => void report()}>
        {t(lang, 'reportThisPage')}
      </button>
      <span aria-hidden="true"> · </span>
      <button type="button" class="link open-reports" onClick={() => void send('report-open', { page: 'reports', query: {} }).then(() => window.close())}>
        {t(lang, 'openReports')}
      </button>
    </p>
  );
}
