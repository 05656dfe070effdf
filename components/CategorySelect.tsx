/** The report category picker, the same in the badge's form, the report page and the reports list. */
import { t, type Lang, type MessageKey } from '@/lib/i18n';
import { REPORT_CATEGORIES, type ReportCategory } from '@/lib/reports/kinds';

export const CATEGORY_KEYS: Record<ReportCategory, MessageKey> = { uncredited: 'catUncredited', commentary: 'catCommentary', translated: 'catTranslated', other: 'catOther' };

export function CategorySelect({ lang, value, onChange, name }: { lang: Lang; value: ReportCategory; onChange: (c: ReportCategory) => void; name?: string }) {
  return (
    <select name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value as ReportCategory)}>
      {REPORT_CATEGORIES.map((c) => (
        <option key={c} value={c}>
          {t(lang, CATEGORY_KEYS[c])}
        </option>
      ))}
    </select>
  );
}
