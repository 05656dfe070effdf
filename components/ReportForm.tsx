/** The local report form: category and note; saved in the reader's local reports. */
import { useState } from 'preact/hooks';
import { t, type Lang } from '@/lib/i18n';

import type { ReportCategory } from '@/lib/store/reports-db';
import { CategorySelect } from './CategorySelect';

export type { ReportCategory };
export interface ReportDraft {
  category: ReportCategory;
  note: string;
}

export function ReportForm({ lang, onSave, onCancel }: { lang: Lang; onSave: (d: ReportDraft) => Promise<void>; onCancel: () => void }) {
  const [category, setCategory] = useState<ReportCategory>('uncredited');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="report"
      aria-label={t(lang, 'reportTitle')}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSave({ category, note: note.slice(0, 4000) });
        } finally {
          setBusy(false);
        }
      }}
    >
      <div class="label">{t(lang, 'reportTitle')}</div>
      <label>
        {t(lang, 'reportCategory')}
        <CategorySelect lang={lang} value={category} onChange={setCategory} />
      </label>
      <label>
        {t(lang, 'reportNote')}
        <textarea value={note} maxLength={4000} rows={3} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t(lang, 'save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t(lang, 'cancel')}
        </button>
      </div>
    </form>
  );
}
