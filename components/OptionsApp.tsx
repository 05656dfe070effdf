/** The options page: sensitivity, sites, language, translated copies, marks on links, hidden sites, history, export/import. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t, type Lang } from '@/lib/i18n';
import type { Settings, UiLanguage } from '@/lib/settings';
import { normaliseSite } from '@/lib/site-rules';
import { OutboxSettings } from './OutboxSettings';

export interface OptionsProps {
  lang: Lang;
  settings: Settings;
  hiddenSites: string[];
  onSave: (s: Settings) => Promise<void>;
  onUnhide: (site: string) => Promise<void>;
  onClearHistory: () => Promise<void>;
  onExport: () => Promise<void>;
  onImport: (file: File) => Promise<void>;
  /** The index feeds panel (components/FeedsPanel). */
  feeds?: ComponentChildren;
  /** Whether this browser has an on-device translator (lib/translate/on-device.ts). */
  hasTranslator?: boolean;
}

export function OptionsApp(props: OptionsProps) {
  const { lang } = props;
  const [s, setS] = useState<Settings>(props.settings);
  const [sitesText, setSitesText] = useState(props.settings.sites.join('\n'));
  const [hidden, setHidden] = useState(props.hiddenSites);
  const [message, setMessage] = useState<string>('');

  const save = async (next: Settings) => {
    setS(next);
    await props.onSave(next);
    setMessage(t(lang, 'saved'));
  };

  return (
    <main class="options" lang={lang}>
      <h1>{t(lang, 'optionsTitle')}</h1>
      <fieldset>
        <legend>{t(lang, 'sensitivity')}</legend>
        {(['low', 'normal', 'high'] as const).map((v) => (
          <label key={v}>
            <input type="radio" name="sensitivity" value={v} checked={s.sensitivity === v} onChange={() => save({ ...s, sensitivity: v })} />
            {t(lang, v === 'low' ? 'sensLow' : v === 'high' ? 'sensHigh' : 'sensNormal')}
          </label>
        ))}
      </fieldset>
      {props.feeds && (
        <fieldset class="feeds-box">
          <legend>{t(lang, 'feedsTitle')}</legend>
          {props.feeds}
        </fieldset>
      )}
      <fieldset>
        <legend>{t(lang, 'sitesMode')}</legend>
        {(['all', 'only-listed', 'all-but-listed'] as const).map((v) => (
          <label key={v}>
            <input type="radio" name="siteMode" value={v} checked={s.siteMode === v} onChange={() => save({ ...s, siteMode: v })} />
            {t(lang, v === 'all' ? 'sitesAll' : v === 'only-listed' ? 'sitesOnly' : 'sitesExcept')}
          </label>
        ))}
        <label class="block">
          {t(lang, 'sitesList')}
          <textarea
            rows={4}
            value={sitesText}
            onInput={(e) => setSitesText((e.target as HTMLTextAreaElement).value)}
            onBlur={async () => {
              const lines = sitesText.split(/\s+/).filter(Boolean);
              const bad = lines.filter((l) => !normaliseSite(l));
              if (bad.length) {
                setMessage(t(lang, 'invalidSite', bad.join(', ')));
                return;
              }
              const sites = [...new Set(lines.map((l) => normaliseSite(l)!))];
              setSitesText(sites.join('\n'));
              await save({ ...s, sites });
            }}
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'language')}</legend>
        <select
          aria-label={t(lang, 'language')}
          value={s.language}
          onChange={(e) => save({ ...s, language: (e.target as HTMLSelectElement).value as UiLanguage })}
        >
          <option value="auto">{t(lang, 'langAuto')}</option>
          <option value="en">English</option>
          <option value="zh-Hans">简体中文</option>
          <option value="zh-Hant">繁體中文</option>
        </select>
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'translatorLegend')}</legend>
        <label>
          <input type="checkbox" name="onDeviceTranslator" checked={s.onDeviceTranslator} onChange={(e) => save({ ...s, onDeviceTranslator: (e.target as HTMLInputElement).checked })} />
          {t(lang, 'translatorOption')}
        </label>
        {!props.hasTranslator && <p class="muted">{t(lang, 'translatorMissing')}</p>}
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'linkMarksLegend')}</legend>
        <label>
          <input type="checkbox" name="linkMarks" checked={s.linkMarks} onChange={(e) => save({ ...s, linkMarks: (e.target as HTMLInputElement).checked })} />
          {t(lang, 'linkMarksOption')}
        </label>
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'hiddenSites')}</legend>
        {hidden.length === 0 && <p class="muted">—</p>}
        <ul>
          {hidden.map((site) => (
            <li key={site}>
              {site}{' '}
              <button
                type="button"
                onClick={async () => {
                  await props.onUnhide(site);
                  setHidden(hidden.filter((x) => x !== site));
                }}
              >
                {t(lang, 'unhide')}
              </button>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'history')}</legend>
        <button
          type="button"
          onClick={async () => {
            await props.onClearHistory();
            setMessage(t(lang, 'cleared'));
          }}
        >
          {t(lang, 'clearHistory')}
        </button>
      </fieldset>
      <fieldset>
        <legend>{t(lang, 'exportSettings')}</legend>
        <button type="button" onClick={() => void props.onExport()}>
          {t(lang, 'exportSettings')}
        </button>{' '}
        <label class="file">
          {t(lang, 'importSettings')}
          <input
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const file = (e.target as HTMLInputElement).files?.[0];
              if (!file) return;
              try {
                await props.onImport(file);
                setMessage(t(lang, 'imported'));
              } catch (err) {
                setMessage(t(lang, 'importError', (err as Error).message));
              }
            }}
          />
        </label>
      </fieldset>
      <OutboxSettings lang={lang} />
      <p class="message" role="status" aria-live="polite">
        {message}
      </p>
    </main>
  );
}
