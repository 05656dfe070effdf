/**
 * The report form as a page (from the popup or the page's context menu, with
 * or without a badge): page address and title prefilled from the tab, the
 * badge's evidence when the tab has a result, the original's address (https)
 * that the reader may paste, category and note. Strings from the tab and the
 * index are shown without bidi control characters (and saved without them).
 */
import { useState } from 'preact/hooks';
import { safeLink, type BadgeInfo } from '@/lib/badge-info';
import { outletName, t, type Lang } from '@/lib/i18n';
import { stripBidiControls as plain } from '@/lib/reports/bidi-controls';
import type { Platform } from '@/lib/extract/page-meta';
import { FIGURES, type ReportUnitFields } from '@/lib/reports/report-body';
import type { ReportDraft } from '@/lib/reports/reports-store';
import type { ReportCategory } from '@/lib/store/reports-db';
import { CategorySelect } from './CategorySelect';

export interface NewReportProps {
  lang: Lang;
  url: string;
  title: string;
  /** The tab's result, when it has a match for this address. */
  evidence?: BadgeInfo;
  /** On a platform page: the post's (or video's, article's) account, time and figures as shown and its text; the report carries them. */
  unit?: ReportUnitFields;
  /** The platform the page's module recognised. */
  platform?: Platform;
  onSave: (draft: ReportDraft) => Promise<string>;
  onReview: (uid: string) => void;
  onOpenReports: () => void;
}

const isWebUrl = (s: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
};

export function NewReportApp({ lang, evidence, unit, platform, onSave, onReview, onOpenReports, ...initial }: NewReportProps) {
  const [url, setUrl] = useState(plain(initial.url));
  const [title, setTitle] = useState(plain(initial.title));
  const [originalUrl, setOriginalUrl] = useState(plain(evidence?.original?.url ?? ''));
  const [category, setCategory] = useState<ReportCategory>('uncredited');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [saved, setSaved] = useState<string | undefined>();
  const name = evidence?.outlet ? outletName(evidence.outlet.names, lang, evidence.outlet.id) : '';

  if (saved)
    return (
      <main class="report-page" lang={lang}>
        <h1>{t(lang, 'reportTitle')}</h1>
        <p role="status">{t(lang, 'reportSaved')}</p>
        <div class="actions">
          <button type="button" class="primary review-report" onClick={() => onReview(saved)}>
            {t(lang, 'reviewAndSend')}
          </button>
          <button type="button" onClick={onOpenReports}>
            {t(lang, 'openReports')}
          </button>
        </div>
      </main>
    );

  return (
    <main class="report-page" lang={lang}>
      <h1>{t(lang, 'reportTitle')}</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (!isWebUrl(url.trim())) return setError(t(lang, 'pageUrlError'));
          if (originalUrl.trim() && !safeLink(originalUrl.trim())?.startsWith('https:')) return setError(t(lang, 'originalUrlError'));
          setError('');
          try {
            const uid = await onSave({
              url: url.trim(),
              title: title.trim(),
              verdict: evidence?.verdict ?? '',
              outlet: evidence?.outlet?.id ?? '',
              originalId: evidence?.original?.id ?? '',
              originalUrl: originalUrl.trim(),
              score: evidence?.confidence ?? 0,
              passages: (evidence?.passages ?? []).map((p) => (p.originalText === undefined ? { pageText: p.pageText } : { pageText: p.pageText, originalText: p.originalText })),
              category,
              note,
              ...(unit ?? {}),
              ...(platform ? { platform } : {}),
            });
            setSaved(uid);
          } catch (err) {
            setError(t(lang, 'errorMessage', (err as Error).message));
          }
        }}
      >
        <label>
          {t(lang, 'pageUrl')}
          <input type="url" name="url" required value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t(lang, 'pageTitle')}
          <input type="text" name="title" maxLength={1000} value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
        </label>
        <p class="muted evidence">
          {evidence?.original
            ? t(lang, 'evidenceAttached', evidence.passages.length, plain(`${name} — ${evidence.original.title}`), Math.round(evidence.confidence * 100))
            : t(lang, 'noEvidence')}
        </p>
        {unit && <UnitFacts lang={lang} unit={unit} />}
        <label>
          {t(lang, 'originalUrl')}
          <input type="url" name="originalUrl" placeholder="https://" value={originalUrl} onInput={(e) => setOriginalUrl((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t(lang, 'reportCategory')}
          <CategorySelect lang={lang} name="category" value={category} onChange={setCategory} />
        </label>
        <label>
          {t(lang, 'reportNote')}
          <textarea name="note" rows={4} maxLength={4000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary">
            {t(lang, 'save')}
          </button>
          <button type="button" onClick={onOpenReports}>
            {t(lang, 'openReports')}
          </button>
        </div>
      </form>
    </main>
  );
}

/** What the report carries about the post: account, time and figures as shown (and when read), its text. As text, never HTML. */
function UnitFacts({ lang, unit }: { lang: Lang; unit: ReportUnitFields }) {
  const figures = FIGURES.flatMap((k) => (unit.engagement?.[k] ? [`${t(lang, `figure_${k}`)} ${plain(unit.engagement[k]!.shown)}`] : []));
  return (
    <section class="unit-facts" aria-label={t(lang, 'unitSection')}>
      <h2>{t(lang, 'unitSection')}</h2>
      <dl>
        {unit.account && (
          <>
            <dt>{t(lang, 'unitAccount')}</dt>
            <dd class="unit-account">
              {plain(unit.account.name)}
              {unit.account.url ? ` <${plain(unit.account.url)}>` : ''}
            </dd>
          </>
        )}
        {unit.postedAt && (
          <>
            <dt>{t(lang, 'unitPosted')}</dt>
            <dd class="unit-posted">{plain(unit.postedAt.shown)}</dd>
          </>
        )}
        {unit.engagement && (
          <>
            <dt>{t(lang, 'unitFigures')}</dt>
            <dd class="unit-figures">
              {[...figures, t(lang, 'unitReadAt', unit.engagement.readAt)].join(' · ')}
            </dd>
          </>
        )}
        {unit.unitText && (
          <>
            <dt>{t(lang, 'unitText')}</dt>
            <dd class="unit-text">
              <blockquote>{plain(unit.unitText)}</blockquote>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
