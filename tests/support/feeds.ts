/** Test feeds: keys, feed folders built from the fixture originals, and a local HTTP server with faults. */
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexBuilder } from '../../lib/index/build-index';
import type { OriginalInput } from '../../lib/index/types';
import { keygen } from '../../lib/feed/publish';

export async function tempDir(prefix = 'feed-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function newKey(): Promise<{ key: string; pub: string }> {
  const dir = await tempDir('key-');
  const key = join(dir, 'feed.key');
  const pub = await keygen(key);
  return { key, pub };
}

export function buildIndex(originals: OriginalInput[]) {
  const b = new IndexBuilder({ created: '' });
  for (const o of originals) b.add(o);
  return b.finish();
}

/** All files of a folder (relative path → bytes). */
export async function readTree(dir: string, rel = ''): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of await readTree(dir, path)) out.set(k, v);
    else out.set(path, await readFile(join(dir, path)));
  }
  return out;
}

export type Fault = (path: string, body: Buffer) => { status?: number; headers?: Record<string, string>; body?: Buffer; trickleMs?: number; endless?: boolean } | undefined;

/** Serves a feed folder (or the folder `dir()` names at each request) on 127.0.0.1; `fault` may change any answer. Counts requests per path. */
export async function serveFeed(dir: string | (() => string), fault?: () => Fault | undefined) {
  const root = typeof dir === 'string' ? () => dir : dir;
  const hits = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    hits.set(path, (hits.get(path) ?? 0) + 1);
    let body: Buffer | undefined;
    try {
      body = await readFile(join(root(), path));
    } catch {
      body = undefined;
    }
    const f = fault?.()?.(path, body ?? Buffer.alloc(0));
    if (f?.endless) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        if (res.destroyed) return;
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      res.on('close', () => undefined);
      pump();
      return;
    }
    const status = f?.status ?? (body ? 200 : 404);
    const data = f?.body ?? body ?? Buffer.from('not found');
    if (f?.trickleMs) {
      res.writeHead(status, { 'content-length': String(data.length), ...f.headers });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= data.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(data.subarray(i, i + 16));
        i += 16;
      }, f.trickleMs);
      return;
    }
    res.writeHead(status, { 'content-length': String(data.length), ...f?.headers });
    res.end(data);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/manifest.json`,
    hits,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
