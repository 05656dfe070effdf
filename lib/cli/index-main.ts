/**
 * npm run -s index -- build --in ORIGINALS.jsonl|FOLDER [--in …] --out DIR [--no-text]
 */
import { parseArgs } from 'node:util';
import { IndexBuilder } from '../index/build-index';
import { writeIndexDir } from '../index/index-dir';
import { loadRegistry, runCli, UserError } from './cli-support';
import { readOriginals, type Skipped } from './read-originals';

const USAGE = `Usage:
  npm run -s index -- build --in ORIGINALS.jsonl|FOLDER [--in …] --out DIR [--no-text] [--registry FILE]

Builds an index folder from originals: JSONL files with one
{id, outlet, url, title, published, lang, text} object per line, and/or
folders of saved HTML pages (the outlet comes from the page's domain).
--no-text leaves the original texts out (smaller; no side-by-side evidence).`;

export async function indexMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  if (command !== 'build') throw new UserError(`unknown command "${command}" (expected: build)\n${USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      in: { type: 'string', multiple: true },
      out: { type: 'string' },
      'no-text': { type: 'boolean', default: false },
      registry: { type: 'string' },
      created: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!values.in?.length) throw new UserError('build needs --in ORIGINALS.jsonl or a folder of saved pages');
  if (!values.out) throw new UserError('build needs --out DIR');
  const registry = loadRegistry(values.registry);
  const builder = new IndexBuilder({ keepText: !values['no-text'], created: values.created });
  const skipped: Skipped[] = [];
  let read = 0;
  const tty = !!process.stderr.isTTY && !process.env.CI;
  for await (const rec of readOriginals(values.in, registry, skipped)) {
    read++;
    if (builder.has(rec.id)) {
      skipped.push({ where: `id ${rec.id}`, reason: 'duplicate id (first one kept)' });
      continue;
    }
    builder.add(rec);
    if (tty && read % 1000 === 0) process.stderr.write(`\rindexing: ${read} originals read…`);
  }
  if (tty && read >= 1000) process.stderr.write('\r\x1b[K');
  if (builder.size === 0) {
    for (const s of skipped) process.stderr.write(`skipped ${s.where}: ${s.reason}\n`);
    throw new UserError('no originals to index', 1);
  }
  const index = builder.finish();
  const sizes = await writeIndexDir(values.out, index, !values['no-text']);
  const outlets = new Set(index.metas.map((m) => m.outlet));
  const unknown = [...outlets].filter((o) => !registry.get(o));
  const bytes = (sizes['postings.bin'] ?? 0) + (sizes['originals.ndjson'] ?? 0);
  process.stdout.write(
    `indexed ${index.header.originals} originals from ${outlets.size} outlets into ${values.out}\n` +
      `  fingerprints: ${index.header.postings} postings, ${index.header.distinctHashes} distinct hashes, ${index.header.stopHashes} stop-hashes dropped\n` +
      `  size: ${bytes} bytes without texts (${(bytes / index.header.originals).toFixed(0)} bytes per original)\n` +
      (unknown.length ? `  outlets not in the registry (kept as given): ${unknown.join(', ')}\n` : '') +
      `  skipped: ${skipped.length}\n`,
  );
  for (const s of skipped) process.stdout.write(`  skipped ${s.where}: ${s.reason}\n`);
  return 0;
}

await runCli('index', indexMain);
