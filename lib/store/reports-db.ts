/**
 * Reports the reader saved, in their own database (separate from the index,
 * so that no index rebuild can touch them).
 */
import Dexie, { type Table } from 'dexie';
import type { Platform } from '../extract/page-meta';

export interface Report {
  id?: number;
  createdAt: string;
  url: string;
  title: string;
  platform: Platform;
  verdict: string;
  outlet: string;
  originalId: string;
  originalUrl: string;
  score: number;
  passages: Array<{ pageText: string; originalText?: string }>;
  category: 'uncredited' | 'commentary' | 'translated' | 'other';
  note: string;
  status: 'local' | 'queued' | 'sent' | 'rejected';
}

export class ReportsDb extends Dexie {
  reports!: Table<Report, number>;
  constructor(name = 'provenance-reports') {
    super(name);
    this.version(1).stores({ reports: '++id, createdAt, originalId, status' });
  }
}
