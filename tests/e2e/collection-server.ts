/**
 * A stand-in collection server for the end-to-end tests, on 127.0.0.1: records
 * every request (method, path, headers, body) and answers POST /api/reports
 * with 201 {"id": n, "status": "new"}. The real server comes from another
 * branch; this one only answers what the outbox's contract says.
 */
import { createServer } from 'node:http';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface CollectionServer {
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startCollectionServer(): Promise<CollectionServer> {
  const requests: RecordedRequest[] = [];
  let nextId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.method === 'POST' && req.url === '/api/reports') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: nextId++, status: 'new' }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      }
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
