import { render } from 'preact';
import { ConfirmApp } from '@/components/ConfirmApp';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { readSettings } from '@/lib/settings';
import '../popup/style.css';
import '../options/style.css';
import '../reports/style.css';

/** ?id= — opened by the background when the badge asked for a confirmation. */
async function main() {
  const lang = resolveLang((await readSettings()).language);
  document.documentElement.lang = lang;
  const id = new URLSearchParams(location.search).get('id') ?? '';
  const view = id ? await send('confirm-info', { id }).catch(() => null) : null;
  const close = async () => {
    const tab = await browser.tabs.getCurrent();
    if (tab?.id !== undefined) await browser.tabs.remove(tab.id);
    else window.close();
  };
  render(
    <ConfirmApp
      lang={lang}
      view={view}
      onConfirm={async () => {
        await send('confirm-apply', { id });
        await close();
      }}
      onCancel={() => void close()}
    />,
    document.getElementById('app')!,
  );
}

void main();
