/**
 * The confirmation page: the badge's "Hide on this site" and "Not a copy" take
 * effect only here, in extension UI that the page cannot reach or script.
 * What it shows (site, page, original) comes from the background's record of
 * the tab, never from the page; every string is rendered as text.
 */
import { useState } from 'preact/hooks';
import { displayText } from '@/lib/badge-info';
import { t, type Lang } from '@/lib/i18n';
import type { ConfirmView } from '@/lib/messages';

export interface ConfirmAppProps {
  lang: Lang;
  /** The request, or null when it is no longer open. */
  view: ConfirmView | null;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

export function ConfirmApp({ lang, view, onConfirm, onCancel }: ConfirmAppProps) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  if (!view || view.action === 'report')
    return (
      <main class="confirm-page" lang={lang}>
        <h1>{t(lang, 'confirmTitle')}</h1>
        <p class="muted">{t(lang, 'confirmGone')}</p>
        <div class="actions">
          <button type="button" onClick={onCancel}>
            {t(lang, 'close')}
          </button>
        </div>
      </main>
    );
  const hide = view.action === 'hide-site';
  return (
    <main class="confirm-page" lang={lang}>
      <h1>{hide ? t(lang, 'confirmHideTitle', displayText(view.site ?? '', 200)) : t(lang, 'confirmNotCopyTitle')}</h1>
      {hide ? (
        <p>{t(lang, 'confirmHideText', displayText(view.site ?? '', 200))}</p>
      ) : (
        <>
          <p>{t(lang, 'confirmNotCopyText', displayText(view.outlet ?? '', 80))}</p>
          <dl class="confirm-what">
            <dt>{t(lang, 'pageUrl')}</dt>
            <dd class="url">{displayText(view.url, 600)}</dd>
            <dt>{t(lang, 'original')}</dt>
            <dd>{displayText(view.originalTitle ?? '', 300)}</dd>
          </dl>
        </>
      )}
      <p class="muted">{t(lang, 'confirmUndo')}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary confirm"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } catch (e) {
              setError((e as Error).message);
              setBusy(false);
            }
          }}
        >
          {hide ? t(lang, 'hideOnSite') : t(lang, 'notACopy')}
        </button>
        <button type="button" class="cancel" onClick={onCancel}>
          {t(lang, 'cancel')}
        </button>
      </div>
    </main>
  );
}
