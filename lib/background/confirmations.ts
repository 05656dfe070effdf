/**
 * The badge's actions that change something (hide on this site, not a copy,
 * report) take effect only in extension UI: the badge asks, the background
 * opens a page of the extension (the confirmation page, or the report form),
 * and only that page's button changes a setting or saves a report. What the
 * request is about (the page's address, the site, the original) comes from
 * the background's own record of the tab, never from the page.
 *
 * At most one such page per source tab at a time: a second request while one
 * is open focuses it instead of opening another, so that a page cannot open
 * tabs by the dozen. Requests expire after ten minutes. Pure but for the
 * injected store and tab functions (storage.session and tabs in the extension).
 */
export type BadgeAction = 'not-a-copy' | 'hide-site' | 'report';

export interface PendingRequest {
  /** Random id carried by the confirmation page's address. */
  id: string;
  action: BadgeAction;
  /** The tab whose badge asked. */
  tabId: number;
  /** The page's address as the browser reported it with the request. */
  url: string;
  title: string;
  /** For "hide on this site": the site (host without www.). */
  site?: string;
  /** For "not a copy": the matched original. */
  originalId?: string;
  originalTitle?: string;
  outlet?: string;
  /** A post of the tab's timeline page (the content script's key), when the request is about that post. */
  unit?: string;
  /** The extension tab that shows the confirmation or the report form. */
  pageTabId?: number;
  at: number;
}

export interface ConfirmationDeps {
  load(): Promise<Record<string, PendingRequest>>;
  save(all: Record<string, PendingRequest>): Promise<void>;
  /** Opens the extension page for a request (next to the source tab); returns the new tab's id. */
  open(request: PendingRequest): Promise<number | undefined>;
  /** Brings an open tab to the front; false when it no longer exists. */
  focus(tabId: number): Promise<boolean>;
  now(): number;
  newId(): string;
}

export const REQUEST_TTL_MS = 10 * 60_000;

export type RequestOutcome = { opened: true; id: string } | { opened: false; reason: 'already-open' };

export class Confirmations {
  /** One change at a time (each reads and rewrites the stored map). */
  private queue: Promise<unknown> = Promise.resolve();
  constructor(private readonly deps: ConfirmationDeps) {}

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async live(): Promise<Record<string, PendingRequest>> {
    const all = await this.deps.load();
    const now = this.deps.now();
    for (const [k, r] of Object.entries(all)) if (now - r.at > REQUEST_TTL_MS) delete all[k];
    return all;
  }

  /** Opens the confirmation page (or the report form) for a tab's request, unless one is open for that tab already. */
  request(req: Omit<PendingRequest, 'id' | 'at' | 'pageTabId'>): Promise<RequestOutcome> {
    return this.serial(async () => {
      const all = await this.live();
      const existing = Object.values(all).find((r) => r.tabId === req.tabId);
      if (existing) {
        if (existing.pageTabId !== undefined && (await this.deps.focus(existing.pageTabId))) {
          await this.deps.save(all);
          return { opened: false, reason: 'already-open' } as const;
        }
        delete all[existing.id]; // its page was closed without an answer
      }
      const pending: PendingRequest = { ...req, id: this.deps.newId(), at: this.deps.now() };
      // Stored before the page opens, so that the page finds it at once.
      all[pending.id] = pending;
      await this.deps.save(all);
      const pageTabId = await this.deps.open(pending);
      if (pageTabId !== undefined) {
        const now = await this.live();
        if (now[pending.id]) {
          now[pending.id] = { ...now[pending.id]!, pageTabId };
          await this.deps.save(now);
        }
      }
      return { opened: true, id: pending.id } as const;
    });
  }

  /** The request a confirmation page shows, if it is still open. */
  async get(id: string): Promise<PendingRequest | undefined> {
    return (await this.live())[id];
  }

  /**
   * Takes a request out to act on it: only the page that was opened for it
   * (the extension tab `fromTab`) may answer it, and only once.
   */
  take(id: string, fromTab: number | undefined): Promise<PendingRequest | undefined> {
    return this.serial(async () => {
      const all = await this.live();
      const r = all[id];
      if (!r || r.pageTabId === undefined || r.pageTabId !== fromTab) return undefined;
      delete all[id];
      await this.deps.save(all);
      return r;
    });
  }

  /** A tab closed: its request (as source or as the page showing it) is forgotten. */
  closed(tabId: number): Promise<void> {
    return this.serial(async () => {
      const all = await this.live();
      let changed = false;
      for (const [k, r] of Object.entries(all))
        if (r.tabId === tabId || r.pageTabId === tabId) {
          delete all[k];
          changed = true;
        }
      if (changed) await this.deps.save(all);
    });
  }
}
