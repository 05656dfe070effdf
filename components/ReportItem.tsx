/**
 * One report on the reports page: what it says, its sending state, edit, delete, review and send.
 * Every report string is shown as text without bidi control characters (a report saved before
 * they were removed at saving, or a server's reason, may hold some).
 */
import { useState } from 'preact/hooks';
import { safeLink } from '@/lib/badge-info';
import { stripBidiControls as plain } from '@/lib/reports/bidi-controls';
import { t, type Lang, type MessageKey } from '@/lib/i18n';
import type { Report, ReportCategory } from '@/lib/store/reports-db';
import { CATEGORY_KEYS, CategorySelect } from './CategorySelect';

export const STATUS_KEYS: Record<Report['status'], MessageKey> = { local: 'statusLocal', queued: 'statusQueued', sent: 'statusSent', rejected: 'statusRejected' };

export interface ReportItemProps {
  lang: Lang;
  report: Report;
  canSend: boolean;
  onEdit: (edit: { category: ReportCategory; note: string }) => Promise<void>;
  onDelete: () => Promise<void>;
  onReview: () => void;
}

export function ReportItem({ lang, report: r, canSend, onEdit, onDelete, onReview }: ReportItemProps) {
  const [editing, setEditing] = useState(false);
  const [category, setCategory] = useState<ReportCategory>(r.category);
  const [note, setNote] = useState(plain(r.note));
  const link = safeLink(r.url);
  return (
    <li class={`report-item status-${r.status}`} data-uid={r.uid}>
      <div class="head">
        <span class={`state state-${r.status}`}>{t(lang, STATUS_KEYS[r.status])}</span>
        {r.status === 'sent' && r.serverId !== undefined && <span class="muted server-id">{t(lang, 'serverId', r.serverId)}</span>}
        <span class="rtitle">{plain(r.title) || t(lang, 'reportTitleFallback')}</span>
      </div>
      <div class="url">{link ? <a href={link} target="_blank" rel="noopener noreferrer nofollow">{plain(r.url)}</a> : plain(r.url)}</div>
      <div class="muted meta">
        {[t(lang, CATEGORY_KEYS[r.category]), r.platform, plain(r.outlet), plain(r.originalId), t(lang, 'passagesCount', r.passages.length), t(lang, 'reportedAt', new Date(r.createdAt).toLocaleString(lang))]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {r.note && !editing && <p class="rnote">{plain(r.note)}</p>}
      {r.status === 'rejected' && (
        <p class="error">
          {t(lang, 'rejectedReason', plain(r.error ?? '').replace(/[^.。!?！？]$/, (c) => `${c}${lang === 'en' ? '.' : '。'}`))}
          {r.httpStatus === 401 && ` ${t(lang, 'hint401')}`}
        </p>
      )}
      {r.status === 'queued' && r.error && r.nextAttemptAt !== undefined && <p class="muted">{t(lang, 'retryInfo', plain(r.error), new Date(r.nextAttemptAt).toLocaleString(lang))}</p>}
      {r.status === 'local' && r.error && <p class="muted">{plain(r.error)}</p>}
      {editing ? (
        <form
          class="edit"
          onSubmit={async (e) => {
            e.preventDefault();
            await onEdit({ category, note });
            setEditing(false);
          }}
        >
          <label>
            {t(lang, 'reportCategory')}
            <CategorySelect lang={lang} value={category} onChange={setCategory} />
          </label>
          <label class="block">
            {t(lang, 'reportNote')}
            <textarea rows={3} maxLength={4000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
          </label>
          <div class="actions">
            <button type="submit">{t(lang, 'save')}</button>
            <button type="button" onClick={() => setEditing(false)}>
              {t(lang, 'cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div class="actions">
          {(r.status === 'local' || r.status === 'rejected') && (
            <button type="button" class="review" onClick={onReview} disabled={!canSend} title={canSend ? undefined : t(lang, 'sendingNotConfigured')}>
              {t(lang, 'reviewAndSend')}
            </button>
          )}
          <button
            type="button"
            class="edit"
            onClick={() => {
              setCategory(r.category);
              setNote(plain(r.note));
              setEditing(true);
            }}
          >
            {t(lang, 'edit')}
          </button>
          <button
            type="button"
            class="delete"
            onClick={async () => {
              if (confirm(t(lang, 'confirmDelete'))) await onDelete();
            }}
          >
            {t(lang, 'delete')}
          </button>
        </div>
      )}
    </li>
  );
}
