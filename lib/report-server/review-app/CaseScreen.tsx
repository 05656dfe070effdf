/**
 * One case: the original, the evidence side by side (the copy's passage next
 * to the original's, as the badge shows it), the copies with platform,
 * account, first sighting and engagement, the timeline, notes, the decision
 * (confirm, dismiss, reopen; who confirmed, of how many), merge and split,
 * the reports and the audit log.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, post, type CaseView, type Report, type Timeline } from './api';
import type { Flash } from './App';
import { figureName, platformName, t, type Lang } from './i18n';
import { Chip, duration, Link, Text, when } from './ui';

interface Props {
  lang: Lang;
  id: number;
  version: number;
  me: string;
  act: (id: number, action: 'confirm' | 'dismiss' | 'reopen', body?: Record<string, string>) => Promise<void>;
  fail: (e: unknown) => void;
  setFlash: (f: Flash) => void;
  bump: () => void;
}

const FIGURES = ['reposts', 'comments', 'likes', 'views'] as const;
const MAX_PASSAGES = 40;

/** The latest engagement figures and the post time any report of this copy carried. */
function copyFacts(reports: Report[]) {
  let engagement: Report['engagement'];
  let posted: string | undefined;
  for (const r of reports) {
    if (r.engagement && (!engagement || r.engagement.readAt > engagement.readAt)) engagement = r.engagement;
    if (r.postedAt?.shown && !posted) posted = r.postedAt.shown;
  }
  return { engagement, posted };
}

/** Distinct passages (page text beside original text) in report order, each with the copies that carried it. */
function evidence(reports: Report[]): { passages: Array<Report['passages'][number] & { copies: string[] }>; more: number } {
  const byText = new Map<string, Report['passages'][number] & { copies: string[] }>();
  let more = 0;
  for (const r of reports)
    for (const p of r.passages) {
      const key = `${p.pageText}\u0000${p.originalText ?? ''}`;
      const seen = byText.get(key);
      if (seen) {
        if (!seen.copies.includes(r.url)) seen.copies.push(r.url);
      } else if (byText.size < MAX_PASSAGES) byText.set(key, { ...p, copies: [r.url] });
      else more++;
    }
  return { passages: [...byText.values()], more };
}

export function CaseScreen({ lang, id, version, me, act, fail, setFlash, bump }: Props) {
  const [view, setView] = useState<CaseView | null>(null);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [mergeFrom, setMergeFrom] = useState('');

  useEffect(() => {
    let live = true;
    Promise.all([get<CaseView>(`/api/cases/${id}`), get<Timeline>(`/api/cases/${id}/timeline`)])
      .then(([v, tl]) => {
        if (!live) return;
        setView(v);
        setTimeline(tl);
      })
      .catch(fail);
    return () => {
      live = false;
    };
  }, [id, version, fail]);

  if (!view || view.case.id !== id) return <p class="loading">{t(lang, 'loading')}</p>;
  const c = view.case;
  if (c.mergedInto)
    return (
      <main class="case card">
        <p>
          {t(lang, 'mergedMsg', c.id, c.mergedInto)} <a href={`#/case/${c.mergedInto}`}>#{c.mergedInto}</a>
        </p>
      </main>
    );

  const addNote = async (e: Event) => {
    e.preventDefault();
    try {
      await post(`/api/cases/${id}/notes`, { text: note });
      setNote('');
      setFlash({ text: t(lang, 'done') });
      bump();
    } catch (err) {
      fail(err);
    }
  };
  const merge = async (e: Event) => {
    e.preventDefault();
    try {
      await post(`/api/cases/${id}/merge`, { case: Number(mergeFrom) });
      setFlash({ text: t(lang, 'mergedMsg', mergeFrom, id) });
      setMergeFrom('');
      bump();
    } catch (err) {
      fail(err);
    }
  };
  const split = async (url: string) => {
    try {
      const a = await post<{ id: number }>(`/api/cases/${id}/split`, { url });
      setFlash({ text: t(lang, 'splitMsg', a.id) });
      bump();
    } catch (err) {
      fail(err);
    }
  };

  const reportsOf = new Map<string, Report[]>();
  for (const r of view.reports) reportsOf.set(r.url, [...(reportsOf.get(r.url) ?? []), r]);
  const mine = view.confirmations.some((x) => x.reviewer === me);
  const copyInfo = new Map(view.copies.map((k) => [k.url, k]));

  return (
    <main class="case">
      <p>
        <a href="#/" class="back">
          ← {t(lang, 'back')}
        </a>
      </p>
      <section class="card head">
        <div class="head-main">
          <h2>
            {t(lang, 'caseTitle', c.id)} <span class={`status status-${c.status}`}>{t(lang, `status_${c.status}`)}</span>
          </h2>
          <p class="title">
            <Text v={c.title} />
          </p>
          <p class="meta">
            {t(lang, 'original')}: <Link url={c.originalUrl} /> · {t(lang, 'outletLine', c.outlet, c.originalId)}
          </p>
          <p class="meta">
            {t(lang, 'firstSeen')}: {when(c.firstSeen)} · {t(lang, 'colCopies')}: {c.copies} · {t(lang, 'colReports')}: {c.reports}
          </p>
        </div>
        <div class="decision" aria-label={t(lang, 'decision')}>
          <p class="four-eyes">{t(lang, 'confirmations', view.confirmations.length, view.needed)}</p>
          {view.confirmations.length ? (
            <ul class="confirmed-by">
              {view.confirmations.map((x) => (
                <li key={x.reviewer}>✓ {t(lang, 'confirmedBy', x.reviewer, when(x.at))}</li>
              ))}
            </ul>
          ) : (
            <p class="meta">{t(lang, 'notConfirmed')}</p>
          )}
          {mine && c.status === 'open' && <p class="meta">{t(lang, 'needsAnother')}</p>}
          <div class="buttons">
            {c.status !== 'dismissed' && (
              <button type="button" class="primary confirm" disabled={mine} onClick={() => void act(id, 'confirm')}>
                {t(lang, 'confirm')} <kbd>c</kbd>
              </button>
            )}
            {c.status !== 'dismissed' ? (
              <button type="button" class="danger dismiss" onClick={() => void act(id, 'dismiss', reason.trim() ? { reason: reason.trim() } : {})}>
                {t(lang, 'dismiss')} <kbd>d</kbd>
              </button>
            ) : null}
            {c.status !== 'open' && (
              <button type="button" class="reopen" onClick={() => void act(id, 'reopen', reason.trim() ? { reason: reason.trim() } : {})}>
                {t(lang, 'reopen')}
              </button>
            )}
          </div>
          <label class="reason">
            <span>{t(lang, 'dismissReason')}</span>
            <input name="reason" maxLength={1000} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
          </label>
        </div>
      </section>

      <section class="card evidence">
        <h3>{t(lang, 'evidence')}</h3>
        {(() => {
          const ev = evidence(view.reports);
          if (!ev.passages.length) return <p class="empty">{t(lang, 'evidenceNone')}</p>;
          return (
            <>
              <ol class="passages">
                {ev.passages.map((p, i) => (
                  <li key={i} class="passage">
                    <div class="side">
                      <div class="side-label">{t(lang, 'onCopy')}</div>
                      <blockquote tabIndex={0}>
                        <Text v={p.pageText} />
                      </blockquote>
                    </div>
                    <div class="side">
                      <div class="side-label">{t(lang, 'inOriginal')}</div>
                      <blockquote tabIndex={0}>{p.originalText === undefined ? t(lang, 'notInIndex') : <Text v={p.originalText} />}</blockquote>
                    </div>
                    <p class="meta seen-on">
                      {t(lang, 'seenOn', p.copies.length)}{' '}
                      {p.copies.map((u) => (
                        <span key={u} class="seen-copy">
                          <Chip lang={lang} p={copyInfo.get(u)?.platform ?? 'other'} />
                          <Link url={u} />
                        </span>
                      ))}
                    </p>
                  </li>
                ))}
              </ol>
              {ev.more > 0 && <p class="meta">+{ev.more}</p>}
            </>
          );
        })()}
      </section>

      <section class="card copies">
        <h3>{t(lang, 'copies')}</h3>
        <table>
          <thead>
            <tr>
              <th>{t(lang, 'platform')}</th>
              <th>{t(lang, 'colAccount')}</th>
              <th>{t(lang, 'colAddress')}</th>
              <th>{t(lang, 'colFirstSeen')}</th>
              <th>{t(lang, 'colPosted')}</th>
              <th>{t(lang, 'colEngagement')}</th>
              <th class="num">{t(lang, 'colReports')}</th>
              <th>{t(lang, 'colVerdicts')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {view.copies.map((k) => {
              const facts = copyFacts(reportsOf.get(k.url) ?? []);
              return (
                <tr key={k.url}>
                  <td>
                    <Chip lang={lang} p={k.platform} />
                  </td>
                  <td>{k.account ? k.account.url ? <Link url={k.account.url}>{<Text v={k.account.name} />}</Link> : <Text v={k.account.name} /> : t(lang, 'none')}</td>
                  <td class="url">
                    <Link url={k.url} />
                  </td>
                  <td class="time">{when(k.firstSeen)}</td>
                  <td>{facts.posted ? <Text v={facts.posted} /> : t(lang, 'none')}</td>
                  <td class="figures">
                    {facts.engagement
                      ? FIGURES.filter((f) => facts.engagement![f]).map((f) => (
                          <span key={f} class="figure">
                            <Text v={facts.engagement![f]!.shown} /> {figureName(lang, f)}
                          </span>
                        ))
                      : t(lang, 'none')}
                  </td>
                  <td class="num">{k.reports}</td>
                  <td>
                    {Object.entries(k.verdicts).map(([v, n]) => (
                      <span key={v} class="chip">
                        <Text v={v} /> × {n}
                      </span>
                    ))}
                  </td>
                  <td>
                    {view.copies.length > 1 && (
                      <button type="button" class="small split" onClick={() => void split(k.url)}>
                        {t(lang, 'split')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      {timeline && <TimelineView lang={lang} tl={timeline} />}

      <div class="columns">
        <section class="card notes">
          <h3>{t(lang, 'notes')}</h3>
          {view.notes.length ? (
            <ul>
              {view.notes.map((n) => (
                <li key={n.id}>
                  <div class="meta">
                    <strong>
                      <Text v={n.author} />
                    </strong>{' '}
                    · {when(n.createdAt)}
                  </div>
                  <p class="note-text">
                    <Text v={n.text} />
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p class="empty">{t(lang, 'notesEmpty')}</p>
          )}
          <form onSubmit={(e) => void addNote(e)}>
            <textarea name="note" rows={3} maxLength={4000} required placeholder={t(lang, 'notePlaceholder')} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
            <button type="submit">{t(lang, 'addNote')}</button>
          </form>
        </section>
        <section class="card merge">
          <h3>{t(lang, 'merge')}</h3>
          <form onSubmit={(e) => void merge(e)}>
            <label>
              <span>{t(lang, 'mergeLabel')}</span>
              <input name="merge" inputMode="numeric" pattern="[0-9]+" size={8} required value={mergeFrom} onInput={(e) => setMergeFrom((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="submit">{t(lang, 'mergeButton')}</button>
          </form>
        </section>
      </div>

      <details class="card">
        <summary>{t(lang, 'reportsOfCase', view.reports.length)}</summary>
        {view.reportsTruncated && <p class="meta">{t(lang, 'reportsTruncated', view.reports.length)}</p>}
        <table class="reports">
          <tbody>
            {view.reports.map((r) => (
              <tr key={r.id}>
                <td>#{r.id}</td>
                <td class="time">{when(r.receivedAt)}</td>
                <td>
                  <Text v={r.reporter} />
                </td>
                <td>
                  <Text v={r.category} /> · <Text v={r.verdict} /> · {Math.round(r.score * 100)}%
                </td>
                <td class="url">
                  <Link url={r.url} />
                </td>
                <td>
                  <Text v={r.note} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details class="card audit">
        <summary>{t(lang, 'audit')}</summary>
        <ol>
          {view.audit.map((a) => (
            <li key={a.id}>
              <span class="time">{when(a.at)}</span> <strong>
                <Text v={a.actor} />
              </strong>{' '}
              <code>{a.action}</code> <Text v={JSON.stringify(a.detail)} />
            </li>
          ))}
        </ol>
      </details>
    </main>
  );
}

/** The case's timeline: a strip per platform (copies as dots, reports as ticks) and the events with their lag after the first sighting. */
function TimelineView({ lang, tl }: { lang: Lang; tl: Timeline }) {
  const events = tl.events.slice(0, 500);
  if (!events.length)
    return (
      <section class="card timeline">
        <h3>{t(lang, 'timeline')}</h3>
        <p class="empty">{t(lang, 'timelineEmpty')}</p>
      </section>
    );
  const times = events.map((e) => Date.parse(e.at));
  const origin = tl.originalPublished ? Date.parse(tl.originalPublished) : Math.min(...times);
  const start = Math.min(origin, ...times);
  const end = Math.max(...times, start + 60_000);
  const lanes = tl.platforms.map((p) => p.platform);
  const W = 760;
  const L = 90;
  const H = 26;
  const x = (ms: number) => L + ((ms - start) / (end - start)) * (W - L - 20);
  const height = lanes.length * H + 30;
  const label = (e: (typeof events)[number]) => (e.kind === 'copy-first-seen' ? t(lang, 'evCopy') : e.kind === 'report' ? t(lang, 'evReport') : t(lang, 'evOriginal'));
  return (
    <section class="card timeline">
      <h3>{t(lang, 'timeline')}</h3>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={t(lang, 'timeline')} class="chart">
        {lanes.map((p, i) => (
          <g key={p}>
            <text x={8} y={i * H + 20} class="lane-label">
              {platformName(lang, p)}
            </text>
            <line x1={L} x2={W - 20} y1={i * H + 16} y2={i * H + 16} class="lane" />
          </g>
        ))}
        {tl.originalPublished && <line x1={x(origin)} x2={x(origin)} y1={4} y2={lanes.length * H + 4} class="origin" />}
        {events.map((e, i) => {
          const lane = lanes.indexOf(e.platform);
          if (lane < 0) return null;
          const cx = x(Date.parse(e.at));
          return e.kind === 'copy-first-seen' ? (
            <circle key={i} cx={cx} cy={lane * H + 16} r={6} class={`dot platform-${e.platform}`}>
              <title>{`${label(e)} · ${when(e.at)}`}</title>
            </circle>
          ) : (
            <line key={i} x1={cx} x2={cx} y1={lane * H + 8} y2={lane * H + 24} class="tick">
              <title>{`${label(e)} · ${when(e.at)}`}</title>
            </line>
          );
        })}
        <text x={L} y={height - 6} class="axis">
          {when(new Date(start).toISOString())}
        </text>
        <text x={W - 20} y={height - 6} class="axis end">
          {when(new Date(end).toISOString())}
        </text>
      </svg>
      <ol class="events">
        {events.map((e, i) => (
          <li key={i} class={`event ${e.kind}`}>
            <span class="time">{when(e.at)}</span>
            <span class="lag">{t(lang, 'afterFirst', duration(lang, Date.parse(e.at) - origin))}</span>
            <span class="kind">{label(e)}</span>
            {e.kind !== 'original-published' && <Chip lang={lang} p={e.platform} />}
            {e.account && (
              <span class="account">
                <Text v={e.account} />
              </span>
            )}
            {e.kind !== 'original-published' && (
              <span class="url">
                <Link url={e.url} />
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
