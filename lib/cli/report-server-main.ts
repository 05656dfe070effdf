/**
 * The report collection server.
 *
 *   npm run -s report-server -- [--port 8787] [--host 127.0.0.1] [--data ./report-data] [--rate 60]
 *                               [--anon-rate 60] [--token-failures 20] [--trust-proxy]
 *   npm run -s report-server -- token create NAME [--admin] [--data DIR]
 *   npm run -s report-server -- token list [--data DIR]
 *   npm run -s report-server -- token revoke NAME [--data DIR]
 *   npm run -s report-server -- user add NAME --role reporter|reviewer|admin [--password-stdin] [--data DIR]
 *   npm run -s report-server -- user list|disable NAME|password NAME [--password-stdin] [--data DIR]
 *   npm run -s report-server -- case list [--status S] | merge INTO FROM --as NAME | split CASE URL --as NAME [--data DIR]
 *   npm run -s report-server -- publish --period 2026-W48 [--from D --to D] --out DIR [--lang en|zh] [--data DIR]
 *
 * With DATABASE_URL set, reports and tokens live in PostgreSQL instead of DIR/reports.sqlite.
 * Files the process creates are readable by its own user only (umask 077).
 */
import { randomBytes } from 'node:crypto';
import { CASE_STATUSES, CentreError, listCases, mergeCases, splitCopy, type CaseStatus } from '../report-server/cases';
import { addUser, atLeast, checkPassword, disableUser, findUser, hashPassword, listUsers, ROLES, setPassword, type Role } from '../report-server/users';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePeriod, PeriodError } from '../report-server/period';
import { publishReport } from '../report-server/publish';
import { REPORT_LANGS, type ReportLang } from '../report-server/publish-text';
import { DEFAULT_SIGNALS, type SignalOptions } from '../report-server/signals';
import { describeStore, openStore, type StoreConfig } from '../report-server/open-store';
import { tokenHash } from '../report-server/schema';
import { startReportServer } from '../report-server/server';
import { EXIT, fsReason, parseOptions, runCli, UserError } from './cli-support';
import { printable } from './printable';

const USAGE = `usage:
  npm run -s report-server -- [--port PORT] [--host 127.0.0.1] [--data DIR] [--rate N]
                              [--anon-rate N] [--token-failures N] [--trust-proxy]
                              [--confirmations 2] [--login-failures 10]
  npm run -s report-server -- token create NAME [--admin] [--data DIR]
  npm run -s report-server -- token list [--data DIR]
  npm run -s report-server -- token revoke NAME [--data DIR]
  npm run -s report-server -- user add NAME --role reporter|reviewer|admin [--password-stdin] [--data DIR]
  npm run -s report-server -- user list [--data DIR]
  npm run -s report-server -- user disable NAME [--data DIR]
  npm run -s report-server -- user password NAME [--password-stdin] [--data DIR]
  npm run -s report-server -- case list [--status open|confirmed|dismissed] [--data DIR]
  npm run -s report-server -- case merge INTO FROM --as NAME [--data DIR]
  npm run -s report-server -- case split CASE URL --as NAME [--data DIR]
  npm run -s report-server -- publish --period 2026-W48 [--from DATE --to DATE] --out DIR [--lang en|zh] [--data DIR]
                              [--signal-accounts 3] [--signal-hours 6] [--signal-minutes 30] [--signal-repeats 3]

user add      a named account; reviewers and admins log in at /review with its password (printed once,
              or read from the first line of stdin with --password-stdin; at least 12 characters)
user disable  ends its sessions and refuses its logins and the tokens of that name
case merge    moves case FROM into case INTO; case split moves the copy URL out of CASE into a new
              case; --as names the reviewer or admin account the audit log records
--confirmations N    different reviewers whose confirmations confirm a case (default 2)
--login-failures N   failed logins per hour per client address and per account name, burst N
                     (default 10; 0: no limit); then 429 with Retry-After
publish       a public report of the confirmed cases first seen in the period (an ISO week 2026-W48,
              a month 2026-11 or a day 2026-11-23, in UTC; --from/--to dates narrow it or stand
              for it): index.html, report.json and CSV files in DIR; the same database and period
              give the same bytes (centre.md); --lang zh writes index.html in Simplified Chinese
              (the JSON and CSV files are the same in both languages)
--signal-accounts N, --signal-hours T    coordination signal: one original re-posted by N or more
                     accounts within T hours (defaults 3 and 6; also for the server's /api/signals)
--signal-minutes M, --signal-repeats K   coordination signal: an account re-posting one outlet within
                     M minutes of the earliest known copy in K or more cases (defaults 30 and 3)
token revoke  refuses that name's tokens from then on (a running server within 30 s); their reports stay
--data DIR   folder of the SQLite database (default ./report-data; ignored when DATABASE_URL is set)
--rate N     POST /api/reports per minute per token, as a token bucket with a burst of N (default 60; 0: no limit)
--anon-rate N        requests without a valid token (review page, preflights, 401, 404) per minute per
                     client address, burst N (default 60; 0: no limit); then 429 with Retry-After
--token-failures N   unknown tokens per hour per client address, burst N (default 20; 0: no limit); past
                     it, no token from that address is looked at until the bucket refills (429)
--trust-proxy        the client address is the last X-Forwarded-For entry (only behind a reverse proxy
                     that sets it: otherwise clients could pick their own address)
DATABASE_URL=postgres://…  use PostgreSQL instead of SQLite

Ctrl-C or SIGTERM stops the server (exit 0). Exit code 1: the data folder, the database or
the port cannot be used, or no such token; 2: a usage error.
`;

function intOption(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new UserError(`--${name} must be a whole number from 0 to ${max}`);
  return Number(value);
}

async function tokenCreate(args: string[], cfg: StoreConfig, admin: boolean): Promise<number> {
  const [name, ...rest] = args;
  if (rest.length) throw new UserError(`unexpected argument ${printable(rest[0]!, 80)} (token create takes one NAME; quote a name with spaces)`);
  if (!name?.trim()) throw new UserError('token create needs a NAME (who the token is for)');
  if (name.length > 200) throw new UserError('NAME must be at most 200 characters');
  const token = randomBytes(32).toString('base64url');
  const store = await open(cfg);
  try {
    await store.createToken(name.trim(), admin, tokenHash(token));
  } finally {
    await store.close();
  }
  process.stdout.write(`${token}\n`);
  process.stderr.write(`${admin ? 'admin' : 'reporter'} token for ${name.trim()} stored in ${describeStore(cfg)}; it is shown only now\n`);
  return 0;
}

async function tokenAdmin(command: 'list' | 'revoke', args: string[], cfg: StoreConfig): Promise<number> {
  if (command === 'list' && args.length) throw new UserError(`unexpected argument ${printable(args[0]!, 80)} (token list takes none)`);
  if (command === 'revoke' && (args.length !== 1 || !args[0]!.trim())) throw new UserError('token revoke needs the NAME the token was created for');
  const store = await open(cfg);
  try {
    if (command === 'list') {
      for (const t of await store.listTokens())
        process.stdout.write(`${t.name}\t${t.admin ? 'admin' : 'reporter'}\tcreated ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`);
      return 0;
    }
    const n = await store.revokeTokens(args[0]!.trim(), new Date().toISOString());
    if (!n) throw new UserError(`no live token named ${printable(args[0]!.trim(), 200)} (token list shows the names)`, 1);
    process.stdout.write(`revoked ${n} token${n > 1 ? 's' : ''} of ${args[0]!.trim()}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function userCommand(command: string | undefined, args: string[], cfg: StoreConfig, values: { role?: string; 'password-stdin'?: boolean }): Promise<number> {
  const needName = () => {
    if (args.length !== 1 || !args[0]!.trim()) throw new UserError(`user ${command} needs one NAME (quote a name with spaces)`);
    if (args[0]!.trim().length > 200) throw new UserError('NAME must be at most 200 characters');
    return args[0]!.trim();
  };
  const password = async () => {
    const pw = values['password-stdin'] ? await readPasswordFromStdin() : randomBytes(18).toString('base64url');
    const e = checkPassword(pw);
    if (e) throw new UserError(`--password-stdin: ${e}`, EXIT.failed);
    return { pw, generated: !values['password-stdin'] };
  };
  if (command === 'list') {
    if (args.length) throw new UserError(`unexpected argument ${printable(args[0]!, 80)} (user list takes none)`);
    const store = await open(cfg);
    try {
      for (const u of await listUsers(store.db))
        process.stdout.write(`${u.name}\t${u.role}\tcreated ${u.createdAt}${u.hasPassword ? '' : '\tno password'}${u.disabledAt ? `\tdisabled ${u.disabledAt}` : ''}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  if (command === 'add') {
    const name = needName();
    if (!values.role || !(ROLES as readonly string[]).includes(values.role)) throw new UserError(`user add needs --role ${ROLES.join('|')}`);
    const { pw, generated } = await password();
    const hash = await hashPassword(pw);
    const store = await open(cfg);
    try {
      if (await findUser(store.db, name)) throw new UserError(`an account named ${printable(name, 200)} exists already (user list shows them)`, EXIT.failed);
      await addUser(store.db, name, values.role as Role, hash);
    } finally {
      await store.close();
    }
    if (generated) process.stdout.write(`${pw}\n`);
    process.stderr.write(`${values.role} account ${name} stored in ${describeStore(cfg)}${generated ? '; its password is shown only now' : ''}\n`);
    return 0;
  }
  if (command === 'disable' || command === 'password') {
    const name = needName();
    if (values.role) throw new UserError('--role belongs to user add');
    const { pw, generated } = command === 'password' ? await password() : { pw: '', generated: false };
    const hash = command === 'password' ? await hashPassword(pw) : '';
    const store = await open(cfg);
    try {
      const done = command === 'disable' ? await disableUser(store.db, name) : await setPassword(store.db, name, hash);
      if (!done) throw new UserError(`no ${command === 'disable' ? 'live ' : ''}account named ${printable(name, 200)} (user list shows them)`, EXIT.failed);
    } finally {
      await store.close();
    }
    if (generated) process.stdout.write(`${pw}\n`);
    process.stderr.write(command === 'disable' ? `disabled ${name}: its sessions ended, its logins and tokens are refused\n` : `new password for ${name}${generated ? ' (shown only now)' : ''}; its sessions ended\n`);
    return 0;
  }
  throw new UserError(`${command ? `unknown command user ${printable(command, 60)}` : 'user needs a command'}: user add NAME --role ROLE, user list, user disable NAME, user password NAME`);
}

function caseId(v: string | undefined, what: string): number {
  if (!v || !/^\d{1,15}$/.test(v) || Number(v) < 1) throw new UserError(`${what} must be a case id (a whole number)`);
  return Number(v);
}

async function caseCommand(command: string | undefined, args: string[], cfg: StoreConfig, values: { as?: string; status?: string; confirmations?: string }): Promise<number> {
  if (command === 'list') {
    if (args.length) throw new UserError(`unexpected argument ${printable(args[0]!, 80)} (case list takes none)`);
    if (values.status && !(CASE_STATUSES as readonly string[]).includes(values.status)) throw new UserError(`--status must be one of ${CASE_STATUSES.join(', ')}`);
    const store = await open(cfg);
    try {
      let before: number | undefined;
      for (;;) {
        const page = await listCases(store.db, { limit: 500, before, ...(values.status ? { status: values.status as CaseStatus } : {}) });
        for (const c of page)
          process.stdout.write(`${c.id}\t${c.status}\t${printable(c.outlet || '-', 100)}\t${printable(c.originalUrl || c.originalId || '-', 300)}\t${c.copies} copies\t${c.reports} reports\tfirst seen ${c.firstSeen}\n`);
        if (page.length < 500) break;
        before = page[page.length - 1]!.id;
      }
    } finally {
      await store.close();
    }
    return 0;
  }
  if (command !== 'merge' && command !== 'split')
    throw new UserError(`${command ? `unknown command case ${printable(command, 60)}` : 'case needs a command'}: case list, case merge INTO FROM --as NAME, case split CASE URL --as NAME`);
  if (args.length !== 2) throw new UserError(command === 'merge' ? 'case merge needs INTO and FROM (case ids)' : 'case split needs CASE (an id) and the URL of one of its copies');
  if (!values.as?.trim()) throw new UserError(`case ${command} needs --as NAME: the reviewer or admin account the audit log records`);
  const first = caseId(args[0], command === 'merge' ? 'INTO' : 'CASE');
  const store = await open(cfg);
  try {
    const who = await findUser(store.db, values.as.trim());
    if (!who || who.disabledAt || !atLeast(who.role, 'reviewer')) throw new UserError(`--as ${printable(values.as, 200)}: no live reviewer or admin account of that name (user list shows them)`, EXIT.failed);
    const actor = `${who.name} (command line)`;
    if (command === 'merge') {
      const r = await mergeCases(store.db, first, caseId(args[1], 'FROM'), actor, intOption(values.confirmations, 'confirmations', 2, 100));
      process.stdout.write(`merged case ${r.merged} into case ${r.id}; it is ${r.status}\n`);
    } else {
      const r = await splitCopy(store.db, first, args[1]!, actor);
      process.stdout.write(`moved ${r.url} out of case ${r.from} into new case ${r.id}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof CentreError) throw new UserError(e.message, EXIT.failed);
    throw e;
  } finally {
    await store.close();
  }
}

function signalOptions(values: Record<string, unknown>): SignalOptions {
  const v = (name: string) => values[name] as string | undefined;
  const positive = (name: string, fallback: number, max: number) => {
    const n = intOption(v(name), name, fallback, max);
    if (n < 1) throw new UserError(`--${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  return {
    accounts: positive('signal-accounts', DEFAULT_SIGNALS.accounts, 1000),
    hours: positive('signal-hours', DEFAULT_SIGNALS.hours, 24 * 366),
    minutes: intOption(v('signal-minutes'), 'signal-minutes', DEFAULT_SIGNALS.minutes, 60 * 24 * 366),
    repeats: positive('signal-repeats', DEFAULT_SIGNALS.repeats, 100_000),
  };
}

async function publishCommand(args: string[], cfg: StoreConfig, values: Record<string, unknown>): Promise<number> {
  if (args.length) throw new UserError(`unexpected argument ${printable(args[0]!, 80)} (publish takes options only)`);
  let period;
  try {
    period = parsePeriod({ period: values.period as string | undefined, from: values.from as string | undefined, to: values.to as string | undefined });
  } catch (e) {
    if (e instanceof PeriodError) throw new UserError(printable(e.message, 300));
    throw e;
  }
  const out = values.out as string | undefined;
  if (!out) throw new UserError('publish needs --out DIR (the folder the report is written to)');
  const lang = (values.lang ?? 'en') as string;
  if (!(REPORT_LANGS as readonly string[]).includes(lang)) throw new UserError(`--lang ${printable(lang, 40)}: must be ${REPORT_LANGS.join(' or ')} (the language of index.html)`);
  const signals = signalOptions(values);
  const st = await stat(out).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UserError(`--out ${printable(out)} is a file: give a folder (it is made when it does not exist)`, EXIT.failed);
  const store = await open(cfg);
  let report;
  try {
    report = await publishReport(store.db, period, signals, lang as ReportLang);
  } finally {
    await store.close();
  }
  try {
    await mkdir(out, { recursive: true });
    for (const [name, data] of report.files) await writeFile(join(out, name), data);
  } catch (e) {
    throw new UserError(`cannot write the report to ${printable(out)}: ${fsReason(e)}`, EXIT.failed);
  }
  process.stdout.write(`published ${period.label} (${period.from.slice(0, 10)} to ${new Date(Date.parse(period.to) - 1).toISOString().slice(0, 10)}): ${report.cases} confirmed case${report.cases === 1 ? '' : 's'} in ${printable(out)} (${[...report.files.keys()].join(', ')})\n`);
  return 0;
}

/** The configured store, or a one-line reason it cannot be opened. */
async function open(cfg: StoreConfig) {
  if (cfg.databaseUrl) {
    let ok = false;
    try {
      ok = /^postgres(?:ql)?:$/.test(new URL(cfg.databaseUrl).protocol);
    } catch {
      /* not an address */
    }
    if (!ok) throw new UserError('DATABASE_URL is not a postgres://user@host:port/database address', EXIT.failed);
  } else {
    const st = await stat(cfg.dataDir).catch(() => undefined);
    if (st && !st.isDirectory()) throw new UserError(`--data ${printable(cfg.dataDir)} is a file: give a folder (it is made when it does not exist)`, EXIT.failed);
  }
  return openStore(cfg).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`cannot open ${describeStore(cfg)}: ${e.code && /^E[A-Z]+$/.test(e.code) ? fsReason(e) : printable(e.message ?? String(e), 300)}`, EXIT.failed);
  });
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      rate: { type: 'string' },
      'anon-rate': { type: 'string' },
      'token-failures': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      confirmations: { type: 'string' },
      'login-failures': { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      as: { type: 'string' },
      status: { type: 'string' },
      admin: { type: 'boolean' },
      period: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      lang: { type: 'string' },
      'signal-accounts': { type: 'string' },
      'signal-hours': { type: 'string' },
      'signal-minutes': { type: 'string' },
      'signal-repeats': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Reports, tokens and the SQLite files are for this user only (the SQLite store also sets 700/600 itself).
  process.umask(0o077);
  const cfg: StoreConfig = { dataDir: values.data ?? 'report-data', databaseUrl: process.env.DATABASE_URL || undefined };
  if (positionals[0] === 'token') {
    if (positionals[1] === 'create') return tokenCreate(positionals.slice(2), cfg, !!values.admin);
    if (positionals[1] === 'list' || positionals[1] === 'revoke') return tokenAdmin(positionals[1], positionals.slice(2), cfg);
    throw new UserError(`${positionals[1] ? `unknown command token ${printable(positionals[1], 60)}` : 'token needs a command'}: token create NAME [--admin], token list, token revoke NAME`);
  }
  if (positionals[0] === 'user') return userCommand(positionals[1], positionals.slice(2), cfg, values);
  if (positionals[0] === 'case') return caseCommand(positionals[1], positionals.slice(2), cfg, values);
  if (positionals[0] === 'publish') return publishCommand(positionals.slice(1), cfg, values);
  if (positionals.length) throw new UserError(`unknown command ${printable(positionals[0]!, 60)} (the server takes options only; token, user and case manage tokens, accounts and cases; publish writes a public report; see --help)`);
  for (const o of ['role', 'password-stdin', 'as', 'status'] as const) if (values[o] !== undefined) throw new UserError(`--${o} belongs to the user and case commands`);
  for (const o of ['period', 'from', 'to', 'out', 'lang'] as const) if (values[o] !== undefined) throw new UserError(`--${o} belongs to the publish command`);
  if (values.admin) throw new UserError('--admin belongs to token create');
  const port = intOption(values.port, 'port', 8787, 65535);
  const rate = intOption(values.rate, 'rate', 60, 1_000_000);
  const anonRate = intOption(values['anon-rate'], 'anon-rate', 60, 1_000_000);
  const tokenFailures = intOption(values['token-failures'], 'token-failures', 20, 1_000_000);
  const confirmations = intOption(values.confirmations, 'confirmations', 2, 100);
  if (confirmations < 1) throw new UserError('--confirmations must be a whole number from 1 to 100');
  const loginFailures = intOption(values['login-failures'], 'login-failures', 10, 1_000_000);
  const signals = signalOptions(values);
  // Listen for the stop before the server starts: a signal during start-up must not kill the process half-way.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const store = await open(cfg);
  const running = await startReportServer({
    store,
    host: values.host ?? '127.0.0.1',
    port,
    ratePerMinute: rate,
    anonymousPerMinute: anonRate,
    tokenFailuresPerHour: tokenFailures,
    trustProxy: !!values['trust-proxy'],
    confirmations,
    loginFailuresPerHour: loginFailures,
    signals,
  }).catch(async (e: NodeJS.ErrnoException) => {
    await store.close();
    throw new UserError(`cannot listen on ${printable(values.host ?? '127.0.0.1', 100)}:${port}: ${e.code === 'ENOTFOUND' ? 'no such host' : fsReason(e)}`, EXIT.failed);
  });
  process.stdout.write(`report-server: listening on ${running.origin} (${describeStore(cfg)}); review page ${running.origin}/review\n`);
  await stopped;
  await running.close();
  await store.close();
  return 0;
}

await runCli('report-server', main);
