/**
 * A translated copy's evidence checked by the browser's on-device translator (popup; only when the
 * reader turned it on in options and the browser has the API): each page sentence translated locally,
 * shown under the pair with how much of the original sentence it shares. Rendered as text.
 */
import { useState } from 'preact/hooks';
import { displayText } from '@/lib/badge-info';
import { t, type Lang } from '@/lib/i18n';
import type { TabResult } from '@/lib/messages';
import { AGREES, checkPairs, type PairCheck, type TranslatorApi } from '@/lib/translate/on-device';

type State = { kind: 'idle' } | { kind: 'working' } | { kind: 'done'; checks: PairCheck[] } | { kind: 'error'; message: string };

export function TranslatorCheck({ lang, tab, api }: { lang: Lang; tab: TabResult; api: TranslatorApi }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const pairs = tab.passages.filter((p) => p.originalText !== undefined);
  if (tab.reuse !== 'translated' || !tab.translation || !pairs.length) return null;
  const run = async () => {
    setState({ kind: 'working' });
    try {
      setState({ kind: 'done', checks: await checkPairs(api, pairs, tab.translation!.pageLang, tab.translation!.originalLang) });
    } catch (e) {
      setState({ kind: 'error', message: (e as Error).message });
    }
  };
  return (
    <div class="translator-check">
      {state.kind !== 'done' && (
        <button type="button" disabled={state.kind === 'working'} onClick={() => void run()}>
          {t(lang, state.kind === 'working' ? 'translatorWorking' : 'translatorCheck')}
        </button>
      )}
      {state.kind === 'error' && (
        <p class="error" role="status">
          {t(lang, 'translatorError', displayText(state.message, 200))}
        </p>
      )}
      {state.kind === 'done' && (
        <>
          <p class="muted" role="status">
            {t(lang, 'translatorSummary', state.checks.filter((c) => c.agreement >= AGREES).length, state.checks.length)}
          </p>
          <details>
            <summary>{t(lang, 'translatorShow')}</summary>
            <ol class="translator-pairs">
              {state.checks.map((c, i) => (
                <li key={i} class={c.agreement >= AGREES ? 'agrees' : 'differs'}>
                  <p>{displayText(pairs[i]!.pageText, 400)}</p>
                  <p class="muted">
                    {t(lang, 'translatorSays')} {displayText(c.translation, 400)}
                  </p>
                  <p class="muted">
                    {t(lang, 'translatorOriginal')} {displayText(pairs[i]!.originalText ?? '', 400)}
                  </p>
                  <p class="muted">{t(lang, 'translatorAgreement', Math.round(c.agreement * 100))}</p>
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
    </div>
  );
}
