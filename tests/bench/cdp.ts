/**
 * A minimal DevTools-protocol client for the benchmarks (the browser's own
 * endpoint, opened with --remote-debugging-port and found through the profile's
 * DevToolsActivePort file): what Playwright does not reach, such as the heap of
 * an extension's service worker. Needs Node's WebSocket (Node 20: --experimental-websocket).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export class Cdp {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown; error?: { message: string } };
      const w = m.id === undefined ? undefined : this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id!);
      if (m.error) w.reject(new Error(m.error.message));
      else w.resolve(m.result);
    });
  }

  /** Connects to the browser whose profile is `userDataDir` (started with --remote-debugging-port=0). */
  static async connect(userDataDir: string): Promise<Cdp> {
    if (typeof WebSocket !== 'function') throw new Error('the benchmark needs Node’s WebSocket (node --experimental-websocket)');
    let port = '';
    let path = '';
    for (let i = 0; i < 50 && !port; i++) {
      try {
        [port = '', path = ''] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!port) throw new Error('no DevToolsActivePort: was the browser started with --remote-debugging-port=0?');
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', () => reject(new Error('DevTools connection failed')), { once: true });
    });
    return new Cdp(ws);
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.next++;
    this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  /** The heap of the service worker whose script address starts with `urlPrefix`, after a full collection. */
  async workerHeap(urlPrefix: string): Promise<{ usedMB: number; totalMB: number; backingMB: number }> {
    const { targetInfos } = await this.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(urlPrefix));
    if (!target) throw new Error(`no service worker at ${urlPrefix}`);
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
    try {
      await this.send('HeapProfiler.collectGarbage', {}, sessionId);
      const u = await this.send<{ usedSize: number; totalSize: number; backingStorageSize?: number }>('Runtime.getHeapUsage', {}, sessionId);
      const mb = (b: number) => b / 2 ** 20;
      return { usedMB: mb(u.usedSize), totalMB: mb(u.totalSize), backingMB: mb(u.backingStorageSize ?? 0) };
    } finally {
      await this.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    }
  }

  close(): void {
    this.ws.close();
  }
}
