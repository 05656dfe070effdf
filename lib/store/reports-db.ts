/**
 * Reports the reader saved, in their own database (separate from the index,
 * so that no index rebuild can touch them).
 */
import Dexie, { type Table } from 'dexie';
import type { Platform } from '../extract/page-meta';

export { REPORT_CATEGORIES, REPORT_STATUSES, type ReportCategory, type ReportStatus } from '../reports/kinds';
import type { ReportCategory, ReportStatus } from '../reports/kinds';
import type { ReportUnitFields } from '../reports/report-body';

export interface ReportPassage {
  pageText: string;
  originalText?: string;
}

/** A report; on a platform page also the account, post time, figures as shown and the unit's text (ReportUnitFields). */
export interface Report extends ReportUnitFields {
  id?: number;
  /** Random UUID made at creation: the stable identity for import and the Idempotency-Key when sent. */
  uid: string;
  createdAt: string;
  url: string;
  title: string;
  platform: Platform;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  score: number;
  passages: ReportPassage[];
  category: ReportCategory;
  note: string;
  status: ReportStatus;
  /** The exact JSON body the reader agreed to send (set with status "queued"). */
  consentedBody?: string;
  /** Where the reader agreed to send it (the endpoint's base URL at consent time). */
  consentedEndpoint?: string;
  /**
   * The Idempotency-Key of the agreed body: the uid for the first agreement, the uid and a count
   * after that, so that an edited report is never sent under the key of a text the server may
   * already hold.
   */
  sendKey?: string;
  /** How many times the reader agreed to send this report. */
  consents?: number;
  /** The server's id once sent. */
  serverId?: number;
  /** The server's reason when rejected, or the last temporary failure while queued. */
  error?: string;
  /** The HTTP status of the last answer that was not a success (e.g. 401, 503). */
  httpStatus?: number;
  /** What the last temporary failure was: the network (retried at once when the browser is back online), the server, or a rate limit. */
  retryKind?: 'network' | 'server' | 'rate-limit';
  /** Send attempts that failed temporarily (network, 5xx, 429). */
  attempts?: number;
  /** Epoch ms before which the outbox does not try again. */
  nextAttemptAt?: number;
  /** Epoch ms until which one outbox loop holds the report while its POST is in flight. */
  leaseUntil?: number;
  sentAt?: string;
}

export class ReportsDb extends Dexie {
  reports!: Table<Report, number>;
  constructor(name = 'provenance-reports') {
    super(name);
    this.version(1).stores({ reports: '++id, createdAt, originalId, status' });
    // v2: a stable uid per report (unique), and the outbox's schedule. Existing reports get a uid.
    this.version(2)
      .stores({ reports: '++id, &uid, createdAt, originalId, status' })
      .upgrade((tx) =>
        tx
          .table('reports')
          .toCollection()
          .modify((r: Partial<Report>) => {
            r.uid ??= crypto.randomUUID();
          }),
      );
  }
}
