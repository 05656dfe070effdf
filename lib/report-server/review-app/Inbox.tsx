/** The inbox: cases newest first, filters and search, a selected row that j/k move. */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CaseList } from './api';
import { platformName, t, type Lang } from './i18n';
import { Chip, PLATFORMS, Text, when } from './ui';

export interface Filters {
  status: string;
  outlet: string;
  platform: string;
  account: string;
  q: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: Filters = { status: 'open', outlet: '', platform: '', account: '', q: '', from: '', to: '' };

interface Props {
  lang: Lang;
  list: CaseList | null;
  filters: Filters;
  setFilters: (f: Filters) => void;
  selected: number;
  setSelected: (i: number) => void;
  more: () => void;
  searchRef: RefObject<HTMLInputElement>;
}

export function Inbox({ lang, list, filters, setFilters, selected, setSelected, more, searchRef }: Props) {
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [filters]);
  const body = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    body.current?.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const field = (k: keyof Filters) => ({
    value: draft[k],
    onInput: (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value }),
  });
  const submit = (e: Event) => {
    e.preventDefault();
    setFilters({ ...draft, outlet: draft.outlet.trim(), account: draft.account.trim(), q: draft.q.trim() });
  };
  return (
    <main class="inbox">
      <form class="filters card" onSubmit={submit} aria-label={t(lang, 'filters')}>
        <label>
          <span>{t(lang, 'search')}</span>
          <input type="search" name="q" ref={searchRef} placeholder={t(lang, 'searchPlaceholder')} maxLength={200} {...field('q')} />
        </label>
        <label>
          <span>{t(lang, 'status')}</span>
          <select name="status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t(lang, 'statusAll')}</option>
            <option value="open">{t(lang, 'status_open')}</option>
            <option value="confirmed">{t(lang, 'status_confirmed')}</option>
            <option value="dismissed">{t(lang, 'status_dismissed')}</option>
          </select>
        </label>
        <label>
          <span>{t(lang, 'outlet')}</span>
          <input name="outlet" size={10} {...field('outlet')} />
        </label>
        <label>
          <span>{t(lang, 'platform')}</span>
          <select name="platform" value={draft.platform} onChange={(e) => setDraft({ ...draft, platform: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">{t(lang, 'platformAll')}</option>
            {PLATFORMS.map((p) => (
              <option key={p} value={p}>
                {platformName(lang, p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t(lang, 'account')}</span>
          <input name="account" size={12} {...field('account')} />
        </label>
        <label>
          <span>{t(lang, 'from')}</span>
          <input type="date" name="from" {...field('from')} />
        </label>
        <label>
          <span>{t(lang, 'to')}</span>
          <input type="date" name="to" {...field('to')} />
        </label>
        <div class="buttons">
          <button type="submit" class="primary">
            {t(lang, 'apply')}
          </button>
          <button type="button" onClick={() => setFilters({ ...EMPTY_FILTERS, status: '' })}>
            {t(lang, 'clear')}
          </button>
        </div>
      </form>
      <section class="card">
        <h2>{t(lang, 'inboxTitle')}</h2>
        {!list ? (
          <p class="loading">{t(lang, 'loading')}</p>
        ) : !list.cases.length ? (
          <p class="empty">{t(lang, 'inboxEmpty')}</p>
        ) : (
          <table class="cases">
            <thead>
              <tr>
                <th>{t(lang, 'colCase')}</th>
                <th>{t(lang, 'colStatus')}</th>
                <th>{t(lang, 'colOriginal')}</th>
                <th class="num">{t(lang, 'colCopies')}</th>
                <th class="num">{t(lang, 'colReports')}</th>
                <th>{t(lang, 'colPlatforms')}</th>
                <th>{t(lang, 'colFirstSeen')}</th>
                <th>{t(lang, 'colLastReport')}</th>
                <th>{t(lang, 'colConfirmations')}</th>
              </tr>
            </thead>
            <tbody ref={body}>
              {list.cases.map((c, i) => (
                <tr key={c.id} class={i === selected ? 'selected' : ''} data-case={c.id} aria-selected={i === selected} onClick={() => setSelected(i)}>
                  <td>
                    <a href={`#/case/${c.id}`}>#{c.id}</a>
                  </td>
                  <td>
                    <span class={`status status-${c.status}`}>{t(lang, `status_${c.status}`)}</span>
                  </td>
                  <td class="original">
                    <div class="title">
                      <Text v={c.title} />
                    </div>
                    <div class="meta">
                      <Text v={c.outlet} /> · <Text v={c.originalId} />
                    </div>
                  </td>
                  <td class="num">{c.copies}</td>
                  <td class="num">{c.reports}</td>
                  <td>
                    {c.platforms.map((p) => (
                      <Chip key={p} lang={lang} p={p} />
                    ))}
                  </td>
                  <td class="time">{when(c.firstSeen)}</td>
                  <td class="time">{when(c.lastReport)}</td>
                  <td class="num">{t(lang, 'ofNeeded', c.confirmations, list.needed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list?.next && (
          <button type="button" class="more" onClick={more}>
            {t(lang, 'more')}
          </button>
        )}
      </section>
    </main>
  );
}
