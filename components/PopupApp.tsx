/** The toolbar popup: this tab's verdict, index status, search over the originals, recent detections. */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { displayText, safeLink } from '@/lib/badge-info';
import { outletName, t, type Lang } from '@/lib/i18n';
import type { IndexStatus, SearchResult, TabResult } from '@/lib/messages';
import type { Detection } from '@/lib/settings';
import type { TranslatorApi } from '@/lib/translate/on-device';
import { ReportLinks } from './ReportLinks';
import { TranslatorCheck } from './TranslatorCheck';

export type OriginalEntry = SearchResult;

export interface PopupProps {
  lang: Lang;
  /** This tab's result (null: not scanned; undefined: not known yet). */
  tab: TabResult | null | undefined;
  /** A timeline page's posts with a verdict, in page order (the badge's summary). */
  units?: TabResult[];
  /** The index status (undefined: not known yet). */
  status: IndexStatus | undefined;
  /** Searches the originals (the background answers from its search index). */
  search: (query: string) => Promise<OriginalEntry[]>;
  history: Detection[];
  outletNames: (id: string) => Record<string, string> | undefined;
  onClearHistory: () => Promise<void>;
  onOpenOptions: () => void;
  /** Index feeds' status and "Sync now" (components/FeedsPanel). */
  feeds?: ComponentChildren;
  /** The browser's on-device translator, when the reader turned its check on and the browser has one. */
  translator?: TranslatorApi;
}

const pct = (x: number | undefined) => Math.round((x ?? 0) * 100);

export function PopupApp(props: PopupProps) {
  const { lang, tab, status, history } = props;
  const [query, setQuery] = useState('');
  const [recent, setRecent] = useState(history);
  // The results and the query they answer. One query at a time goes to the background; typing meanwhile
  // replaces the one waiting, so that only the latest is asked next (latest wins, nothing piles up).
  const [answer, setAnswer] = useState<{ query: string; results: OriginalEntry[] }>({ query: '', results: [] });
  const flight = useRef<{ busy: boolean; next?: string }>({ busy: false });
  const ask = (q: string) => {
    const f = flight.current;
    if (f.busy) {
      f.next = q;
      return;
    }
    f.busy = true;
    const done = (results: OriginalEntry[]) => {
      f.busy = false;
      const next = f.next;
      f.next = undefined;
      setAnswer({ query: q, results });
      if (next !== undefined && next !== q) ask(next);
    };
    if (!q.trim()) done([]);
    else props.search(q).then(done, () => done([]));
  };
  const settled = answer.query;
  const results = answer.results;

  return (
    <main class="popup" lang={lang}>
      <h1>{t(lang, 'popupTitle')}</h1>
      <section aria-labelledby="this-page">
        <h2 id="this-page">{t(lang, 'thisPage')}</h2>
        {props.units?.length ? <TabUnits lang={lang} units={props.units} /> : tab !== undefined && <TabVerdict lang={lang} tab={tab} translator={props.translator} />}
      </section>
      <section aria-labelledby="index">
        <h2 id="index">{t(lang, 'indexStatus')}</h2>
        {!status ? null : status.error ? (
          <p class="error">{t(lang, 'indexError', status.error)}</p>
        ) : (
          <p class="status">
            {t(lang, 'indexSummary', status.originals, status.outlets)}
            {status.version && (
              <>
                <br />
                {t(lang, 'indexVersion', displayText(status.version, 40), status.source === 'bundled' ? t(lang, 'indexBundled') : displayText(status.source, 200))}
              </>
            )}
            {status.updated && (
              <>
                <br />
                {t(lang, 'indexUpdated', new Date(status.updated).toLocaleString(lang))}
              </>
            )}
          </p>
        )}
        {props.feeds}
      </section>
      <section aria-labelledby="search">
        <h2 id="search">{t(lang, 'search')}</h2>
        <input
          type="search"
          value={query}
          placeholder={t(lang, 'searchPlaceholder')}
          aria-label={t(lang, 'search')}
          onInput={(e) => {
            // Asked at once (an effect would wait for the next frame).
            const q = (e.target as HTMLInputElement).value;
            setQuery(q);
            ask(q);
          }}
        />
        {settled.trim() && settled === query && results.length === 0 && <p class="muted">{t(lang, 'noResults')}</p>}
        <ul class="results" data-query={settled}>
          {results.map((o) => (
            <li key={o.id}>
              <OriginalLink url={o.url} title={o.title} />
              <span class="muted">
                {' '}
                {displayText(o.outletName, 80)} · {displayText(o.published, 40)}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">
          {t(lang, 'recent')}
          {recent.length > 0 && (
            <button
              type="button"
              class="link"
              onClick={async () => {
                await props.onClearHistory();
                setRecent([]);
              }}
            >
              {t(lang, 'clear')}
            </button>
          )}
        </h2>
        {recent.length === 0 ? (
          <p class="muted">{t(lang, 'noRecent')}</p>
        ) : (
          <ul class="recent">
            {recent.slice(0, 10).map((d) => (
              <li key={d.url + d.originalUrl}>
                <span class={`tag verdict-${d.verdict}`}>{outletName(props.outletNames(d.outlet), lang, d.outlet)}</span> {d.title || d.url}
              </li>
            ))}
          </ul>
        )}
      </section>
      <footer>
        <ReportLinks lang={lang} tab={tab ?? null} />
        <button type="button" class="link" onClick={props.onOpenOptions}>
          {t(lang, 'openOptions')}
        </button>
      </footer>
    </main>
  );
}

function OriginalLink({ url, title }: { url: string; title: string }) {
  const href = safeLink(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {displayText(title, 300)}
    </a>
  ) : (
    <span>{displayText(title, 300)}</span>
  );
}

/** A match the background set aside because only a lapsed feed (expired past its grace period, or revoked) holds the original. */
function OutOfDate({ lang, tab }: { lang: Lang; tab: PopupProps['tab'] }) {
  const o = tab?.outOfDate;
  if (!o) return null;
  return (
    <p class="warn out-of-date" role="status">
      {t(lang, o.why === 'revoked' ? 'matchSetAsideRevoked' : 'matchSetAsideExpired', displayText(o.title ?? o.feed, 120), displayText(o.since.slice(0, 10), 20))}
    </p>
  );
}

const SERIOUS = ['none', 'credited', 'partial', 'uncredited'];

/** A timeline page: how many posts reuse originals, and each post's account, verdict and original. */
function TabUnits({ lang, units }: { lang: Lang; units: TabResult[] }) {
  const worst = units.reduce((a, b) => (SERIOUS.indexOf(b.verdict) > SERIOUS.indexOf(a.verdict) ? b : a));
  return (
    <div class={`verdict units verdict-${worst.verdict}`}>
      <p class="head">{units.length === 1 ? t(lang, 'unitsSummaryOne') : t(lang, 'unitsSummary', units.length)}</p>
      <ul class="unit-list">
        {units.map((u, i) => {
          const name = outletName(u.outlet?.names, lang, u.outlet?.id);
          return (
            <li key={i} class={`verdict-${u.verdict}`}>
              {u.unit?.account?.name && <strong>{displayText(u.unit.account.name, 80)}</strong>}{' '}
              <span class="line">{u.labels?.mark ?? t(lang, u.verdict === 'uncredited' ? 'markUncredited' : u.verdict === 'partial' ? 'markPartial' : 'markCredited', name)}</span>
              {u.original && (
                <>
                  {': '}
                  <OriginalLink url={u.original.url} title={u.original.title} />
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function TabVerdict({ lang, tab, translator }: { lang: Lang; tab: PopupProps['tab']; translator?: TranslatorApi }) {
  if (!tab) return <p class="muted">{t(lang, 'notScanned')}</p>;
  if (tab.hidden || tab.verdict === 'none' || !tab.original)
    return (
      <>
        <p class="muted">{t(lang, 'noMatch')}</p>
        <OutOfDate lang={lang} tab={tab} />
      </>
    );
  const name = outletName(tab.outlet?.names, lang, tab.outlet?.id);
  const rewritten = tab.reuse === 'rewritten';
  const head =
    // A translated copy's title comes made from the background (lib/translate/badge-text.ts).
    tab.labels?.title ??
    (tab.verdict === 'uncredited'
      ? t(lang, rewritten ? 'badgeRewritten' : 'badgeUncredited', name)
      : tab.verdict === 'partial'
        ? t(lang, rewritten ? 'badgePartialRewritten' : 'badgePartial', name)
        : t(lang, 'badgeCredited', name));
  return (
    <div class={`verdict verdict-${tab.verdict}`}>
      <p class="head">{head}</p>
      <p>
        <OriginalLink url={tab.original.url} title={tab.original.title} />
        <span class="muted"> · {tab.original.published}</span>
      </p>
      <p class="muted">{t(lang, 'reusedShare', pct(tab.pageCoverage), pct(tab.originalCoverage))}</p>
      {tab.credit && <p class="muted">{t(lang, 'creditFound', displayText(tab.credit.evidence, 120))}</p>}
      {!tab.credit && tab.weakCredit && (
        <p class="muted weak-credit">
          {tab.weakCredit.strength === 'hidden'
            ? t(lang, 'creditHidden', name, displayText(tab.weakCredit.evidence, 120))
            : t(lang, 'creditMetadata', displayText(tab.weakCredit.evidence, 120))}
        </p>
      )}
      <OutOfDate lang={lang} tab={tab} />
      {/* The toolbar icon and this popup keep the verdict whatever the page does to its badge. */}
      {tab.hiddenByPage && (
        <p class="warn badge-hidden" role="status">
          {t(lang, tab.hiddenByPage === 'removed' ? 'badgeHiddenRemoved' : 'badgeHiddenCovered')}
        </p>
      )}
      {translator && <TranslatorCheck lang={lang} tab={tab} api={translator} />}
    </div>
  );
}
