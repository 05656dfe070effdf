/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a temp
 * folder, pg_ctl start on a free port (unix socket in the same folder), stop
 * and delete afterwards. Uses Debian's binaries (/usr/lib/postgresql/N/bin);
 * a missing PostgreSQL is an error. PostgreSQL refuses to run as root, so as
 * root the commands run as the `postgres` user through runuser, in a folder
 * owned by it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) throw new Error('PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql');
  return join(root, versions[0]!, 'bin');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const running = new Set<string>();
process.once('exit', () => {
  // Last resort when a test run ends without stop(): never leave a postmaster behind.
  for (const data of running) {
    try {
      execFileSync(...command(join(postgresBinDir(), 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']), { stdio: 'ignore' });
    } catch {}
  }
});

export interface PgOptions {
  /** fsync off: faster, for tests (the database survives a crash of the server process, not of the machine). Default true. */
  fast?: boolean;
}

export async function startPostgres(opts: PgOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  try {
    await run(...command(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']));
    const port = await freePort();
    const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c max_connections=100', ...(opts.fast !== false ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : [])];
    running.add(data);
    await run(...command(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']));
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      async stop() {
        try {
          await run(...command(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']));
        } finally {
          running.delete(data);
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    let log = '';
    try {
      log = execFileSync('tail', ['-20', join(dir, 'log')], { encoding: 'utf8' });
    } catch {}
    running.delete(data);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot start a PostgreSQL cluster: ${(e as Error).message}${log ? `\n${log}` : ''}`);
  }
}

/** A fresh empty database in the cluster, for one test file or backend run. */
export async function createDatabase(cluster: PgCluster, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
  return cluster.url.replace(/\/postgres$/, `/${name}`);
}
