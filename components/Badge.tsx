/**
 * The on-page badge: a small pill in a corner (never over the article), that
 * opens into the evidence panel. Every index and page string is rendered as
 * text by Preact (never as HTML); links open only https addresses.
 */
import { useState } from 'preact/hooks';
import { safeLink, type BadgeInfo } from '@/lib/badge-info';
import { outletName, t, type Lang } from '@/lib/i18n';
import { ReportForm, type ReportDraft } from './ReportForm';

export interface BadgeProps {
  info: BadgeInfo;
  lang: Lang;
  /** Toggles highlighting; returns whether passages are now highlighted. */
  onHighlight: (on: boolean) => boolean;
  onNotACopy: () => Promise<void>;
  onHideSite: () => Promise<void>;
  onReport: (draft: ReportDraft) => Promise<void>;
  /** Opens the saved report on the reports page, where the reader can review and send it. */
  onReviewReport?: () => void;
}

const pct = (x: number | undefined) => Math.round((x ?? 0) * 100);

export function Badge({ info, lang, onHighlight, onNotACopy, onHideSite, onReport, onReviewReport }: BadgeProps) {
  const [open, setOpen] = useState(false);
  const [minimised, setMinimised] = useState(false);
  const [highlighted, setHighlighted] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState(false);
  const [gone, setGone] = useState(false);
  if (gone || info.verdict === 'none') return null;

  const name = outletName(info.outlet?.names, lang, info.outlet?.id);
  const title =
    info.verdict === 'uncredited' ? t(lang, 'badgeUncredited', name) : info.verdict === 'partial' ? t(lang, 'badgePartial', name) : t(lang, 'badgeCredited', name);
  const link = safeLink(info.original?.url);
  const alsoIn = (info.alsoIn ?? []).map((a) => a.outlet).filter((x, i, all) => all.indexOf(x) === i);

  if (minimised)
    return (
      <button type="button" class={`pill pill-mini verdict-${info.verdict}`} aria-label={t(lang, 'expand')} title={title} onClick={() => setMinimised(false)}>
        <span class="dot" aria-hidden="true" />
      </button>
    );

  return (
    <section class={`badge verdict-${info.verdict}`} role="complementary" aria-label={t(lang, 'badgeLabel')} lang={lang}>
      <div class="bar">
        <button type="button" class="pill" aria-expanded={open} aria-controls="pb-details" onClick={() => setOpen(!open)}>
          <span class="dot" aria-hidden="true" />
          <span class="title">{title}</span>
          <span class="more">{open ? t(lang, 'hideDetails') : t(lang, 'showDetails')}</span>
        </button>
        <button type="button" class="icon" aria-label={t(lang, 'collapse')} title={t(lang, 'collapse')} onClick={() => setMinimised(true)}>
          –
        </button>
      </div>
      {open && (
        <div id="pb-details" class="details">
          {info.original && (
            <div class="original">
              <div class="label">{t(lang, 'original')}</div>
              <div class="otitle">{info.original.title}</div>
              <div class="meta">
                {name}
                {info.original.published ? ` · ${t(lang, 'published', info.original.published)}` : ''}
              </div>
              {link && (
                <a class="open" href={link} target="_blank" rel="noopener noreferrer nofollow">
                  {t(lang, 'openOriginal')} ↗
                </a>
              )}
            </div>
          )}
          <div class="shares">
            <Meter label={t(lang, 'shareOfPage')} value={pct(info.pageCoverage)} />
            <Meter label={t(lang, 'shareOfOriginal')} value={pct(info.originalCoverage)} />
            <div class="small">{t(lang, 'confidence', pct(info.confidence))}</div>
          </div>
          {info.credit && <div class="credit">{t(lang, 'creditFound', info.credit.evidence.slice(0, 120))}</div>}
          {alsoIn.length > 0 && <div class="small">{t(lang, 'alsoPublishedBy', alsoIn.join(', '))}</div>}
          {info.passages.length > 0 && (
            <div class="passages">
              <div class="label">{t(lang, 'matchedPassages')}</div>
              <ol>
                {info.passages.map((p, i) => (
                  <li key={i} class="passage">
                    <div class="side">
                      <div class="side-label">{t(lang, 'onThisPage')}</div>
                      {/* Focusable: a long passage scrolls, and keyboard users must reach it. */}
                      <blockquote tabIndex={0} aria-label={t(lang, 'onThisPage')}>
                        {p.pageText}
                      </blockquote>
                    </div>
                    <div class="side">
                      <div class="side-label">{t(lang, 'inOriginal')}</div>
                      <blockquote tabIndex={0} aria-label={t(lang, 'inOriginal')}>
                        {p.originalText ?? t(lang, 'notInIndex')}
                      </blockquote>
                    </div>
                  </li>
                ))}
              </ol>
            </div>
          )}
          {note && (
            <div class="note" role="status">
              {note}
            </div>
          )}
          {reported && onReviewReport && (
            <button type="button" class="review-report" onClick={onReviewReport}>
              {t(lang, 'reviewAndSend')}
            </button>
          )}
          {reporting ? (
            <ReportForm
              lang={lang}
              onCancel={() => setReporting(false)}
              onSave={async (draft) => {
                await onReport(draft);
                setReporting(false);
                setReported(true);
                setNote(t(lang, 'reportSaved'));
              }}
            />
          ) : (
            <div class="actions">
              <button type="button" onClick={() => setHighlighted(onHighlight(!highlighted))} aria-pressed={highlighted}>
                {highlighted ? t(lang, 'unhighlight') : t(lang, 'highlight')}
              </button>
              <button type="button" onClick={() => setReporting(true)}>
                {t(lang, 'report')}
              </button>
              <button
                type="button"
                onClick={async () => {
                  await onNotACopy();
                  onHighlight(false);
                  setGone(true);
                }}
              >
                {t(lang, 'notACopy')}
              </button>
              <button
                type="button"
                onClick={async () => {
                  await onHideSite();
                  onHighlight(false);
                  setGone(true);
                }}
              >
                {t(lang, 'hideOnSite')}
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

function Meter({ label, value }: { label: string; value: number }) {
  return (
    <div class="meter">
      <span class="meter-label">{label}</span>
      <span class="meter-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
        <span class="meter-fill" style={{ width: `${value}%` }} />
      </span>
      <span class="meter-value">{value}%</span>
    </div>
  );
}
