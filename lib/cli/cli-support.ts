/** Shared pieces of the command-line tools: errors, registry and index loading, progress. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OutletRegistry, parseRegistry } from '../credit/registry';
import { printable } from './printable';

/** An error the user can fix: printed as one line, never with a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLED_REGISTRY = `${PROJECT_ROOT}public/outlets.json`;
export const BUNDLED_INDEX = `${PROJECT_ROOT}public/starter/index`;
export const BUNDLED_ORIGINALS = [`${PROJECT_ROOT}public/starter/originals-en.jsonl`, `${PROJECT_ROOT}public/starter/originals-zh.jsonl`];

export function loadRegistry(path = BUNDLED_REGISTRY): OutletRegistry {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the outlet registry ${printable(path)}: ${fsReason(e)}`, 1);
  }
  try {
    return new OutletRegistry(parseRegistry(JSON.parse(text)));
  } catch (e) {
    throw new UserError(`outlet registry ${printable(path)}: ${printable((e as Error).message)}`, 1);
  }
}

/**
 * Exit codes of every command: 0 done (whatever the verdicts); 1 an input
 * could not be read, was refused, or the work failed (named on stderr); 2 a
 * usage error (unknown option, missing or malformed value); 70 an internal
 * error (a bug). A server stopped by SIGINT or SIGTERM exits 0.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70 } as const;

/**
 * parseArgs (strict) with this project's one-line messages instead of Node's:
 * "unknown option --x (options: --a, --b)", "option --out needs a value",
 * "unexpected argument x", every echoed argument made printable.
 */
export function parseOptions<T extends ParseArgsConfig>(config: T): ParsedResults<T> {
  try {
    return parseArgs({ strict: true, ...config } as T) as ParsedResults<T>;
  } catch (e) {
    throw usageErrorOf(e, config);
  }
}
type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

function usageErrorOf(e: unknown, config?: ParseArgsConfig): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (!code.startsWith('ERR_PARSE_ARGS')) return e;
  const message = (e as Error).message;
  const names = Object.entries(config?.options ?? {}).map(([n, o]) => `--${n}${o.type === 'string' ? ' …' : ''}`);
  const known = !config ? ' (see --help)' : !names.length ? ' (this command takes no options)' : names.length > 6 ? ' (see --help for the options)' : ` (options: ${names.join(', ')})`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /^Unknown option '(.*?)'(?:\. To specify|$)/s.exec(message)?.[1] ?? '?';
    return new UserError(`unknown option ${printable(name, 80)}${known}`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /(--[\w-]+)/.exec(message)?.[1] ?? 'an option';
    return new UserError(/does not take an argument/.test(message) ? `option ${name} takes no value` : `option ${name} needs a value`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /^Unexpected argument '(.*?)'\. /s.exec(message)?.[1] ?? '?';
    return new UserError(`unexpected argument ${printable(arg, 80)}${known}`);
  }
  return new UserError(printable(message));
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of that path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  ENOTEMPTY: 'the folder is not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ELOOP: 'too many symbolic links (a loop?)',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
  EBUSY: 'the file is busy',
  EADDRINUSE: 'the address is already in use',
  EADDRNOTAVAIL: 'the address is not available on this machine',
};
const FS_VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the folder',
  rename: 'write',
  unlink: 'remove',
  rm: 'remove',
  rmdir: 'remove',
  scandir: 'list the folder',
  opendir: 'list the folder',
  stat: 'read',
  lstat: 'read',
  access: 'read',
  chmod: 'set the permissions of',
  copyfile: 'copy',
  realpath: 'read',
};

/** The reason in words for a Node system error code (ENOENT → "no such file or folder"). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return FS_REASONS[code] ?? (code || printable((e as Error).message ?? String(e), 120));
}

/** A Node system error (fs, net) as one line: "cannot create the folder out: it already exists". */
export function describeSystemError(e: NodeJS.ErrnoException): string {
  const verb = FS_VERBS[e.syscall ?? ''] ?? e.syscall ?? 'use';
  const path = (e as { dest?: string }).dest && e.syscall === 'rename' ? (e as { dest?: string }).dest : e.path;
  return path ? `cannot ${verb} ${printable(path)}: ${fsReason(e)}` : `${verb}: ${fsReason(e)}`;
}

const isSystemError = (e: unknown): e is NodeJS.ErrnoException =>
  !!e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' && /^E[A-Z]+$/.test((e as { code: string }).code) && typeof (e as { syscall?: unknown }).syscall === 'string';

/**
 * Runs a CLI main. Every failure is one line on stderr, never a stack trace:
 * a UserError as it says; a system error (a file that cannot be read or
 * written, a port in use) naming the path and the reason, exit 1; anything
 * else as an internal error, exit 70 (PROVENANCE_DEBUG=1 adds the stack).
 * Every line is made printable (see printable.ts).
 */
export async function runCli(name: string, main: (argv: string[]) => Promise<number>): Promise<void> {
  // `scan … | head` closes the pipe early: stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const say = (line: string) => process.stderr.write(`${name}: ${printable(line, 2000)}\n`);
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (caught) {
    const e = usageErrorOf(caught);
    if (e instanceof UserError) {
      say(e.message);
      process.exitCode = e.exitCode;
    } else if (isSystemError(e)) {
      say(describeSystemError(e));
      process.exitCode = EXIT.failed;
    } else {
      say(`internal error: ${(e as Error)?.message ?? e} (a bug: please report it with the command that caused it; PROVENANCE_DEBUG=1 shows where)`);
      if (process.env.PROVENANCE_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
      process.exitCode = EXIT.internal;
    }
  }
}

/** A progress bar on stderr, only when stderr is a terminal. */
export class Progress {
  private last = 0;
  private readonly on = !!process.stderr.isTTY && !process.env.CI;
  constructor(private readonly total: number, private readonly label: string) {}
  tick(done: number) {
    if (!this.on || this.total < 20) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`);
  }
  done() {
    if (this.on && this.total >= 20) process.stderr.write('\r\x1b[K');
  }
}
