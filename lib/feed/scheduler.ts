/**
 * When and how feeds are synced, free of extension APIs (the background
 * passes in storage, alarms and the network): one sync at a time, a periodic
 * alarm re-created at start-up, exponential backoff with jitter after a
 * failure (never sooner than the server's Retry-After), and a status per
 * feed in plain words for the popup and the options page.
 */
import { liveOriginals, sourceOf, sweepStaging, type IndexDb } from '../store/index-db';
import { FeedError, KeyRevokedError, type FeedErrorCode, type KeyTrust, type RetiredKey } from './format';
import { lapseOf, type Lapse } from './lapse';
import { abandonJob, isStale, syncFeed, type FeedSource, type SyncOutcome } from './sync';

/** What the client trusts for one feed's keys (lib/feed/key-chain.ts), kept outside the index database. */
export interface FeedKeyRecord extends KeyTrust {
  feed: string;
}

export interface FeedSubscription {
  /** Address of the feed's manifest.json. */
  url: string;
  /** "ed25519:…" as the publisher gives it. */
  publicKey: string;
  addedAt: string;
}

export interface FeedStatus {
  url: string;
  /** Feed id and title, once a manifest was read. */
  feed?: string;
  title?: string;
  version?: number;
  originals?: number;
  expires?: string;
  /** The installed version has expired: lookups still use it, the popup says it may be out of date. */
  stale?: boolean;
  /** Expired past the grace period, or its key revoked: its originals no longer mark copies on their own (lib/feed/lapse.ts). */
  lapsed?: Lapse;
  /** The feed's key was revoked by its publisher. */
  revoked?: RetiredKey;
  /** The last rotation of the feed's key that this client followed. */
  keyRotated?: RetiredKey;
  lastAttempt?: string;
  lastSuccess?: string;
  lastError?: string;
  errorCode?: FeedErrorCode;
  /** Consecutive failures (for the backoff). */
  failures: number;
  nextAttempt?: string;
  /** What a running sync is doing. */
  stage?: string;
}

export interface AlarmsLike {
  get(name: string): Promise<{ scheduledTime: number; periodInMinutes?: number } | undefined>;
  create(name: string, info: { when?: number; periodInMinutes?: number; delayInMinutes?: number }): Promise<void> | void;
  clear(name: string): Promise<boolean | void> | void;
}

export interface SchedulerDeps {
  db: () => IndexDb;
  subscriptions: () => Promise<FeedSubscription[]>;
  loadStatus: () => Promise<Record<string, FeedStatus>>;
  saveStatus: (status: Record<string, FeedStatus>) => Promise<void>;
  alarms: AlarmsLike;
  source: (sub: FeedSubscription) => FeedSource;
  /** Highest version installed per feed id and key (kept apart from the index database, so it survives a rebuild). */
  loadFloors: () => Promise<Record<string, number>>;
  saveFloors: (floors: Record<string, number>) => Promise<void>;
  /** What is trusted of each feed's keys (kept apart from the index database, like the floors). */
  loadKeys?: () => Promise<FeedKeyRecord[]>;
  saveKeys?: (keys: FeedKeyRecord[]) => Promise<void>;
  /** The subscription at `url` now trusts `publicKey` (the feed rotated its key): the subscription is updated. */
  updateKey?: (url: string, publicKey: string) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Yields between import batches (open pages stay responsive). */
  pause?: () => Promise<void>;
  /** Told after a sync changed the active index. */
  onInstalled?: (outcome: SyncOutcome) => void;
  /** Told after a refused sync still changed the active index (a feed's key revoked: its originals lapse). */
  onChanged?: () => void;
}

export const SYNC_ALARM = 'feed-sync';
export const RETRY_ALARM = 'feed-retry';
/** Periodic sync every 6 hours. */
export const PERIOD_MINUTES = 360;
const MINUTE = 60_000;

/**
 * Milliseconds to wait after the n-th consecutive failure: 1, 2, 4 … minutes
 * up to 6 hours, times a random factor in [0.5, 1.5) so that thousands of
 * readers do not retry in step; never less than the server's Retry-After
 * (capped at a day).
 */
export function backoffDelay(failures: number, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  const base = Math.min(PERIOD_MINUTES * MINUTE, MINUTE * 2 ** Math.max(0, failures - 1));
  const jittered = Math.round(base * (0.5 + random()));
  const floor = retryAfterSeconds === undefined ? 0 : Math.min(retryAfterSeconds, 86_400) * 1000;
  return Math.max(jittered, floor);
}

export class FeedScheduler {
  private running?: Promise<Record<string, FeedStatus>>;
  private readonly now: () => number;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.now ?? Date.now;
  }

  get busy(): boolean {
    return !!this.running;
  }

  /** Resolves when no sync runs (e.g. before a feed is removed, so that no sync re-adds it). */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** At start-up and install: the periodic alarm exists, and a pending retry is scheduled (alarms can be lost). */
  async ensureAlarms(): Promise<void> {
    const { alarms } = this.deps;
    if (!(await alarms.get(SYNC_ALARM))) await alarms.create(SYNC_ALARM, { delayInMinutes: 1, periodInMinutes: PERIOD_MINUTES });
    const status = await this.deps.loadStatus();
    const subs = new Set((await this.deps.subscriptions()).map((s) => s.url));
    const due = Object.values(status)
      .filter((s) => subs.has(s.url) && s.failures > 0 && s.nextAttempt)
      .map((s) => Date.parse(s.nextAttempt!));
    if (due.length && !(await alarms.get(RETRY_ALARM))) await alarms.create(RETRY_ALARM, { when: Math.max(this.now() + 1000, Math.min(...due)) });
  }

  /**
   * At start-up: a sync that the stopped worker left part-way resumes now
   * (unless its feed is in backoff); imports of feeds no longer subscribed
   * are dropped, and so are staging rows that no import resumes.
   */
  async resumeInterrupted(): Promise<void> {
    const db = this.deps.db();
    const jobs = await db.jobs.toArray();
    let resumed: typeof jobs = [];
    if (jobs.length) {
      const status = await this.deps.loadStatus();
      const subs = new Set((await this.deps.subscriptions()).map((s) => s.url));
      const known = new Set(Object.values(status).filter((s) => subs.has(s.url)).map((s) => s.feed));
      for (const job of jobs) if (!known.has(job.feed)) await abandonJob(db, job.feed);
      resumed = jobs.filter((j) => known.has(j.feed));
    }
    // Rows of imports a stopped worker left that no job resumes (the bundled index's, a job's
    // generation allocated just before the stop) are deleted.
    await sweepStaging(db, new Set(resumed.flatMap((j) => j.steps.map((s) => s.gen)))).catch(() => undefined);
    if (resumed.length) await this.syncAll(false);
  }

  /** Runs `fn` while no sync runs, and holds syncs off until it is done (removing a feed, say). */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.idle();
    const task = fn();
    this.running = task.then(
      () => this.deps.loadStatus(),
      () => this.deps.loadStatus(),
    ).finally(() => (this.running = undefined));
    return task;
  }

  async onAlarm(name: string): Promise<void> {
    if (name === SYNC_ALARM || name === RETRY_ALARM) await this.syncAll(false);
  }

  /**
   * Syncs every subscribed feed that is due (all of them when `force`, as for
   * "Sync now"). A second call while one runs gets the running one's result.
   */
  syncAll(force: boolean): Promise<Record<string, FeedStatus>> {
    this.running ??= this.run(force).finally(() => (this.running = undefined));
    return this.running;
  }

  /** Status of every subscription, with staleness computed now. */
  async status(): Promise<FeedStatus[]> {
    const [subs, status, active] = await Promise.all([this.deps.subscriptions(), this.deps.loadStatus(), this.deps.db().active()]);
    return subs.map((sub) => {
      const s = status[sub.url] ?? { url: sub.url, failures: 0 };
      const rec = s.feed ? sourceOf(active, s.feed) : undefined;
      const lapsed = lapseOf(rec, this.now());
      const revoked = rec?.revoked ?? s.revoked;
      return { ...s, stale: s.feed ? isStale(active, s.feed, this.now()) : false, ...(lapsed ? { lapsed } : {}), ...(revoked ? { revoked } : {}) };
    });
  }

  private async run(force: boolean): Promise<Record<string, FeedStatus>> {
    const subs = await this.deps.subscriptions();
    const status = await this.deps.loadStatus();
    // Forget feeds no longer subscribed.
    for (const url of Object.keys(status)) if (!subs.some((s) => s.url === url)) delete status[url];
    const floors = await this.deps.loadFloors();
    const floorKey = (feed: string, key: string) => `${feed} ${key}`;
    const keys = (await this.deps.loadKeys?.()) ?? [];
    for (const sub of subs) {
      const st: FeedStatus = (status[sub.url] ??= { url: sub.url, failures: 0 });
      // Periodic runs skip only feeds in backoff after a failure; "Sync now" runs them all.
      if (!force && st.failures > 0 && st.nextAttempt && Date.parse(st.nextAttempt) > this.now()) continue;
      st.lastAttempt = new Date(this.now()).toISOString();
      st.stage = 'starting';
      await this.deps.saveStatus(status);
      try {
        const outcome = await syncFeed(
          {
            db: this.deps.db(),
            now: this.now,
            pause: this.deps.pause,
            onStage: (stage) => {
              st.stage = stage;
              void this.deps.saveStatus(status);
            },
            onManifest: (m) => {
              st.feed = m.feed;
              if (m.title) st.title = m.title;
              else delete st.title;
            },
            floorFor: async (feed, key) => (Object.hasOwn(floors, floorKey(feed, key)) ? floors[floorKey(feed, key)] : undefined),
            trustFor: async (feed) => {
              const k = keys.find((x) => x.feed === feed);
              return k && { key: k.key, ...(k.next ? { next: k.next } : {}), retired: k.retired };
            },
            saveTrust: async (feed, trust) => {
              const i = keys.findIndex((x) => x.feed === feed);
              const rec = { feed, ...trust };
              if (i >= 0) keys[i] = rec;
              else keys.push(rec);
              await this.deps.saveKeys?.(keys);
            },
          },
          this.deps.source(sub),
          sub,
        );
        const active = await this.deps.db().active();
        st.feed = outcome.feed;
        st.version = outcome.version;
        st.expires = outcome.expires;
        st.originals = liveOriginals((active?.segments ?? []).filter((s) => s.feed === outcome.feed));
        const fk = floorKey(outcome.feed, outcome.publicKey);
        if (outcome.version > ((Object.hasOwn(floors, fk) ? floors[fk] : 0) ?? 0)) {
          floors[fk] = outcome.version;
          await this.deps.saveFloors(floors);
        }
        // The feed moved to another key: the subscription follows it (the old key is refused from now on).
        if (outcome.publicKey !== sub.publicKey.trim()) {
          await this.deps.updateKey?.(sub.url, outcome.publicKey);
          sub.publicKey = outcome.publicKey;
        }
        if (outcome.rotated.length) st.keyRotated = outcome.rotated.at(-1)!;
        delete st.revoked;
        st.lastSuccess = new Date(this.now()).toISOString();
        st.failures = 0;
        delete st.lastError;
        delete st.errorCode;
        st.nextAttempt = new Date(this.now() + PERIOD_MINUTES * MINUTE).toISOString();
        if (outcome.status === 'installed') this.deps.onInstalled?.(outcome);
      } catch (e) {
        const err = e instanceof FeedError ? e : new FeedError('other', (e as Error).message);
        st.failures += 1;
        st.lastError = err.message;
        st.errorCode = err.code;
        if (e instanceof KeyRevokedError) {
          st.revoked = e.revoked;
          this.deps.onChanged?.();
        }
        st.nextAttempt = new Date(this.now() + backoffDelay(st.failures, err.retryAfter, this.deps.random)).toISOString();
      } finally {
        delete st.stage;
        await this.deps.saveStatus(status);
      }
    }
    const retries = Object.values(status).filter((s) => s.failures > 0 && s.nextAttempt).map((s) => Date.parse(s.nextAttempt!));
    await this.deps.alarms.clear(RETRY_ALARM);
    if (retries.length) await this.deps.alarms.create(RETRY_ALARM, { when: Math.min(...retries) });
    return status;
  }
}
