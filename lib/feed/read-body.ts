/**
 * A response's body, read while it streams and abandoned as soon as it passes
 * `maxBytes` ("endless data"): a declared Content-Length over the limit is
 * refused before reading, and a body that never ends costs at most the limit.
 * `tooLarge` makes the error (with the declared length when that was the reason).
 * Used by the feed client and by the publisher's fetcher.
 */
export async function readBodyUpTo(res: Response, maxBytes: number, tooLarge: (declared?: number) => Error): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
