/**
 * Index feeds: in the popup, each feed's status and "Sync now"; in the
 * options, also adding and removing feeds. Every string from a feed or a
 * server is shown as text.
 */
import { useState } from 'preact/hooks';
import { displayText } from '@/lib/badge-info';
import { t, type Lang } from '@/lib/i18n';
import type { FeedsView } from '@/lib/messages';

export interface FeedsPanelProps {
  lang: Lang;
  view: FeedsView;
  onSync: () => Promise<FeedsView>;
  /** Options only. */
  onAdd?: (url: string, publicKey: string) => Promise<FeedsView>;
  onRemove?: (url: string) => Promise<FeedsView>;
}

const when = (iso: string | undefined, lang: Lang) => (iso ? new Date(iso).toLocaleString(lang) : '');

export function FeedsPanel({ lang, view: initial, onSync, onAdd, onRemove }: FeedsPanelProps) {
  const [view, setView] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [url, setUrl] = useState('');
  const [key, setKey] = useState('');
  const act = async (f: () => Promise<FeedsView>) => {
    setBusy(true);
    setError('');
    try {
      setView(await f());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="feeds">
      {view.bundled && <p class="muted">{t(lang, 'feedBundled', view.bundled.originals, view.bundled.created.slice(0, 10))}</p>}
      {view.feeds.length === 0 && <p class="muted">{t(lang, 'feedNone')}</p>}
      <ul class="feed-list">
        {view.feeds.map((f) => (
          <li key={f.url} class={f.lapsed || f.revoked || f.stale || f.lastError ? 'feed warn' : 'feed'} data-feed-url={f.url}>
            <div class="feed-name">
              {f.version ? t(lang, 'feedSummary', displayText(f.title || f.feed || '', 80), f.version, f.originals ?? 0) : displayText(f.url, 120)}
            </div>
            <div class="muted feed-url">{displayText(f.url, 120)}</div>
            <div class="muted">{f.lastSuccess ? t(lang, 'feedLastSuccess', when(f.lastSuccess, lang)) : t(lang, 'feedNever')}</div>
            {f.revoked || f.lapsed ? (
              // Loud: its originals no longer mark copies on their own (lib/feed/lapse.ts).
              <div class="error feed-lapsed" role="status">
                <strong>{f.revoked ? t(lang, 'feedRevoked', when(f.revoked.at, lang)) : t(lang, 'feedLapsed', when(f.lapsed!.since, lang))}</strong>
                {f.revoked?.reason && <div>{t(lang, 'feedRevokedReason', displayText(f.revoked.reason, 120))}</div>}
              </div>
            ) : (
              f.stale && <div class="feed-stale">{t(lang, 'feedStale', when(f.expires, lang))}</div>
            )}
            {f.keyRotated && !f.revoked && <div class="muted feed-key">{t(lang, 'feedKeyRotated', when(f.keyRotated.at, lang))}</div>}
            {f.stage && <div class="muted">{t(lang, 'feedStage', displayText(f.stage, 60))}</div>}
            {!f.lastError && f.nextAttempt && <div class="muted feed-next">{t(lang, 'feedNextSync', when(f.nextAttempt, lang))}</div>}
            {f.lastError && (
              <div class="error feed-error" role="status">
                {t(lang, 'feedError', displayText(f.lastError, 300))}
                {f.nextAttempt && <div class="muted">{t(lang, 'feedNext', when(f.nextAttempt, lang))}</div>}
              </div>
            )}
            {onRemove && (
              <button type="button" class="link" disabled={busy} onClick={() => act(() => onRemove(f.url))}>
                {t(lang, 'feedRemove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {view.feeds.length > 0 && (
        <button type="button" class="sync-now" disabled={busy || view.syncing} onClick={() => act(onSync)}>
          {busy || view.syncing ? t(lang, 'feedSyncing') : t(lang, 'feedSyncNow')}
        </button>
      )}
      {onAdd && (
        <form
          class="feed-add"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const v = await onAdd(url, key);
              setUrl('');
              setKey('');
              return v;
            });
          }}
        >
          <p class="muted">{t(lang, 'feedHelp')}</p>
          <label>
            {t(lang, 'feedUrl')}
            <input type="url" required value={url} placeholder="https://" onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            {t(lang, 'feedKey')}
            <input type="text" required spellcheck={false} value={key} placeholder="ed25519:" onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? t(lang, 'feedSyncing') : t(lang, 'feedAdd')}
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {displayText(error, 300)}
        </p>
      )}
    </div>
  );
}
