/**
 * A small static file server bound to 127.0.0.1, for the demo and the
 * end-to-end tests. Serves files under a root folder (no directory escape),
 * with optional extra routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

export interface StaticServer {
  server: Server;
  origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(root: string, port = 0, routes: Route[] = []): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      for (const route of routes) if (await route(req, res, url)) return;
      let path = normalize(join(base, decodeURIComponent(url.pathname)));
      if (path !== base && !path.startsWith(base + sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      if ((await stat(path).catch(() => undefined))?.isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      // Saved pages declare their own charset; send none for them so the browser reads the <meta>.
      const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      // Any origin may read (feeds are fetched by the extension's background, which has no host permission for them).
      res.writeHead(200, { 'content-type': type.startsWith('text/html') ? 'text/html' : type, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
      res.end(body);
    } catch {
      if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    origin: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
