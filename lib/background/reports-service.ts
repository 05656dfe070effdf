/**
 * The background's part of reporting: saving reports, opening the report
 * pages, the "Report this page" context menu, and the outbox, driven by an
 * alarm (re-created at every start), by the browser coming back online and
 * by the reports page after the reader agreed to send.
 */
import { browser } from '#imports';
import { t, resolveLang } from '../i18n';
import type { Handlers } from '../messages';
import { reportFormQuery } from '../reports/form-query';
import { Outbox } from '../reports/outbox';
import { saveReport } from '../reports/reports-store';
import { readSendConfig } from '../reports/sending-settings';
import { readSettings, settingsItem } from '../settings';
import { ReportsDb } from '../store/reports-db';

export const OUTBOX_ALARM = 'reports-outbox';
const MENU_ID = 'report-page';

let db: ReportsDb | undefined;
let outbox: Outbox | undefined;
export const reportsDb = () => (db ??= new ReportsDb());
function theOutbox(): Outbox {
  outbox ??= new Outbox({ db: reportsDb(), fetch: (url, init) => fetch(url, init), config: readSendConfig });
  return outbox;
}

function openPage(page: 'report' | 'reports', query: Record<string, string>): Promise<unknown> {
  const qs = new URLSearchParams(query).toString();
  return browser.tabs.create({ url: browser.runtime.getURL(`/${page}.html${qs ? `?${qs}` : ''}` as '/reports.html') });
}

export function reportHandlers(): Pick<Handlers, 'report-save' | 'report-open' | 'outbox-run'> {
  return {
    'report-save': async (draft) => ({ uid: (await saveReport(reportsDb(), draft)).uid }),
    'report-open': async ({ page, query }) => {
      await openPage(page === 'report' ? 'report' : 'reports', query);
    },
    'outbox-run': () => theOutbox().run(),
  };
}

async function createMenu(): Promise<void> {
  const menus = browser.contextMenus;
  if (!menus) return;
  const lang = resolveLang((await readSettings()).language);
  await menus.removeAll();
  menus.create({ id: MENU_ID, title: t(lang, 'reportThisPage'), contexts: ['page'], documentUrlPatterns: ['http://*/*', 'https://*/*'] });
}

export function startReports(): void {
  // Ensured at every start of the background (an alarm can be lost with a browser update or a crash);
  // an existing one is left as it is, so that frequent wake-ups do not keep postponing it.
  void browser.alarms.get(OUTBOX_ALARM).then((existing) => {
    if (!existing) return browser.alarms.create(OUTBOX_ALARM, { periodInMinutes: 1, delayInMinutes: 0.1 });
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void theOutbox().run().catch(() => undefined);
  });
  globalThis.addEventListener?.('online', () => void theOutbox().run({ online: true }).catch(() => undefined));

  void createMenu().catch(() => undefined);
  settingsItem.watch(() => void createMenu().catch(() => undefined)); // the title follows the language setting
  browser.contextMenus?.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID) return;
    const query = reportFormQuery({ url: info.pageUrl ?? tab?.url, title: tab?.title, tabId: tab?.id });
    if (query) void openPage('report', query);
  });
}
