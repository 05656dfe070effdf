/**
 * The on-page badge: a small pill in a corner (never over the article), that
 * opens into the evidence panel. It lives in a closed shadow root, and every
 * handler acts only on trusted input (a real click or key, never a page
 * script's synthetic event). Nothing here changes a setting or sends anything:
 * "Not a copy", "Hide on this site" and "Report" ask the background to open
 * extension UI where the reader confirms (or writes the report), and "Open the
 * original" asks the background to open the address of its own result. Every
 * index and page string is rendered as text by Preact (never as HTML).
 */
import { useState } from 'preact/hooks';
import type { BadgeAction } from '@/lib/background/confirmations';
import { displayText, markedRuns, type BadgeInfo, type BadgePassage } from '@/lib/badge-info';
import { outletName, t, type Lang } from '@/lib/i18n-badge';

export interface BadgeProps {
  info: BadgeInfo;
  lang: Lang;
  /** Toggles highlighting; returns whether passages are now highlighted. */
  onHighlight: (on: boolean) => boolean;
  /** Asks for the confirmation page (or the report form); resolves with whether a new tab opened. */
  onAction: (action: BadgeAction) => Promise<{ opened: boolean }>;
  /** Asks the background to open the original of this tab's result. */
  onOpenOriginal: () => void;
  /** The element that shows the badge now (the panel or the collapsed dot), for the visibility watch. */
  onShown?: (el: Element | null) => void;
  /** A timeline page: the posts that reuse originals, in page order; the badge summarises them and opens each one's evidence. */
  units?: UnitRow[];
  /** The post whose evidence `info` is (with a way back to the list). */
  selected?: string;
  onSelect?: (key: string | undefined) => void;
  /** Open the details at once (the reader clicked a post's mark). */
  initiallyOpen?: boolean;
}

/** One post of a timeline in the badge's summary. */
export interface UnitRow {
  key: string;
  info: BadgeInfo;
  /** The account that posted it, as shown. */
  account: string;
}

/** A verdict's short line (the badge's title, a post's mark). */
export function verdictLine(info: BadgeInfo, lang: Lang, short = false): string {
  const name = outletName(info.outlet?.names, lang, info.outlet?.id);
  const rewritten = info.reuse === 'rewritten';
  if (short) return info.labels?.mark ?? t(lang, info.verdict === 'uncredited' ? 'markUncredited' : info.verdict === 'partial' ? 'markPartial' : 'markCredited', name);
  // A translated copy's words come made from the background (lib/translate/badge-text.ts).
  return (
    info.labels?.title ??
    t(lang, info.verdict === 'uncredited' ? (rewritten ? 'badgeRewritten' : 'badgeUncredited') : info.verdict === 'partial' ? (rewritten ? 'badgePartialRewritten' : 'badgePartial') : 'badgeCredited', name)
  );
}

const pct = (x: number | undefined) => Math.round((x ?? 0) * 100);

/**
 * Text the page cannot search for: drawn by CSS from an attribute (`::before
 * { content: attr(data-t) }`), which window.find and the browser's
 * find-in-page do not match (text nodes inside even a closed shadow root they
 * do). Screen readers read it (buttons also carry an aria-label); only the
 * matched passages stay plain text, for the reader to copy.
 */
function Txt({ t: text, class: cls }: { t: string; class?: string }) {
  return <span class={cls ? `t ${cls}` : 't'} data-t={text} />;
}

/** Wraps a handler so that it runs only for input the browser marks as the user's. */
function trusted<E extends Event>(handler: (e: E) => void): (e: E) => void {
  return (e) => {
    if (e.isTrusted) handler(e);
  };
}

function hostOf(url: string | undefined): string {
  try {
    const u = new URL(url ?? '');
    return u.protocol === 'https:' ? u.hostname : '';
  } catch {
    return '';
  }
}

export function Badge({ info, lang, onHighlight, onAction, onOpenOriginal, onShown, units, selected, onSelect, initiallyOpen }: BadgeProps) {
  const [open, setOpen] = useState(!!initiallyOpen);
  const [minimised, setMinimised] = useState(false);
  const [highlighted, setHighlighted] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  if (info.verdict === 'none') return null;

  const name = outletName(info.outlet?.names, lang, info.outlet?.id);
  const summary = !!units && selected === undefined;
  const post = units?.find((u) => u.key === selected);
  const title = summary ? (units!.length === 1 ? t(lang, 'unitsSummaryOne') : t(lang, 'unitsSummary', units!.length)) : verdictLine(info, lang);
  const originalHost = hostOf(info.original?.url);
  const alsoIn = (info.alsoIn ?? []).map((a) => a.outlet).filter((x, i, all) => all.indexOf(x) === i);
  const ask = (action: BadgeAction) =>
    trusted(async () => {
      try {
        const { opened } = await onAction(action);
        setNote(opened ? t(lang, action === 'report' ? 'reportFormOpened' : 'confirmOpened') : t(lang, 'confirmAlreadyOpen'));
      } catch (e) {
        setNote(t(lang, 'errorMessage', (e as Error).message));
      }
    });

  if (minimised)
    return (
      <button
        type="button"
        ref={onShown}
        class={`pill pill-mini verdict-${info.verdict}`}
        aria-label={t(lang, 'expand')}
        title={title}
        onClick={trusted(() => setMinimised(false))}
      >
        <span class="dot" aria-hidden="true" />
      </button>
    );

  return (
    <section ref={onShown} class={`badge verdict-${info.verdict}`} role="complementary" aria-label={t(lang, 'badgeLabel')} lang={lang}>
      <div class="bar">
        <button type="button" class="pill" aria-label={title} aria-expanded={open} aria-controls="pb-details" onClick={trusted(() => setOpen(!open))}>
          <span class="dot" aria-hidden="true" />
          <Txt class="title" t={title} />
          <Txt class="more" t={open ? t(lang, 'hideDetails') : t(lang, 'showDetails')} />
        </button>
        <button type="button" class="icon" aria-label={t(lang, 'collapse')} title={t(lang, 'collapse')} onClick={trusted(() => setMinimised(true))}>
          <Txt t="–" />
        </button>
      </div>
      {open && summary && (
        <div id="pb-details" class="details">
          <div class="label">
            <Txt t={t(lang, 'unitsList')} />
          </div>
          <ul class="units">
            {units!.map((u) => (
              <li key={u.key}>
                <button type="button" class={`unit verdict-${u.info.verdict}`} aria-label={`${t(lang, 'postBy', u.account)}: ${verdictLine(u.info, lang, true)}`} onClick={trusted(() => onSelect?.(u.key))}>
                  <span class="dot" aria-hidden="true" />
                  <Txt class="unit-account" t={u.account} />
                  <Txt class="unit-verdict" t={verdictLine(u.info, lang, true)} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {open && !summary && (
        <div id="pb-details" class="details">
          {post && (
            <div class="unit-head">
              <button type="button" class="back" aria-label={t(lang, 'allPosts')} onClick={trusted(() => onSelect?.(undefined))}>
                <Txt t={t(lang, 'allPosts')} />
              </button>{' '}
              <Txt class="unit-account" t={t(lang, 'postBy', post.account)} />
            </div>
          )}
          {info.original && (
            <div class="original">
              <div class="label">
                <Txt t={t(lang, 'original')} />
              </div>
              <div class="otitle">
                <Txt t={info.original.title} />
              </div>
              <div class="meta">
                <Txt t={`${name}${info.original.published ? ` · ${t(lang, 'published', info.original.published)}` : ''}`} />
              </div>
              {originalHost && (
                <div>
                  <button type="button" class="open" aria-label={`${t(lang, 'openOriginal')} (${originalHost})`} onClick={trusted(() => onOpenOriginal())}>
                    <Txt t={`${t(lang, 'openOriginal')} ↗`} />
                  </button>{' '}
                  <Txt class="open-host" t={originalHost} />
                </div>
              )}
            </div>
          )}
          <div class="shares">
            <Meter label={t(lang, 'shareOfPage')} value={pct(info.pageCoverage)} />
            <Meter label={t(lang, 'shareOfOriginal')} value={pct(info.originalCoverage)} />
            <details class="small confidence">
              <summary aria-label={t(lang, 'confidence', pct(info.confidence))}>
                <Txt t={t(lang, 'confidence', pct(info.confidence))} />
              </summary>
              <Txt t={t(lang, 'confidenceHelp')} />
            </details>
          </div>
          {info.reuse && (
            <div class="small reuse">
              <Txt t={info.labels?.reuse ?? t(lang, info.reuse === 'rewritten' ? 'reuseRewritten' : info.reuse === 'mixed' ? 'reuseMixed' : 'reuseVerbatim')} />
            </div>
          )}
          {info.credit && (
            <div class="credit">
              <Txt t={t(lang, 'creditFound', displayText(info.credit.evidence, 120))} />
            </div>
          )}
          {!info.credit && info.weakCredit && (
            <div class="credit-weak">
              <Txt
                t={
                  info.weakCredit.strength === 'hidden'
                    ? t(lang, 'creditHidden', name, displayText(info.weakCredit.evidence, 120))
                    : t(lang, 'creditMetadata', displayText(info.weakCredit.evidence, 120))
                }
              />
            </div>
          )}
          {alsoIn.length > 0 && (
            <div class="small">
              <Txt t={t(lang, 'alsoPublishedBy', alsoIn.join(', '))} />
            </div>
          )}
          {info.passages.length > 0 && (
            <div class="passages">
              <div class="label">
                <Txt t={t(lang, 'matchedPassages')} />
              </div>
              <ol>
                {info.passages.map((p, i) => (
                  <li key={i} class={`passage passage-${p.kind ?? 'verbatim'}`}>
                    {info.reuse === 'mixed' && (
                      <div class="passage-kind">
                        <Txt t={t(lang, p.kind === 'rewritten' ? 'passageRewritten' : 'passageVerbatim')} />
                      </div>
                    )}
                    <div class="side">
                      <div class="side-label">
                        <Txt t={t(lang, 'onThisPage')} />
                      </div>
                      {/* Focusable: a long passage scrolls, and keyboard users must reach it. */}
                      <blockquote tabIndex={0} aria-label={t(lang, 'onThisPage')}>
                        <Marked text={p.pageText} marks={p.pageShared} />
                      </blockquote>
                    </div>
                    <div class="side">
                      <div class="side-label">
                        <Txt t={t(lang, 'inOriginal')} />
                      </div>
                      <blockquote tabIndex={0} aria-label={t(lang, 'inOriginal')}>
                        {p.originalText === undefined ? t(lang, 'notInIndex') : <Marked text={p.originalText} marks={p.originalShared} />}
                      </blockquote>
                    </div>
                  </li>
                ))}
              </ol>
            </div>
          )}
          {note && (
            <div class="note" role="status">
              <Txt t={note} />
            </div>
          )}
          <div class="actions">
            <button type="button" class="highlight" aria-label={highlighted ? t(lang, 'unhighlight') : t(lang, 'highlight')} onClick={trusted(() => setHighlighted(onHighlight(!highlighted)))} aria-pressed={highlighted}>
              <Txt t={highlighted ? t(lang, 'unhighlight') : t(lang, 'highlight')} />
            </button>
            <button type="button" class="report" aria-label={t(lang, 'report')} onClick={ask('report')}>
              <Txt t={t(lang, 'report')} />
            </button>
            <button type="button" class="not-a-copy" aria-label={t(lang, 'notACopy')} onClick={ask('not-a-copy')}>
              <Txt t={t(lang, 'notACopy')} />
            </button>
            <button type="button" class="hide-site" aria-label={t(lang, 'hideOnSite')} onClick={ask('hide-site')}>
              <Txt t={t(lang, 'hideOnSite')} />
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Passage text with the words it shares with the other side marked (as text nodes in <mark>, never HTML). */
function Marked({ text, marks }: { text: string; marks: BadgePassage['pageShared'] }) {
  return (
    <>
      {markedRuns(text, marks).map((r, i) => (r.shared ? <mark key={i}>{r.text}</mark> : r.text))}
    </>
  );
}

function Meter({ label, value }: { label: string; value: number }) {
  return (
    <div class="meter">
      <Txt class="meter-label" t={label} />
      <span class="meter-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value}>
        <span class="meter-fill" style={{ width: `${value}%` }} />
      </span>
      <Txt class="meter-value" t={`${value}%`} />
    </div>
  );
}
