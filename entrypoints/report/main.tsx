import { render } from 'preact';
import { NewReportApp } from '@/components/NewReportApp';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { readSettings } from '@/lib/settings';
import '../popup/style.css';
import '../options/style.css';
import '../reports/style.css';

/** ?url=&title=&tab= — from the popup or the context menu. */
async function main() {
  const lang = resolveLang((await readSettings()).language);
  document.documentElement.lang = lang;
  const q = new URLSearchParams(location.search);
  const url = q.get('url') ?? '';
  const tabId = Number(q.get('tab') ?? NaN);
  // The tab's result counts as evidence only if it is about this very address.
  const result = Number.isInteger(tabId) ? await send('tab-result', { tabId }).catch(() => null) : null;
  const evidence = result && result.url === url && result.verdict !== 'none' && !(result as { hidden?: boolean }).hidden ? result : undefined;
  const reportsUrl = (query = '') => browser.runtime.getURL(`/reports.html${query}`);
  render(
    <NewReportApp
      lang={lang}
      url={url}
      title={q.get('title') ?? result?.title ?? ''}
      evidence={evidence}
      onSave={async (draft) => (await send('report-save', draft)).uid}
      onReview={(uid) => location.assign(reportsUrl(`?review=${encodeURIComponent(uid)}`))}
      onOpenReports={() => location.assign(reportsUrl())}
    />,
    document.getElementById('app')!,
  );
}

void main();
