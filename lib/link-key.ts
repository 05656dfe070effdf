/**
 * A link target's address as link marks compare it (lib/background/link-service.ts):
 * http and https alike, the host lower-cased without "www.", no fragment, no
 * trailing slash, tracking parameters (utm_*, spm, from, share tokens) left out,
 * the other parameters sorted. Undefined for anything but an http(s) address.
 */
const TRACKING = /^(utm_\w+|spm|from|share_token|share_source|scene|ref|fbclid|gclid)$/i;

export function linkKey(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  const params = [...u.searchParams].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const search = params.length ? `?${new URLSearchParams(params).toString()}` : '';
  const path = u.pathname.replace(/\/+$/, '') || '';
  return `${host}${u.port ? `:${u.port}` : ''}${path}${search}`;
}

/** FNV-1a, 32 bits, over UTF-16 code units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
