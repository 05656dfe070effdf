/** Exports as the server gives them (CSV with a byte-order mark) and the public report of a period. */
import { useState } from 'preact/hooks';
import { CATALOGS, LANGS, t, type Lang } from './i18n';
import { lastIsoWeek, PERIOD } from './ui';

export function Publish({ lang }: { lang: Lang }) {
  const [period, setPeriod] = useState(lastIsoWeek);
  // The language of the report's page (the data files are the same in both); the application's language unless chosen.
  const [chosen, setReportLang] = useState<Lang | null>(null);
  const reportLang = chosen ?? lang;
  const ok = PERIOD.test(period.trim());
  const href = (file: string) => `/api/publish?${new URLSearchParams({ period: period.trim(), file, ...(reportLang !== 'en' ? { lang: reportLang } : {}) })}`;
  return (
    <aside class="side-panels">
      <section class="card publish">
        <h2>{t(lang, 'publish')}</h2>
        <p class="hint">{t(lang, 'publishHint')}</p>
        <label>
          <span>{t(lang, 'period')}</span>
          <input name="period" value={period} size={10} onInput={(e) => setPeriod((e.currentTarget as HTMLInputElement).value)} aria-invalid={!ok} />
        </label>
        <label>
          <span>{t(lang, 'publishLang')}</span>
          <select name="report-lang" value={reportLang} onChange={(e) => setReportLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {LANGS.map((l) => (
              <option value={l}>{CATALOGS[l].langName}</option>
            ))}
          </select>
        </label>
        {ok ? (
          <div class="links">
            <a class="button primary" href={href('report.zip')} download>
              {t(lang, 'publishZip')}
            </a>
            <a class="button" href={href('index.html')} download>
              {t(lang, 'publishHtml')}
            </a>
            <a class="button" href={href('report.json')} download>
              {t(lang, 'publishJson')}
            </a>
            <a class="button" href={href('originals.csv')} download>
              {t(lang, 'publishCsv')}
            </a>
          </div>
        ) : (
          <p class="error">{t(lang, 'badPeriod')}</p>
        )}
      </section>
      <section class="card exports">
        <h2>{t(lang, 'exports')}</h2>
        <div class="links">
          <a class="button" href="/api/reports?format=csv" download="reports.csv">
            {t(lang, 'exportCsv')}
          </a>
          <a class="button" href="/api/reports?download=1" download="reports.json">
            {t(lang, 'exportJson')}
          </a>
          <a class="button" href="/api/originals.jsonl" download="originals.jsonl">
            {t(lang, 'exportOriginals')}
          </a>
          <a class="button" href="/api/originals.txt" download="originals.txt">
            {t(lang, 'exportUrls')}
          </a>
        </div>
      </section>
    </aside>
  );
}
