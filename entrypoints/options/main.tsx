import { render } from 'preact';
import { FeedsPanel } from '@/components/FeedsPanel';
import { OptionsApp } from '@/components/OptionsApp';
import { resolveLang } from '@/lib/i18n';
import { send } from '@/lib/send-message';
import { exportSettings, parseSettingsExport } from '@/lib/settings-io';
import { hiddenSitesItem, readSettings, settingsItem } from '@/lib/settings';
import { translatorApi } from '@/lib/translate/on-device';
import '../popup/style.css';
import './style.css';

async function main() {
  const settings = await readSettings();
  const lang = resolveLang(settings.language);
  document.documentElement.lang = lang;
  const [hiddenSites, feeds] = await Promise.all([hiddenSitesItem.getValue(), send('feeds-status', {})]);
  render(
    <OptionsApp
      lang={lang}
      settings={settings}
      hiddenSites={hiddenSites}
      hasTranslator={!!translatorApi()}
      onSave={async (next) => {
        await settingsItem.setValue(next);
        if (next.language !== settings.language) location.reload();
      }}
      onUnhide={async (site) => hiddenSitesItem.setValue((await hiddenSitesItem.getValue()).filter((s) => s !== site))}
      onClearHistory={() => send('clear-history', {})}
      feeds={
        <FeedsPanel
          lang={lang}
          view={feeds}
          onSync={() => send('feeds-sync', {})}
          onAdd={(url, publicKey) => send('feed-add', { url, publicKey })}
          onRemove={(url) => send('feed-remove', { url })}
        />
      }
      onExport={async () => {
        const blob = new Blob([exportSettings(await readSettings(), await hiddenSitesItem.getValue())], { type: 'application/json' });
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = 'provenance-settings.json';
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      }}
      onImport={async (file) => {
        const { settings: s, hiddenSites: h } = parseSettingsExport(await file.text());
        await settingsItem.setValue(s);
        await hiddenSitesItem.setValue(h);
        location.reload();
      }}
    />,
    document.getElementById('app')!,
  );
}

void main();
