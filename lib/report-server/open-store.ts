/** Opens the configured backend: PostgreSQL when a database URL is given, else SQLite in the data folder. */
import { openPostgresStore } from './store-postgres';
import { openSqliteStore, sqlitePath } from './store-sqlite';
import type { ReportStore } from './store';

export interface StoreConfig {
  dataDir: string;
  databaseUrl?: string;
}

export async function openStore(cfg: StoreConfig): Promise<ReportStore> {
  return cfg.databaseUrl ? openPostgresStore(cfg.databaseUrl) : openSqliteStore(cfg.dataDir);
}

/** Where the reports live, for messages (the database URL without its password). */
export function describeStore(cfg: StoreConfig): string {
  if (!cfg.databaseUrl) return `SQLite ${sqlitePath(cfg.dataDir)}`;
  try {
    const u = new URL(cfg.databaseUrl);
    u.password = '';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
