/** npm run -s index -- build | keygen | delta | verify | serve (see USAGE). */
import { availableParallelism } from 'node:os';
import { FeaturePipeline, FeaturePool } from '../index/feature-pool';
import { DEFAULT_MEMORY_BYTES, StreamingIndexBuilder } from '../index/stream-build';
import { DICTIONARY_FILE, loadDictionary } from '../translate/load-dictionary';
import { readFile, rmdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { FeedError, sameAddress } from '../feed/format';
import { buildDelta, buildFeed, keygen, readOwnManifest, readPublicKey, revokeKey, rotateKey, verifyFeed } from '../feed/publish';
import type { OriginalInput } from '../index/types';
import { EXIT, fsReason, loadRegistry, parseOptions, runCli, UserError } from './cli-support';
import { printable } from './printable';
import { startStaticServer } from './static-server';
import { readOriginals, type Skipped } from './read-originals';

const USAGE = `Usage:
  npm run -s index -- build --in SRC [--in …] --out DIR [--no-text] [--no-translate] [--registry FILE]
                      [--memory MB] [--tmp DIR] [--jobs N]
  npm run -s index -- build --in SRC [--in …] --out DIR --key KEY --url URL [--url …] [--feed ID]
                      [--version N] [--expires-days 30] [--shard-originals 20000] [--title TEXT]
                      [--next NEXT_KEY.pub] [--no-translate]
  npm run -s index -- keygen --out KEY
  npm run -s index -- delta --from FEED_DIR [--in SRC …] [--remove IDS_FILE] --out DIR --key KEY
                      [--url URL …] [--version N] [--next NEXT_KEY.pub] [--no-translate]
  npm run -s index -- rotate --out FEED_DIR --new NEW_KEY [--key OLD_KEY] [--next NEXT_KEY.pub]
  npm run -s index -- revoke --out FEED_DIR --key KEY [--reason TEXT]
  npm run -s index -- verify DIR --pub KEY.pub [--url URL]
  npm run -s index -- serve DIR [--port 8080]
  npm run -s index -- outlets [--format table|json] [--registry FILE]

SRC is a JSONL file with one {id, outlet, url, title, published, lang, text}
object per line (outlet: the registry id or any of the outlet's names in any
script, case or width — \`outlets\` lists them — or left out when the url's
domain is the outlet's; a value close to a known outlet is refused with a
suggestion, a new one is kept as given; published an ISO 8601 date such as
2026-03-14, lang a language tag such as en, zh-Hans or zh-TW, either empty when
unknown), a folder of such files and/or saved HTML pages (the outlet
comes from the page's domain), a .txt list of article addresses (one per
line), or the address of an RSS or Atom feed. Pages are fetched politely: one
request per second per host, 20 s time limit, 5 MB size limit, a User-Agent
naming this tool, honouring robots.txt.

build       without --key: an index folder (what the scan command reads);
            with --key: a signed feed folder (manifest.json, its signature, shards).
            Builds in one streaming pass in bounded memory at any number of originals:
            fingerprints wait in sorted runs on disk, under a folder made in --tmp
            (default: inside --out) and removed at the end; --memory MB (default
            ${DEFAULT_MEMORY_BYTES / 2 ** 20}) is what they may take in memory before a run goes to disk.
            --jobs N: fingerprint on N worker threads (default: the number of
            processors, here ${availableParallelism()}; 1: on the main thread). The output is the same.
            --url: the address of manifest.json where the feed is published
            (required for a new feed; subscribers at any other address refuse it).
keygen      writes KEY (private, mode 600) and KEY.pub ("ed25519:…", for subscribers).
delta       the next version of a feed: FEED_DIR's originals less those listed in
            IDS_FILE (one id per line) and less those that SRC replaces, plus SRC;
            written as a full index and as a delta from the previous version
            (with neither --in nor --remove: the same originals, renewed).
            --out may be FEED_DIR itself.
--version   at most 1,000 versions a day since 2026-01-01 at the manifest's date
            (subscribers refuse more: no manifest can lock a feed out).
--next      commits to the next key (keep it offline): from then on only that key
            can rotate the feed's key, even if the current one is stolen.
rotate      records a hand-over of the feed's key to NEW_KEY (signed by NEW_KEY,
            and by OLD_KEY when the feed committed to no next key); the next version
            published with --key NEW_KEY carries it, and subscribers then refuse OLD_KEY.
revoke      revokes the feed's current key (signed by it): subscribers refuse it from
            their next sync on; the feed continues only by a rotation to the committed
            next key, or as a new subscription with a new key.
verify      checks a feed folder as the extension does (key rotations, signature,
            limits, dates, address with --url, sizes, hashes, every record);
            exits 0 if it is good, 1 with the reason if not.
serve       serves a folder on http://127.0.0.1 for development and tests, and says
            whether the manifest names that address.
outlets     lists the outlet registry (id, names, domains) as a table or JSON;
            --registry FILE reads another registry instead of the bundled one.
--no-text leaves the original texts out (smaller; no side-by-side evidence;
            and no translated copies are judged: the translation tier needs
            the original's text to align sentences, so without it it has no verdict).
--no-translate  leaves the translation tier out (postings-translate.bin: keys of
            each original for finding Chinese ↔ English translations, about 120
            bytes per original; built by default, from the dictionary
            public/translate/zh-en.txt). In a feed (--key, delta) each shard's part
            is a file of its own, named with its SHA-256 in the signed manifest;
            extensions from before the tier ignore it and read the feed as before.

Exit code: 0 done (serve: stopped by Ctrl-C or SIGTERM); 1 an input could not be
read or was refused (named on stderr); 2 a usage error.`;

export async function indexMain(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const commands: Record<string, (args: string[]) => Promise<number>> = { build, keygen: keygenMain, delta, rotate, revoke, verify, serve, outlets };
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!command) throw new UserError(`no command given (${Object.keys(commands).join(', ')}; see --help)`);
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run) throw new UserError(`unknown command "${printable(command, 60)}" (${Object.keys(commands).join(', ')}; see --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof FeedError) throw new UserError(printable(e.message, 1000), EXIT.failed);
    throw e;
  }
}

const FEED_OPTIONS = {
  key: { type: 'string' },
  feed: { type: 'string' },
  title: { type: 'string' },
  version: { type: 'string' },
  'expires-days': { type: 'string' },
  'shard-originals': { type: 'string' },
  url: { type: 'string', multiple: true },
  next: { type: 'string' },
} as const;

function count(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--${name} must be a positive whole number`);
  return n;
}

/** Checks --url values: http(s) addresses of manifest.json. */
function feedUrls(urls: string[] | undefined): string[] | undefined {
  if (!urls?.length) return undefined;
  return urls.map((u) => {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      throw new UserError(`--url ${printable(u, 200)} is not a web address (give the address of manifest.json, e.g. https://feeds.example.org/analyst/manifest.json)`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new UserError(`--url ${printable(u, 200)} must be an https address`);
    if (!parsed.pathname.endsWith('/manifest.json')) process.stderr.write(`index: note: --url ${printable(u, 200)} does not end in /manifest.json; subscribers must use exactly this address\n`);
    return parsed.href;
  });
}

function feedOptions(values: { feed?: string; title?: string; version?: string; 'expires-days'?: string; 'shard-originals'?: string; created?: string; 'no-text'?: boolean; registry?: string; url?: string[] }, out: string) {
  const feed = values.feed ?? (basename(resolve(out)).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'feed');
  return {
    feed,
    title: values.title,
    urls: feedUrls(values.url),
    version: count(values.version, 'version', 1),
    created: values.created,
    expiresDays: count(values['expires-days'], 'expires-days', 30),
    shardOriginals: count(values['shard-originals'], 'shard-originals', 20_000),
    withText: !values['no-text'],
    registryFile: values.registry,
  };
}

/** A skipped record as one printable line. */
const skippedLine = (s: Skipped) => `skipped ${printable(s.where)}: ${printable(s.reason, 500)}`;

/** --out must be a folder (made when missing), not a file. */
async function checkOutFolder(out: string): Promise<void> {
  const st = await stat(out).catch(() => undefined);
  if (st && !st.isDirectory()) throw new UserError(`--out ${printable(out)} is a file: give a folder (it is made when it does not exist)`, EXIT.failed);
}

/** Reads originals from every SRC, reporting what was skipped. */
async function collect(inputs: string[], registryFile: string | undefined, onEach: (rec: OriginalInput) => boolean | Promise<boolean>, skipped: Skipped[]): Promise<number> {
  const registry = loadRegistry(registryFile);
  let read = 0;
  const tty = !!process.stderr.isTTY && !process.env.CI;
  for await (const rec of readOriginals(inputs, registry, skipped)) {
    read++;
    if (!(await onEach(rec))) skipped.push({ where: `id ${rec.id}`, reason: 'duplicate id (first one kept)' });
    if (tty && read % 1000 === 0) process.stderr.write(`\rindexing: ${read} originals read…`);
  }
  if (tty && read >= 1000) process.stderr.write('\r\x1b[K');
  return read;
}

interface BuildValues {
  in?: string[];
  out?: string;
  'no-text'?: boolean;
  registry?: string;
  created?: string;
  key?: string;
  feed?: string;
  title?: string;
  version?: string;
  'expires-days'?: string;
  'shard-originals'?: string;
  url?: string[];
  next?: string;
}

async function build(args: string[]): Promise<number> {
  const { values } = parseOptions({
    args,
    options: {
      in: { type: 'string', multiple: true },
      out: { type: 'string' },
      'no-text': { type: 'boolean', default: false },
      'no-translate': { type: 'boolean', default: false },
      registry: { type: 'string' },
      created: { type: 'string' },
      memory: { type: 'string' },
      tmp: { type: 'string' },
      jobs: { type: 'string' },
      ...FEED_OPTIONS,
    },
  });
  if (!values.in?.length) throw new UserError('build needs --in ORIGINALS.jsonl, a folder of saved pages, or an RSS/Atom address');
  if (!values.out) throw new UserError('build needs --out DIR');
  if (values.created !== undefined && Number.isNaN(Date.parse(values.created))) throw new UserError('--created must be an ISO date');
  await checkOutFolder(values.out);
  const registry = loadRegistry(values.registry);
  // The translation tier (in a feed: a file of its own per shard, which older readers ignore).
  const translate = values['no-translate'] ? undefined : loadDictionary();
  const memory = values.memory === undefined ? DEFAULT_MEMORY_BYTES / 2 ** 20 : Number(values.memory);
  if (!Number.isFinite(memory) || memory < 16) throw new UserError('--memory must be a number of megabytes, at least 16');
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UserError('--jobs must be a whole number from 1 to 256');
  const outExisted = await stat(values.out).then(() => true, () => false);
  const builder = new StreamingIndexBuilder({ keepText: !values['no-text'], created: values.key ? '' : values.created, translate, memoryBytes: memory * 2 ** 20, tmpDir: values.tmp ?? values.out });
  try {
    return await buildWith(builder, values, registry, jobs === 1 ? undefined : () => new FeaturePool(jobs, { ...builder.fingerprinting, dictionary: translate ? DICTIONARY_FILE : undefined }));
  } finally {
    builder.dispose();
    // A build that wrote nothing leaves no folder behind (the temporary files' folder made it).
    if (!outExisted) await rmdir(values.out).catch(() => undefined);
  }
}

async function buildWith(builder: StreamingIndexBuilder, values: BuildValues, registry: ReturnType<typeof loadRegistry>, makePool?: () => FeaturePool): Promise<number> {
  const inputs = values.in!;
  const out = values.out!;
  const skipped: Skipped[] = [];
  if (makePool) {
    // Fingerprinted on worker threads (once the input is more than a few hundred originals), added here in input order: the output is the same.
    const queued = new Set<string>();
    const pipeline = new FeaturePipeline<OriginalInput>(
      makePool,
      (text) => builder.featuresOf(text),
      (rec, f) => {
        queued.delete(rec.id);
        builder.add(rec, f);
      },
    );
    try {
      await collect(inputs, values.registry, async (rec) => {
        if (builder.has(rec.id) || queued.has(rec.id)) return false;
        queued.add(rec.id);
        await pipeline.push(rec);
        return true;
      }, skipped);
      await pipeline.finish();
    } finally {
      await pipeline.close();
    }
  } else await collect(inputs, values.registry, (rec) => !builder.has(rec.id) && builder.add(rec) >= 0, skipped);
  if (builder.size === 0) {
    for (const s of skipped) process.stderr.write(`${skippedLine(s)}\n`);
    const what = skipped.length ? `${skipped.length} record${skipped.length === 1 ? '' : 's'} skipped, listed above` : 'no records in it';
    throw new UserError(`no originals to index in ${inputs.map((i) => printable(i)).join(', ')} (${what})`, EXIT.failed);
  }
  if (values.key) {
    const o = feedOptions(values, out);
    // Over an existing feed: only forward. A lower or equal version would be refused by every subscriber as a rollback.
    const existing = await readOwnManifest(out).catch(() => undefined);
    if (existing && (values.version === undefined || o.version <= existing.version))
      throw new UserError(
        `${values.out} already holds feed "${existing.feed}" version ${existing.version}: use \`delta --from ${values.out}\` for the next version, ` +
          `or build --version ${existing.version + 1} (or higher) to publish a rebuilt full index`,
      );
    const m = await buildFeed(out, (shardOriginals) => builder.segment(shardOriginals, o.withText), values.key, { ...o, registryFile: values.registry, nextKey: values.next ? await readPublicKey(values.next) : undefined });
    const bytes = m.full.shards.reduce((n, s) => n + s.bytes + (s.translate?.bytes ?? 0), 0);
    process.stdout.write(
      `feed "${m.feed}" version ${m.version}: ${m.full.originals} originals in ${m.full.shards.length} shard(s), ${bytes} bytes (${(bytes / m.full.originals).toFixed(0)} per original), expires ${m.expires}\n` +
        `  written to ${values.out}; publish it at ${m.urls.join(', ')}; subscribers need ${values.key}.pub\n` +
        (m.keys?.next ? '  committed to the next key: only it can rotate this feed\'s key\n' : '') +
        `  skipped: ${skipped.length}\n`,
    );
    for (const s of skipped) process.stdout.write(`  ${skippedLine(s)}\n`);
    return 0;
  }
  const index = builder.writeIndexDir(out, !values['no-text']);
  const sizes = index.sizes;
  const outlets = builder.outlets;
  const unknown = [...outlets].filter((o) => !registry.find(o));
  const bytes = (sizes['postings.bin'] ?? 0) + (sizes['originals.ndjson'] ?? 0);
  process.stdout.write(
    `indexed ${index.header.originals} originals from ${outlets.size} outlets into ${values.out}\n` +
      `  fingerprints: ${index.header.postings} postings, ${index.header.distinctHashes} distinct hashes, ${index.header.stopHashes} stop-hashes dropped\n` +
      `  size: ${bytes} bytes without texts (${(bytes / index.header.originals).toFixed(0)} bytes per original)\n` +
      (index.header.translate
        ? `  translation tier: ${sizes['postings-translate.bin'] ?? 0} bytes (${((sizes['postings-translate.bin'] ?? 0) / index.header.originals).toFixed(0)} per original)${values['no-text'] ? '; without texts it finds no translated copy (it aligns sentences of the original)' : ''}\n`
        : '  translation tier: left out (--no-translate)\n') +
      (unknown.length ? `  outlets not in the registry (kept as given): ${unknown.join(', ')}\n` : '') +
      `  skipped: ${skipped.length}\n`,
  );
  for (const s of skipped) process.stdout.write(`  ${skippedLine(s)}\n`);
  return 0;
}

async function keygenMain(args: string[]): Promise<number> {
  const { values } = parseOptions({ args, options: { out: { type: 'string' } } });
  if (!values.out) throw new UserError('keygen needs --out KEY');
  const pub = await keygen(values.out);
  process.stdout.write(`wrote ${values.out} (private, mode 600; keep it secret) and ${values.out}.pub:\n${pub}\n`);
  return 0;
}

async function delta(args: string[]): Promise<number> {
  const { values } = parseOptions({
    args,
    options: { from: { type: 'string' }, in: { type: 'string', multiple: true }, remove: { type: 'string' }, out: { type: 'string' }, 'no-text': { type: 'boolean', default: false }, 'no-translate': { type: 'boolean', default: false }, registry: { type: 'string' }, created: { type: 'string' }, ...FEED_OPTIONS },
  });
  if (!values.from) throw new UserError('delta needs --from FEED_DIR (the previous version)');
  if (!values.out) throw new UserError('delta needs --out DIR');
  if (!values.key) throw new UserError('delta needs --key KEY');
  await checkOutFolder(values.out);

  const added: OriginalInput[] = [];
  const ids = new Set<string>();
  const skipped: Skipped[] = [];
  if (values.in?.length) await collect(values.in, values.registry, (rec) => !ids.has(rec.id) && !!ids.add(rec.id) && added.push(rec) > 0, skipped);
  const remove = values.remove
    ? (await readFile(values.remove, 'utf8').catch((e: unknown) => {
        throw new UserError(`cannot read --remove ${printable(values.remove!)}: ${fsReason(e)}`, EXIT.failed);
      })).split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
    : [];
  const prev = await readOwnManifest(values.from);
  const o = feedOptions({ ...values, feed: values.feed ?? prev.feed }, values.out);
  const { manifest, delta: d } = await buildDelta(values.from, values.out, added, remove, values.key, {
    ...o,
    version: values.version === undefined ? undefined : o.version,
    title: values.title,
    nextKey: values.next ? await readPublicKey(values.next) : undefined,
    translate: values['no-translate'] ? undefined : loadDictionary(),
  });
  const bytes = d.shards.reduce((n, s) => n + s.bytes + (s.translate?.bytes ?? 0), 0);
  process.stdout.write(
    `feed "${manifest.feed}" version ${manifest.version}: ${manifest.full.originals} originals\n` +
      `  delta ${d.from}→${d.to}: +${d.originals} originals, −${d.removed}, ${bytes} bytes\n  deltas listed: ${manifest.deltas.map((x) => `${x.from}→${x.to}`).join(', ')}\n  skipped: ${skipped.length}\n`,
  );
  for (const s of skipped) process.stdout.write(`  ${skippedLine(s)}\n`);
  return 0;
}

async function rotate(args: string[]): Promise<number> {
  const { values } = parseOptions({ args, options: { out: { type: 'string' }, new: { type: 'string' }, key: { type: 'string' }, next: { type: 'string' }, created: { type: 'string' } } });
  if (!values.out) throw new UserError('rotate needs --out FEED_DIR (the feed folder)');
  if (!values.new) throw new UserError('rotate needs --new NEW_KEY (make one with: index -- keygen --out NEW_KEY)');
  const r = await rotateKey(values.out, values.new, { oldKeyFile: values.key, nextKey: values.next ? await readPublicKey(values.next) : undefined, created: values.created });
  process.stdout.write(
    `rotation of the feed's key recorded in ${values.out}/keys.json: ${r.from} → ${r.to}\n` +
      `  publish the next version signed with the new key (e.g. index -- delta --from ${values.out} --out ${values.out} --key ${values.new});\n` +
      `  subscribers follow it at their next sync and refuse the old key from then on\n`,
  );
  return 0;
}

async function revoke(args: string[]): Promise<number> {
  const { values } = parseOptions({ args, options: { out: { type: 'string' }, key: { type: 'string' }, reason: { type: 'string' }, created: { type: 'string' } } });
  if (!values.out) throw new UserError('revoke needs --out FEED_DIR (the feed folder)');
  if (!values.key) throw new UserError('revoke needs --key KEY (the key to revoke; it signs its own revocation)');
  const r = await revokeKey(values.out, values.key, { reason: values.reason, created: values.created });
  process.stdout.write(
    `key ${r.key} revoked; ${values.out}/manifest.json carries the revocation (publish it as it is)\n` +
      (r.manifest.keys?.next
        ? `  subscribers refuse this key from their next sync; continue the feed with the committed next key: index -- rotate --out ${values.out} --new NEXT_KEY\n`
        : `  subscribers refuse this key from their next sync; the feed committed to no next key, so readers must subscribe again with a new key\n`),
  );
  return 0;
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, options: { pub: { type: 'string' }, url: { type: 'string' } }, allowPositionals: true });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UserError('verify needs one feed folder: verify DIR --pub KEY.pub');
  if (!values.pub) throw new UserError('verify needs --pub KEY.pub');
  await feedFolder(dir);
  // --pub takes the KEY.pub file or the "ed25519:…" text itself.
  const pub = values.pub.trim().startsWith('ed25519:')
    ? values.pub.trim()
    : await readFile(values.pub, 'utf8').catch((e: unknown) => {
        throw new UserError(`cannot read --pub ${printable(values.pub!)}: ${fsReason(e)} (give the KEY.pub file, or the "ed25519:…" key itself)`, EXIT.failed);
      });
  if (/PRIVATE KEY/.test(pub)) throw new UserError(`${printable(values.pub)} is a private key: give the public one (KEY.pub)`);
  if (!/^\s*ed25519:/.test(pub)) throw new UserError(`${printable(values.pub)} holds no public key: it must hold "ed25519:" and 44 base64 characters (KEY.pub)`);
  try {
    const { manifest, checked } = await verifyFeed(dir, pub.trim(), Date.now(), values.url === undefined ? undefined : feedUrls([values.url])![0]);
    process.stdout.write(`feed "${manifest.feed}" version ${manifest.version} is good (signed, expires ${manifest.expires}; published at ${manifest.urls.join(', ')})\n`);
    for (const c of checked) process.stdout.write(`  ${c}: ok\n`);
    return 0;
  } catch (e) {
    if (e instanceof FeedError) {
      process.stderr.write(`index: feed ${printable(dir)} is refused: ${printable(e.message, 1000)}\n`);
      return 1;
    }
    throw e;
  }
}

async function outlets(args: string[]): Promise<number> {
  const { values } = parseOptions({ args, options: { format: { type: 'string', default: 'table' }, registry: { type: 'string' } } });
  if (values.format !== 'table' && values.format !== 'json') throw new UserError('--format must be table or json');
  const registry = loadRegistry(values.registry);
  const rows = registry.outlets.map((o) => ({
    id: o.id,
    names: o.names,
    aliases: o.aliases,
    abbreviations: o.abbreviations,
    domains: o.domains,
    partners: o.partners,
  }));
  if (values.format === 'json') {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const lines = rows.map((r) => [r.id, [...new Set([...Object.values(r.names), ...r.aliases, ...r.abbreviations])].join(', '), r.domains.join(' ')]);
  const head = ['id', 'names and aliases', 'domains'];
  const width = (i: number) => Math.max(head[i]!.length, ...lines.map((l) => displayWidth(l[i]!)));
  const [w0, w1] = [width(0), Math.min(width(1), 90)];
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  process.stdout.write([head, ...lines].map((l) => `${pad(l[0]!, w0)}  ${pad(l[1]!, w1)}  ${l[2]}`.trimEnd()).join('\n') + '\n');
  process.stdout.write(`\n${rows.length} outlets. In originals, "outlet" may be the id or any name above, in any case, width or script.\n`);
  return 0;
}

/** Terminal columns of a string: East Asian wide characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) || ch.codePointAt(0)! > 0x1ffff ? 2 : 1;
  return w;
}

/** A folder to verify or serve, or the one-line reason it is none. */
async function feedFolder(dir: string, what = 'verify'): Promise<void> {
  const st = await stat(dir).catch((e: unknown) => {
    throw new UserError(`cannot read the folder ${printable(dir)}: ${fsReason(e)}`, EXIT.failed);
  });
  if (!st.isDirectory()) throw new UserError(`${printable(dir)} is a file, not a folder: ${what === 'serve' ? 'serve takes the folder to serve' : 'verify takes the feed folder (where manifest.json is)'}`, EXIT.failed);
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions({ args, options: { port: { type: 'string' } }, allowPositionals: true });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UserError('serve needs one folder: serve DIR [--port 8080]');
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError('--port must be 0–65535');
  await feedFolder(dir, 'serve');
  // Listen for the stop before the server starts: a signal during start-up must not kill the process half-way.
  const stopped = new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  const server = await startStaticServer(dir, port).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`cannot listen on 127.0.0.1:${port}: ${fsReason(e)}`, EXIT.failed);
  });
  const here = `${server.origin}/manifest.json`;
  process.stdout.write(`serving ${printable(dir)} on ${server.origin}/ (manifest: ${here}); Ctrl-C stops\n`);
  // Subscribers refuse a manifest that does not name the address they subscribed at: say so now.
  const m = await readOwnManifest(dir).catch(() => undefined);
  if (m && !m.urls.some((u) => sameAddress(u, here)))
    process.stdout.write(
      `note: the manifest names ${m.urls.length ? m.urls.join(', ') : 'no address (format 1)'}, not ${here}: subscribers at this address will refuse it ` +
        `(publish with --url ${here} to test it here)\n`,
    );
  await stopped;
  await server.close();
  return 0;
}

await runCli('index', indexMain);
