/**
 * The report collection server.
 *
 *   npm run -s report-server -- [--port 8787] [--host 127.0.0.1] [--data ./report-data] [--rate 60]
 *                               [--anon-rate 60] [--token-failures 20] [--trust-proxy]
 *   npm run -s report-server -- token create NAME [--admin] [--data DIR]
 *   npm run -s report-server -- token list [--data DIR]
 *   npm run -s report-server -- token revoke NAME [--data DIR]
 *
 * With DATABASE_URL set, reports and tokens live in PostgreSQL instead of DIR/reports.sqlite.
 * Files the process creates are readable by its own user only (umask 077).
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { describeStore, openStore, type StoreConfig } from '../report-server/open-store';
import { tokenHash } from '../report-server/schema';
import { startReportServer } from '../report-server/server';
import { EXIT, fsReason, parseOptions, runCli, UserError } from './cli-support';
import { printable } from './printable';

const USAGE = `usage:
  npm run -s report-server -- [--port PORT] [--host 127.0.0.1] [--data DIR] [--rate N]
                              [--anon-rate N] [--token-failures N] [--trust-proxy]
  npm run -s report-server -- token create NAME [--admin] [--data DIR]
  npm run -s report-server -- token list [--data DIR]
  npm run -s report-server -- token revoke NAME [--data DIR]

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
      admin: { type: 'boolean' },
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
  if (positionals.length) throw new UserError(`unknown command ${printable(positionals[0]!, 60)} (the server takes options only; token create|list|revoke manage tokens; see --help)`);
  if (values.admin) throw new UserError('--admin belongs to token create');
  const port = intOption(values.port, 'port', 8787, 65535);
  const rate = intOption(values.rate, 'rate', 60, 1_000_000);
  const anonRate = intOption(values['anon-rate'], 'anon-rate', 60, 1_000_000);
  const tokenFailures = intOption(values['token-failures'], 'token-failures', 20, 1_000_000);
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
