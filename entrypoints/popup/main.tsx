import { render } from 'preact';
import { FeedsPanel } from '@/components/FeedsPanel';
import { PopupApp } from '@/components/PopupApp';
import { registryFor } from '@/lib/registry-bundled';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { historyItem, readSettings } from '@/lib/settings';
import { IndexDb } from '@/lib/store/index-db';
import './style.css';

const db = new IndexDb();

async function main() {
  const lang = resolveLang((await readSettings()).language);
  document.documentElement.lang = lang;
  const [tabInfo] = await browser.tabs.query({ active: true, currentWindow: true });
  const tabId = Number(new URLSearchParams(location.search).get('tab') ?? tabInfo?.id ?? -1);
  const [tab, status, history, feeds, active] = await Promise.all([
    send('tab-result', { tabId }),
    send('index-status', {}),
    historyItem.getValue(),
    send('feeds-status', {}),
    db.active().catch(() => undefined),
  ]);
  const registry = registryFor(active);
  render(
    <PopupApp
      lang={lang}
      tab={tab}
      status={status}
      history={history}
      search={(query) => send('search-originals', { query, lang })}
      outletNames={(id) => registry.find(id)?.names}
      onClearHistory={() => send('clear-history', {})}
      onOpenOptions={() => void browser.runtime.openOptionsPage()}
      feeds={
        feeds.feeds.length ? (
          <FeedsPanel
            lang={lang}
            view={feeds}
            onSync={async () => {
              const view = await send('feeds-sync', {});
              // A new version changes the counts and the originals to search: show the popup afresh.
              if (view.feeds.some((f, i) => f.version !== feeds.feeds[i]?.version)) location.reload();
              return view;
            }}
          />
        ) : undefined
      }
    />,
    document.getElementById('app')!,
  );
}

void main();
