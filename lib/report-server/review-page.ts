/**
 * The review page at /review: plain HTML, CSS and JS served by the report
 * server itself (no framework, nothing remote). Every value from a report is
 * inserted with textContent, without bidi control characters (bidi-controls.ts:
 * new reports cannot hold them, reports stored before that rule may); the CSP
 * allows scripts, styles and requests from the server's own origin only.
 *
 * Two ways in: an admin (or reviewer) token pasted into the page, kept for the
 * tab's session, or a reviewer account's name and password (POST /api/login:
 * an HttpOnly session cookie; the page keeps only the CSRF token, in memory,
 * and sends it with every change). With either, the page lists the reports
 * grouped as before and the cases of the collation centre (centre.md): a case
 * view with copies, reports' verdicts, notes, confirmations and audit log, and
 * the actions confirm, dismiss, reopen, note, merge and split.
 */
import { BIDI_CONTROL } from '../reports/bidi-controls';

export const REVIEW_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const REVIEW_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Provenance reports: review</title>
<link rel="stylesheet" href="/review.css">
<script src="/review.js" defer></script>
</head>
<body>
<header>
  <h1>Provenance reports</h1>
  <form id="login" autocomplete="off">
    <label>Admin token <input id="token" type="password" size="48" required></label>
    <button type="submit">Load</button>
    <button type="button" id="forget">Forget token</button>
  </form>
  <form id="account-login" autocomplete="on">
    <label>or account <input id="account-name" autocomplete="username" size="16" required></label>
    <label>password <input id="account-password" type="password" autocomplete="current-password" size="20" required></label>
    <button type="submit">Log in</button>
  </form>
  <p id="who" hidden><span id="who-name"></span> <button type="button" id="logout">Log out</button></p>
  <div id="controls" hidden>
    <label>Status <select id="status-filter">
      <option value="">all</option><option value="new" selected>new</option><option value="confirmed">confirmed</option><option value="rejected">rejected</option>
    </select></label>
    <button type="button" id="reload">Reload</button>
    <span class="downloads">Download:
      <button type="button" data-download="/api/reports?format=csv" data-name="reports.csv">CSV</button>
      <button type="button" data-download="/api/reports?download=1" data-name="reports.json">JSON</button>
      <button type="button" data-download="/api/originals.jsonl" data-name="originals.jsonl">originals JSONL</button>
      <button type="button" data-download="/api/originals.txt" data-name="originals.txt">original addresses</button>
    </span>
  </div>
  <p id="message" role="status"></p>
</header>
<main>
  <section id="summary" hidden>
    <div><h2>Per platform</h2><table id="per-platform"><thead><tr><th>platform</th><th>reports</th></tr></thead><tbody></tbody></table></div>
    <div><h2>Per week</h2><table id="per-week"><thead><tr><th>week (reported)</th><th>reports</th></tr></thead><tbody></tbody></table></div>
  </section>
  <section id="cases" hidden>
    <h2>Cases</h2>
    <label>Status <select id="case-status">
      <option value="">all</option><option value="open" selected>open</option><option value="confirmed">confirmed</option><option value="dismissed">dismissed</option>
    </select></label>
    <table id="case-list"><thead><tr><th>case</th><th>status</th><th>outlet</th><th>original</th><th>copies</th><th>reports</th><th>confirmations</th><th>first seen</th><th></th></tr></thead><tbody></tbody></table>
    <div id="case-view" hidden></div>
  </section>
  <section id="signals" hidden>
    <h2>Coordination signals</h2>
    <p class="meta">Figures, not accusations: open and confirmed cases; each signal lists the copies it rests on.</p>
    <form id="signal-form">
      <label>Cases first seen from <input id="signal-from" type="date"></label>
      <label>Same original: <input id="signal-accounts" type="number" min="1" max="1000" size="4" required> accounts</label>
      <label>within <input id="signal-hours" type="number" min="1" size="4" required> hours</label>;
      <label>fast re-posts: within <input id="signal-minutes" type="number" min="0" size="4" required> minutes</label>
      <label>in <input id="signal-repeats" type="number" min="1" size="4" required> cases</label>
      <button type="submit">Show signals</button>
    </form>
    <h3>Same original, many accounts</h3>
    <table id="signal-same"><thead><tr><th>case</th><th>outlet</th><th>original</th><th>accounts</th><th>within (min)</th><th>copies</th></tr></thead><tbody></tbody></table>
    <h3>Fast re-posts</h3>
    <table id="signal-fast"><thead><tr><th>platform</th><th>account</th><th>outlet</th><th>fast / cases</th><th>median (min)</th><th>copies</th></tr></thead><tbody></tbody></table>
  </section>
  <section id="public" hidden>
    <h2>Public report</h2>
    <p class="meta">Confirmed cases first seen in the period (UTC): the same files as <code>report-server publish</code>.</p>
    <label>Period <input id="public-period" size="10" placeholder="2026-W48"></label>
    <label>Page in <select id="public-lang"><option value="en">English</option><option value="zh">Chinese (中文)</option></select></label>
    <span class="downloads">
      <button type="button" data-public="report.zip">ZIP (all files)</button>
      <button type="button" data-public="index.html">HTML</button>
      <button type="button" data-public="report.json">JSON</button>
      <button type="button" data-public="copies.csv">copies CSV</button>
      <button type="button" data-public="accounts.csv">accounts CSV</button>
    </span>
  </section>
  <section id="groups"></section>
</main>
</body>
</html>
`;

export const REVIEW_CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1rem 2rem; color: #1b1b1b; background: #fff; }
@media (prefers-color-scheme: dark) { body { color: #e8e8e8; background: #161616; } a { color: #8ab4f8; } }
header { position: sticky; top: 0; background: inherit; padding: .5rem 0; border-bottom: 1px solid #8884; }
h1 { font-size: 1.3rem; margin: .3rem 0; } h2 { font-size: 1.05rem; margin: .8rem 0 .3rem; } h3 { font-size: 1rem; margin: .6rem 0 .2rem; }
#summary { display: flex; gap: 3rem; flex-wrap: wrap; }
table { border-collapse: collapse; } td, th { border: 1px solid #8886; padding: .15rem .5rem; text-align: left; vertical-align: top; }
.group { border: 1px solid #8886; border-radius: 6px; padding: .3rem .8rem; margin: .8rem 0; }
.report { border-top: 1px dashed #8886; padding: .4rem 0; }
.meta { color: #777; } .note { white-space: pre-wrap; }
.passages td { width: 50%; white-space: pre-wrap; }
.status-new { color: #a66a00; } .status-confirmed { color: #137333; } .status-rejected { color: #b3261e; }
#message { min-height: 1.2em; margin: .3rem 0; }
.downloads { margin-left: 1.5rem; }
#account-login, #who { margin: .3rem 0; }
#case-view { border: 2px solid #8886; border-radius: 6px; padding: .3rem .8rem; margin: .8rem 0; }
#case-view textarea { width: 100%; max-width: 40rem; }
.case-status-open { color: #a66a00; } .case-status-confirmed { color: #137333; } .case-status-dismissed { color: #b3261e; }
.audit { color: #777; font-size: .92em; }
#signal-form label { margin-right: .4rem; } #signal-form input[type=number] { width: 4.5rem; }
`;

export const REVIEW_JS = `'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const KEY = 'provenance-review-token';
  const tokenInput = $('token');
  tokenInput.value = sessionStorage.getItem(KEY) || '';
  const BIDI = new RegExp(${JSON.stringify(BIDI_CONTROL.source)}, 'g');

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = String(text).replace(BIDI, '');
    if (cls) e.className = cls;
    return e;
  }
  function say(text) { $('message').textContent = text; }
  // With an account login the cookie goes along by itself; changes carry the session's CSRF token.
  let csrf = null;
  function auth(method) {
    if (csrf) return method && method !== 'GET' ? { 'X-CSRF-Token': csrf } : {};
    return { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) };
  }
  async function api(path, init) {
    const res = await fetch(path, { ...init, headers: { ...auth(init && init.method), ...((init && init.headers) || {}) } });
    if (!res.ok) {
      let msg = res.status + ' ' + res.statusText;
      try { msg += ': ' + (await res.json()).error; } catch {}
      throw new Error(msg);
    }
    return res;
  }
  function isoWeek(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return 'unknown';
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const day = t.getUTCDay() || 7;
    t.setUTCDate(t.getUTCDate() + 4 - day);
    const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
    const w = Math.ceil(((t - y0) / 86400000 + 1) / 7);
    return t.getUTCFullYear() + '-W' + String(w).padStart(2, '0');
  }
  function countTable(tbody, counts) {
    tbody.replaceChildren();
    for (const [k, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const tr = el('tr');
      tr.append(el('td', k), el('td', n));
      tbody.append(tr);
    }
  }
  function link(url) {
    let ok = false;
    try { ok = ['http:', 'https:'].includes(new URL(url).protocol); } catch {}
    if (!ok) return el('span', url);
    const a = el('a', url);
    a.href = url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }
  function reportView(r) {
    const box = el('div', undefined, 'report');
    const head = el('div');
    head.append(el('strong', '#' + r.id + ' '), el('span', r.title || '(no title)'), el('span', '  ' + r.status, 'status-' + r.status));
    const meta = el('div', r.platform + ' · ' + r.category + ' · verdict ' + r.verdict + ' · score ' + r.score +
      ' · reported ' + r.createdAt + ' · received ' + r.receivedAt + ' by ' + r.reporter, 'meta');
    const page = el('div'); page.append(el('span', 'Page: '), link(r.url));
    box.append(head, meta, page);
    // Platform reports: who posted the unit, when (as shown), and its figures as shown when read.
    if (r.account || r.postedAt || r.engagement) {
      const who = el('div', undefined, 'meta');
      if (r.account) {
        who.append(el('span', 'Posted by ' + r.account.name + ' '));
        if (r.account.url) who.append(link(r.account.url));
      }
      if (r.postedAt) who.append(el('span', ' · posted ' + r.postedAt.shown + (r.postedAt.iso ? ' (' + r.postedAt.iso + ')' : '')));
      if (r.engagement) {
        const figures = ['reposts', 'comments', 'likes', 'views'].filter((k) => r.engagement[k]).map((k) => k + ' ' + r.engagement[k].shown);
        who.append(el('span', ' · ' + (figures.length ? figures.join(', ') : 'no figures shown') + ' (read ' + r.engagement.readAt + ')'));
      }
      box.append(who);
    }
    if (r.unitText) {
      const unit = el('details');
      unit.append(el('summary', 'Text of the post'), el('div', r.unitText, 'note'));
      box.append(unit);
    }
    if (r.note) box.append(el('div', r.note, 'note'));
    if (r.passages.length) {
      const details = el('details');
      details.append(el('summary', r.passages.length + ' passage(s)'));
      const table = el('table', undefined, 'passages');
      for (const p of r.passages) {
        const tr = el('tr');
        tr.append(el('td', p.pageText), el('td', p.originalText || ''));
        table.append(tr);
      }
      details.append(table);
      box.append(details);
    }
    const actions = el('div');
    for (const s of ['new', 'confirmed', 'rejected']) {
      const b = el('button', s === 'new' ? 'Mark new' : s === 'confirmed' ? 'Confirm' : 'Reject');
      b.type = 'button';
      b.disabled = r.status === s;
      b.addEventListener('click', async () => {
        try {
          await api('/api/reports/' + r.id, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ status: s }) });
          await load();
          say('Report #' + r.id + ' is now ' + s + '.');
        } catch (e) { say(String(e.message || e)); }
      });
      actions.append(b);
    }
    box.append(actions);
    return box;
  }
  async function load() {
    const status = $('status-filter').value;
    // A page at a time, up to a bound that keeps the page usable; the downloads hold everything.
    const reports = [];
    let after = '';
    let more = false;
    for (;;) {
      const q = new URLSearchParams({ limit: '5000' });
      if (status) q.set('status', status);
      if (after) q.set('after', after);
      const page = await (await api('/api/reports?' + q)).json();
      reports.push(...page.reports);
      if (page.next === undefined) break;
      if (reports.length >= 20000) { more = true; break; }
      after = String(page.next);
    }
    $('controls').hidden = false;
    $('summary').hidden = false;
    const perPlatform = new Map(), perWeek = new Map(), groups = new Map();
    for (const r of reports) {
      perPlatform.set(r.platform, (perPlatform.get(r.platform) || 0) + 1);
      const w = isoWeek(r.createdAt);
      perWeek.set(w, (perWeek.get(w) || 0) + 1);
      const original = r.originalId || r.originalUrl || '(no original)';
      const key = original + '\\u0000' + r.outlet;
      if (!groups.has(key)) groups.set(key, { original, originalUrl: r.originalUrl, outlet: r.outlet, reports: [] });
      groups.get(key).reports.push(r);
    }
    countTable($('per-platform').tBodies[0], perPlatform);
    countTable($('per-week').tBodies[0], perWeek);
    const root = $('groups');
    root.replaceChildren(el('h2', reports.length + ' report(s) in ' + groups.size + ' group(s) by original and outlet'));
    for (const g of [...groups.values()].sort((a, b) => b.reports.length - a.reports.length)) {
      const box = el('div', undefined, 'group');
      const h = el('h3');
      h.append(el('span', (g.outlet || '(no outlet)') + ' — ' + g.original + ' (' + g.reports.length + ')'));
      box.append(h);
      if (g.originalUrl) { const p = el('div'); p.append(el('span', 'Original: '), link(g.originalUrl)); box.append(p); }
      for (const r of g.reports) box.append(reportView(r));
      root.append(box);
    }
    say('Loaded ' + reports.length + ' report(s)' + (more ? ' (the first 20,000; narrow the status filter or use the downloads for all)' : '') + '.');
  }
  function post(path, body) {
    return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body || {}) }).then((r) => r.json());
  }
  function button(text, onClick) {
    const b = el('button', text);
    b.type = 'button';
    b.addEventListener('click', () => onClick().catch((e) => say(String(e.message || e))));
    return b;
  }
  async function loadCases() {
    const q = new URLSearchParams({ limit: '200' });
    if ($('case-status').value) q.set('status', $('case-status').value);
    const page = await (await api('/api/cases?' + q)).json();
    $('cases').hidden = false;
    const tbody = $('case-list').tBodies[0];
    tbody.replaceChildren();
    for (const c of page.cases) {
      const tr = el('tr');
      tr.dataset.case = String(c.id);
      tr.append(el('td', '#' + c.id), el('td', c.status, 'case-status-' + c.status), el('td', c.outlet || '(no outlet)'),
        el('td', c.originalUrl || c.originalId || '(no original)'), el('td', c.copies), el('td', c.reports),
        el('td', c.confirmations + ' / ' + page.needed), el('td', c.firstSeen));
      const td = el('td');
      td.append(button('Open', () => openCase(c.id)));
      tr.append(td);
      tbody.append(tr);
    }
  }
  async function openCase(id) {
    const v = await (await api('/api/cases/' + id)).json();
    const box = $('case-view');
    box.hidden = false;
    box.replaceChildren();
    const c = v.case;
    const h = el('h3');
    h.append(el('span', 'Case #' + c.id + ' '), el('span', c.status, 'case-status-' + c.status),
      el('span', ' · ' + v.confirmations.length + ' of ' + v.needed + ' confirmations' + (v.confirmations.length ? ' (' + v.confirmations.map((x) => x.reviewer).join(', ') + ')' : '')));
    box.append(h);
    if (c.mergedInto) box.append(el('p', 'Merged into case #' + c.mergedInto + '.'));
    const orig = el('div');
    orig.append(el('span', 'Original (' + (c.outlet || 'no outlet') + '): '), c.originalUrl ? link(c.originalUrl) : el('span', c.originalId || '(none)'));
    box.append(orig);
    const refresh = async (msg) => { await openCase(id); await loadCases(); say(msg); };
    if (!c.mergedInto) {
      const actions = el('div', undefined, 'case-actions');
      actions.append(
        button('Confirm', async () => { const r = await post('/api/cases/' + id + '/confirm'); await refresh('Case #' + id + ' is ' + r.status + ' (' + r.confirmations.length + ' of ' + r.needed + ' confirmations).'); }),
        button('Dismiss', async () => { await post('/api/cases/' + id + '/dismiss'); await refresh('Case #' + id + ' dismissed.'); }),
        button('Reopen', async () => { await post('/api/cases/' + id + '/reopen'); await refresh('Case #' + id + ' reopened.'); }),
      );
      const merge = el('input');
      merge.size = 6;
      merge.placeholder = 'case id';
      merge.setAttribute('aria-label', 'case to merge into this one');
      actions.append(el('span', '  Merge case '), merge, button('Merge into this', async () => {
        const from = Number(merge.value);
        await post('/api/cases/' + id + '/merge', { case: from });
        await refresh('Case #' + from + ' merged into case #' + id + '.');
      }));
      box.append(actions);
    }
    box.append(el('h3', 'Copies (' + v.copies.length + ')'));
    const copies = el('table');
    copies.append(el('tr'));
    copies.rows[0].append(el('th', 'page'), el('th', 'platform'), el('th', 'account'), el('th', 'first seen'), el('th', 'reports'), el('th', 'verdicts'), el('th', ''));
    for (const k of v.copies) {
      const tr = el('tr');
      const page = el('td'); page.append(link(k.url));
      const account = el('td', k.account ? k.account.name : '');
      const verdicts = Object.entries(k.verdicts).map(([name, n]) => name + ' ' + n).join(', ');
      const act = el('td');
      if (v.copies.length > 1 && !c.mergedInto) act.append(button('Split out', async () => {
        const r = await post('/api/cases/' + id + '/split', { url: k.url });
        await refresh('The copy is now case #' + r.id + '.');
      }));
      tr.append(page, el('td', k.platform), account, el('td', k.firstSeen), el('td', k.reports), el('td', verdicts), act);
      copies.append(tr);
    }
    box.append(copies);
    box.append(el('h3', 'Notes (' + v.notes.length + ')'));
    for (const n of v.notes) box.append(el('div', n.createdAt + ' ' + n.author + ': ' + n.text, 'note'));
    if (!c.mergedInto) {
      const text = el('textarea');
      text.rows = 3;
      text.setAttribute('aria-label', 'note');
      box.append(text, el('br'), button('Add note', async () => {
        await post('/api/cases/' + id + '/notes', { text: text.value });
        await refresh('Note added to case #' + id + '.');
      }));
    }
    box.append(el('h3', 'Audit log'));
    const log = el('ol', undefined, 'audit');
    for (const a of v.audit) log.append(el('li', a.at + ' ' + a.actor + ' ' + a.action + ' ' + JSON.stringify(a.detail)));
    box.append(log);
  }
  // Coordination signals: thresholds from the form (the server's defaults the first time).
  async function loadSignals() {
    const q = new URLSearchParams();
    // The last four weeks unless the reviewer picks another start (all of them: clear the date).
    if (!$('signal-from').dataset.set) {
      $('signal-from').value = new Date(Date.now() - 28 * 86400000).toISOString().slice(0, 10);
      $('signal-from').dataset.set = '1';
    }
    if ($('signal-from').value) q.set('from', $('signal-from').value);
    for (const k of ['accounts', 'hours', 'minutes', 'repeats']) if ($('signal-' + k).value) q.set(k, $('signal-' + k).value);
    const s = await (await api('/api/signals?' + q)).json();
    for (const k of ['accounts', 'hours', 'minutes', 'repeats']) $('signal-' + k).value = String(s.options[k]);
    $('signals').hidden = false;
    const caseButton = (id) => button('#' + id, () => openCase(id));
    const copyList = (items, text) => {
      const td = el('td');
      for (const k of items) { const d = el('div'); d.append(el('span', text(k) + ' '), link(k.url)); td.append(d); }
      return td;
    };
    const same = $('signal-same').tBodies[0];
    same.replaceChildren();
    for (const x of s.sameOriginal) {
      const tr = el('tr');
      const c = el('td'); c.append(caseButton(x.case));
      const o = el('td'); o.append(x.originalUrl ? link(x.originalUrl) : el('span', x.originalId || '(none)'));
      tr.append(c, el('td', x.outlet || '(no outlet)'), o, el('td', x.accounts), el('td', x.minutes), copyList(x.copies, (k) => k.platform + ' ' + k.account + ' ' + k.at));
      same.append(tr);
    }
    if (!s.sameOriginal.length) { const tr = el('tr'); const td = el('td', 'None.'); td.colSpan = 6; tr.append(td); same.append(tr); }
    const fast = $('signal-fast').tBodies[0];
    fast.replaceChildren();
    for (const x of s.fastAccounts) {
      const tr = el('tr');
      const copies = el('td');
      for (const k of x.copies) { const d = el('div'); d.append(caseButton(k.case), el('span', ' +' + k.minutes + ' min '), link(k.url)); copies.append(d); }
      tr.append(el('td', x.platform), el('td', x.account), el('td', x.outlet || '(no outlet)'), el('td', x.fastCases + ' / ' + x.cases), el('td', x.medianMinutes), copies);
      fast.append(tr);
    }
    if (!s.fastAccounts.length) { const tr = el('tr'); const td = el('td', 'None.'); td.colSpan = 6; tr.append(td); fast.append(tr); }
  }
  $('signal-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadSignals().catch((e) => say(String(e.message || e))); });
  // The ISO week before this one: a default for the public report's period.
  function lastWeek() {
    const t = new Date(Date.now() - 7 * 86400000);
    return isoWeek(t.toISOString());
  }
  for (const b of document.querySelectorAll('[data-public]'))
    b.addEventListener('click', () => {
      const period = $('public-period').value.trim() || lastWeek();
      $('public-period').value = period;
      const file = b.dataset.public;
      const name = file === 'report.zip' ? 'report-' + period + '.zip' : file;
      const lang = $('public-lang').value;
      download('/api/publish?' + new URLSearchParams(lang === 'en' ? { period, file } : { period, file, lang }), name)
        .then(() => say('Downloaded the public report ' + period + ' (' + file + ').'))
        .catch((e) => say(String(e.message || e)));
    });
  async function loadAll() {
    await load();
    await loadCases();
    await loadSignals();
    $('public').hidden = false;
  }
  function signedIn(name) {
    $('who').hidden = !name;
    $('who-name').textContent = name ? 'Logged in as ' + name.replace(BIDI, '') + '.' : '';
    $('account-login').hidden = !!name;
    $('login').hidden = !!name;
  }
  $('account-login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const res = await fetch('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: $('account-name').value.trim(), password: $('account-password').value }) });
      const body = await res.json();
      $('account-password').value = '';
      if (!res.ok) throw new Error(res.status + ': ' + body.error);
      csrf = body.csrf;
      signedIn(body.name);
      await loadAll();
    } catch (e) { say(String(e.message || e)); }
  });
  $('logout').addEventListener('click', async () => {
    try { await api('/api/logout', { method: 'POST' }); } catch (e) { say(String(e.message || e)); }
    csrf = null;
    signedIn(null);
    $('groups').replaceChildren();
    $('summary').hidden = true;
    $('controls').hidden = true;
    $('cases').hidden = true;
    $('case-view').hidden = true;
    $('signals').hidden = true;
    $('public').hidden = true;
    say('Logged out.');
  });
  $('case-status').addEventListener('change', () => loadCases().catch((e) => say(String(e.message || e))));
  async function download(path, name) {
    const res = await api(path);
    const url = URL.createObjectURL(await res.blob());
    const a = el('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  $('login').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(KEY, tokenInput.value.trim());
    loadAll().catch((e) => say(String(e.message || e)));
  });
  $('forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    tokenInput.value = '';
    $('groups').replaceChildren();
    $('summary').hidden = true;
    $('controls').hidden = true;
    $('cases').hidden = true;
    $('case-view').hidden = true;
    $('signals').hidden = true;
    $('public').hidden = true;
    say('Token forgotten.');
  });
  $('reload').addEventListener('click', () => loadAll().catch((e) => say(String(e.message || e))));
  $('status-filter').addEventListener('change', () => load().catch((e) => say(String(e.message || e))));
  for (const b of document.querySelectorAll('[data-download]'))
    b.addEventListener('click', () => download(b.dataset.download, b.dataset.name).catch((e) => say(String(e.message || e))));
  // A session from an earlier visit (the cookie is HttpOnly: ask the server), else a remembered token.
  fetch('/api/session').then(async (res) => {
    const s = res.ok ? await res.json() : {};
    if (s.name) {
      csrf = s.csrf;
      signedIn(s.name);
      await loadAll();
    } else if (tokenInput.value) await loadAll();
  }).catch((e) => say(String(e.message || e)));
})();
`;
