/** Shared pieces of the command-line tools: errors, registry and index loading, progress. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OutletRegistry, parseRegistry } from '../credit/registry';

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
    throw new UserError(`cannot read outlet registry ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  try {
    return new OutletRegistry(parseRegistry(JSON.parse(text)));
  } catch (e) {
    throw new UserError(`outlet registry ${path}: ${(e as Error).message}`);
  }
}

/** Runs a CLI main, turning UserErrors into one line on stderr and an exit code. */
export async function runCli(name: string, main: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${name}: ${(e as Error).message}\nTry: npm run -s ${name} -- --help\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${name}: internal error: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 70;
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
