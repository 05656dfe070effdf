import { render } from 'preact';
import { FeedsPanel } from '@/components/FeedsPanel';
import { PopupApp } from '@/components/PopupApp';
import { registryFor } from '@/lib/registry-bundled';
import { resolveLang } from '@/lib/i18n';
import type { FeedsView, IndexStatus, TabResult } from '@/lib/messages';
import { send } from '@/lib/send-message';
import { historyItem, readSettings } from '@/lib/settings';
import { translatorApi } from '@/lib/translate/on-device';
import './style.css';

async function main() {
  // Read together (each is a round trip to the browser): the popup's first drawing waits for them.
  const [settings, [tabInfo], history] = await Promise.all([readSettings(), browser.tabs.query({ active: true, currentWindow: true }), historyItem.getValue()]);
  const lang = resolveLang(settings.language);
  // The on-device translator's check of a translated copy: only when the reader turned it on and the browser has one.
  const translator = settings.onDeviceTranslator ? translatorApi() : undefined;
  document.documentElement.lang = lang;
  const tabId = Number(new URLSearchParams(location.search).get('tab') ?? tabInfo?.id ?? -1);
  // The popup shows at once; the tab's verdict, the index status and the feeds fill in as they arrive
  // (the status may wait for the background to open the index; the search box never does).
  let tab: TabResult | null | undefined;
  let units: TabResult[] = [];
  let status: IndexStatus | undefined;
  let feeds: FeedsView | undefined;
  // The bundled outlets at once; the installed feeds' outlets come from the background (the popup opens no database).
  const bundled = registryFor(undefined);
  let names: Record<string, Record<string, string>> = {};
  const show = () =>
    render(
      <PopupApp
        lang={lang}
        tab={tab}
        translator={translator}
        units={units}
        status={status}
        history={history}
        search={(query) => send('search-originals', { query, lang })}
        outletNames={(id) => names[id] ?? bundled.find(id)?.names}
        onClearHistory={() => send('clear-history', {})}
        onOpenOptions={() => void browser.runtime.openOptionsPage()}
        feeds={
          feeds?.feeds.length ? (
            <FeedsPanel
              lang={lang}
              view={feeds}
              onSync={async () => {
                const view = await send('feeds-sync', {});
                // A new version changes the counts and the originals to search: show the popup afresh.
                if (view.feeds.some((f, i) => f.version !== feeds!.feeds[i]?.version)) location.reload();
                return view;
              }}
            />
          ) : undefined
        }
      />,
      document.getElementById('app')!,
    );
  show();
  // Readies the background's search before the first key.
  void send('search-originals', { query: '', lang }).catch(() => undefined);
  void send('tab-result', { tabId }).then((t) => {
    tab = t;
    show();
  });
  // A timeline page: its posts' verdicts, as the badge lists them.
  void send('tab-units', { tabId }).then((u) => {
    units = u;
    show();
  });
  void send('feeds-status', {}).then((f) => {
    feeds = f;
    show();
  });
  void send('outlet-names', { ids: history.map((d) => d.outlet) }).then(
    (n) => {
      names = n;
      show();
    },
    () => undefined,
  );
  status = await send('index-status', {});
  show();
}

void main();
