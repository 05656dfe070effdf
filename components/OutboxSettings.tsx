/**
 * Options: sending reports (off by default). The reader sets the server's
 * address and a token; saving asks the browser for access to that origin
 * (loopback addresses are declared in the manifest, so they need no prompt).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { t, type Lang } from '@/lib/i18n';
import { isLoopbackHost, parseEndpoint } from '@/lib/reports/endpoint';
import { withdrawQueued } from '@/lib/reports/reports-store';
import { readSendingSettings, saveSendingSettings } from '@/lib/reports/sending-settings';
import { ReportsDb } from '@/lib/store/reports-db';

export function OutboxSettings({ lang }: { lang: Lang }) {
  const [endpoint, setEndpoint] = useState('');
  const [token, setToken] = useState('');
  const [message, setMessage] = useState('');
  const [active, setActive] = useState(false);
  // The fields stay read-only until the stored settings are read (what the reader types is never overwritten).
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void readSendingSettings()
      .then((c) => {
        setEndpoint(c?.endpoint ?? '');
        setToken(c?.token ?? '');
        setActive(!!c);
      })
      .finally(() => setLoaded(true));
  }, []);

  const save = async () => {
    let parsed;
    try {
      parsed = parseEndpoint(endpoint);
    } catch (e) {
      return setMessage(t(lang, 'endpointError', (e as Error).message));
    }
    if (!token.trim()) return setMessage(t(lang, 'tokenRequired'));
    const origins = [parsed.originPattern];
    // permissions.request must run straight from the click (Firefox drops the user gesture after an await).
    const granted = isLoopbackHost(new URL(parsed.base).hostname) ? browser.permissions.contains({ origins }) : browser.permissions.request({ origins });
    let ok = false;
    try {
      ok = await granted;
    } catch (e) {
      return setMessage(t(lang, 'errorMessage', (e as Error).message));
    }
    if (!ok) return setMessage(t(lang, 'permissionDenied', parsed.base));
    await saveSendingSettings({ endpoint: parsed.base, token: token.trim() });
    setEndpoint(parsed.base);
    setActive(true);
    setMessage(t(lang, 'sendingSaved', parsed.base));
  };

  return (
    <fieldset class="outbox-settings">
      <legend>{t(lang, 'sendingTitle')}</legend>
      <p class="muted">{t(lang, 'sendingExplain')}</p>
      <label class="block">
        {t(lang, 'endpoint')}
        <input type="url" name="endpoint" placeholder="https://" readOnly={!loaded} value={endpoint} onInput={(e) => setEndpoint((e.target as HTMLInputElement).value)} />
      </label>
      <label class="block">
        {t(lang, 'token')}
        <input type="password" name="token" autoComplete="off" readOnly={!loaded} value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
      </label>
      <div class="actions">
        <button type="button" class="save-sending" onClick={() => void save()}>
          {t(lang, 'saveSending')}
        </button>{' '}
        {active && (
          <button
            type="button"
            onClick={async () => {
              await saveSendingSettings(null);
              // Reports waiting to be sent go back to local: sending them again needs a new agreement.
              const db = new ReportsDb();
              await withdrawQueued(db);
              db.close();
              setActive(false);
              setToken('');
              setMessage(t(lang, 'sendingDisabled'));
            }}
          >
            {t(lang, 'disableSending')}
          </button>
        )}{' '}
        <a href={browser.runtime.getURL('/reports.html')}>{t(lang, 'openReports')}</a>
      </div>
      <p class="sending-message" role="status" aria-live="polite">
        {message}
      </p>
    </fieldset>
  );
}
