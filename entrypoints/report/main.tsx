import { render } from 'preact';
import { NewReportApp } from '@/components/NewReportApp';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { readSettings } from '@/lib/settings';
import '../popup/style.css';
import '../options/style.css';
import '../reports/style.css';

/** ?url=&title=&tab=[&unit=] — from the popup, the context menu or the badge (unit: a post of the tab's timeline page). */
async function main() {
  const lang = resolveLang((await readSettings()).language);
  document.documentElement.lang = lang;
  const q = new URLSearchParams(location.search);
  const url = q.get('url') ?? '';
  const tabId = Number(q.get('tab') ?? NaN);
  // The tab's result counts as evidence only if it is about this very address.
  const unit = q.get('unit') ?? undefined;
  const result = Number.isInteger(tabId) ? await send('tab-result', unit ? { tabId, unit } : { tabId }).catch(() => null) : null;
  const here = result && result.url === url ? result : undefined;
  const evidence = result && result.url === url && result.verdict !== 'none' && !(result as { hidden?: boolean }).hidden ? result : undefined;
  const reportsUrl = (query = '') => browser.runtime.getURL(`/reports.html${query}`);
  render(
    <NewReportApp
      lang={lang}
      url={url}
      title={q.get('title') ?? result?.title ?? ''}
      evidence={evidence}
      unit={here?.unit}
      platform={here?.platform}
      onSave={async (draft) => (await send('report-save', draft)).uid}
      onReview={(uid) => location.assign(reportsUrl(`?review=${encodeURIComponent(uid)}`))}
      onOpenReports={() => location.assign(reportsUrl())}
    />,
    document.getElementById('app')!,
  );
}

void main();
