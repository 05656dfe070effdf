/**
 * The consent step: the exact JSON body that will be sent, where it goes, and
 * "Agree and send". Without a configured endpoint it says how to set one up.
 */
import { t, type Lang } from '@/lib/i18n';

export interface ConsentViewProps {
  lang: Lang;
  /** The exact body that will be sent. */
  body: string;
  /** Where it will be posted; undefined while sending is not configured. */
  target?: string;
  onAgree: () => Promise<void>;
  onCancel: () => void;
  onOpenOptions: () => void;
}

export function ConsentView({ lang, body, target, onAgree, onCancel, onOpenOptions }: ConsentViewProps) {
  return (
    <section class="consent" role="dialog" aria-modal="false" aria-labelledby="consent-title">
      <h2 id="consent-title">{t(lang, 'consentTitle')}</h2>
      {target ? (
        <p>{t(lang, 'consentIntro', target)}</p>
      ) : (
        <p class="warn">
          {t(lang, 'sendingNotConfigured')}{' '}
          <button type="button" class="link" onClick={onOpenOptions}>
            {t(lang, 'openOptions')}
          </button>
        </p>
      )}
      <pre class="consent-body" tabIndex={0} aria-label="JSON">
        {body}
      </pre>
      <div class="actions">
        {target && (
          <button type="button" class="primary" onClick={() => void onAgree()}>
            {t(lang, 'consentAgree')}
          </button>
        )}
        <button type="button" onClick={onCancel}>
          {t(lang, 'cancel')}
        </button>
      </div>
    </section>
  );
}
