/** Which sites the extension runs on, and pages the reader dismissed. Pure logic. */
export type SiteMode = 'all' | 'only-listed' | 'all-but-listed';

/** Normalises a user-typed site ("https://www.Example.com/x" → "example.com"). */
export function normaliseSite(input: string): string | undefined {
  let s = input.trim().toLowerCase();
  if (!s) return undefined;
  if (!/^[a-z]+:\/\//.test(s)) s = `https://${s}`;
  try {
    const host = new URL(s).hostname.replace(/^www\./, '').replace(/\.$/, '');
    return /^[a-z0-9.-]+$/.test(host) && host.includes('.') ? host : host === 'localhost' ? host : undefined;
  } catch {
    return undefined;
  }
}

/** True when host is the site or one of its subdomains. */
export function onSite(host: string, site: string): boolean {
  host = host.toLowerCase().replace(/^www\./, '');
  return host === site || host.endsWith(`.${site}`);
}

export function siteAllowed(host: string, mode: SiteMode, sites: readonly string[], hidden: readonly string[]): boolean {
  if (hidden.some((s) => onSite(host, s))) return false;
  if (mode === 'all') return true;
  const listed = sites.some((s) => onSite(host, s));
  return mode === 'only-listed' ? listed : !listed;
}

/** Key of a "not a copy" dismissal: the page address without fragment, and the original. */
export function dismissalKey(url: string, originalId: string): string {
  let u = url;
  try {
    const x = new URL(url);
    x.hash = '';
    u = x.href;
  } catch {
    /* keep as given */
  }
  return `${u}\n${originalId}`;
}
