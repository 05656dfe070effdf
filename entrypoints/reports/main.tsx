import { render } from 'preact';
import { ReportsApp } from '@/components/ReportsApp';
import { resolveLang } from '@/lib/i18n';
import { parseEndpoint } from '@/lib/reports/endpoint';
import { consentToSend, deleteReport, editReport } from '@/lib/reports/reports-store';
import { readSendConfig } from '@/lib/reports/sending-settings';
import { exportCsv, exportJson, importReports } from '@/lib/reports/transfer';
import { send } from '@/lib/send-message';
import { readSettings } from '@/lib/settings';
import { ReportsDb } from '@/lib/store/reports-db';
import '../popup/style.css';
import '../options/style.css';
import './style.css';

function download(name: string, type: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function main() {
  const lang = resolveLang((await readSettings()).language);
  document.documentElement.lang = lang;
  const db = new ReportsDb();
  const config = await readSendConfig();
  let sending: { base: string; reportsUrl: string } | undefined;
  try {
    sending = config ? parseEndpoint(config.endpoint) : undefined;
  } catch {
    sending = undefined;
  }
  const stamp = () => new Date().toISOString().slice(0, 10);
  render(
    <ReportsApp
      lang={lang}
      sending={sending}
      review={new URLSearchParams(location.search).get('review') ?? undefined}
      load={() => db.reports.toArray()}
      onEdit={(uid, edit) => editReport(db, uid, edit)}
      onDelete={(uid) => deleteReport(db, uid)}
      onConsent={async (uid, body) => {
        if (!sending) throw new Error('sending is not configured');
        await consentToSend(db, uid, body, sending.base);
        void send('outbox-run', {}).catch(() => undefined); // the alarm retries if this fails
      }}
      onExport={(reports, format) =>
        format === 'json'
          ? download(`provenance-reports-${stamp()}.json`, 'application/json', exportJson(reports))
          : download(`provenance-reports-${stamp()}.csv`, 'text/csv;charset=utf-8', '\ufeff' + exportCsv(reports))
      }
      onImport={async (file) => importReports(db, await file.text())}
      onOpenOptions={() => void browser.runtime.openOptionsPage()}
    />,
    document.getElementById('app')!,
  );
}

void main();
