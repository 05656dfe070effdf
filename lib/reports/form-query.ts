/**
 * The report form's query string (report.html?url=&title=&tab=[&unit=]) for a tab, as
 * the context menu and the popup open it. Only web pages can be reported.
 */
export function reportFormQuery(page: { url?: string; title?: string; tabId?: number; unit?: string }): Record<string, string> | undefined {
  let u: URL;
  try {
    u = new URL(page.url ?? '');
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const query: Record<string, string> = { url: u.href, title: page.title ?? '' };
  if (page.tabId !== undefined && page.tabId >= 0) query.tab = String(page.tabId);
  // A post of the tab's timeline page: the form takes that post's result.
  if (page.tabId !== undefined && page.unit) query.unit = page.unit;
  return query;
}
