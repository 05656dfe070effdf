/** Report categories and states (no dependencies: the content script's report form uses them too). */
export type ReportCategory = 'uncredited' | 'commentary' | 'translated' | 'other';
export type ReportStatus = 'local' | 'queued' | 'sent' | 'rejected';
export const REPORT_CATEGORIES: readonly ReportCategory[] = ['uncredited', 'commentary', 'translated', 'other'];
export const REPORT_STATUSES: readonly ReportStatus[] = ['local', 'queued', 'sent', 'rejected'];
