/**
 * The collection server's address: https, or http only on this machine
 * (127.0.0.1, localhost, ::1). The setting is the server's base URL; reports
 * go to {base}/api/reports.
 */
export interface Endpoint {
  /** Normalised base URL without a trailing slash. */
  base: string;
  /** Where reports are posted. */
  reportsUrl: string;
  /** The match pattern of the origin, for the host permission (ports are not part of match patterns). */
  originPattern: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase());
}

/** Parses an endpoint setting; throws an Error whose message says what is wrong. */
export function parseEndpoint(input: string): Endpoint {
  const text = input.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`not a URL: ${text || '(empty)'}`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname)))
    throw new Error('the endpoint must use https (plain http only on 127.0.0.1 or localhost)');
  if (u.username || u.password) throw new Error('the endpoint must not contain a user name or password (use the token)');
  if (u.search || u.hash) throw new Error('the endpoint must not contain a query or fragment');
  const base = (u.origin + u.pathname).replace(/\/+$/, '');
  return { base, reportsUrl: `${base}/api/reports`, originPattern: `${u.protocol}//${u.hostname}/*` };
}
