/**
 * A token bucket per key (Turner 1986; the "leaky bucket as a meter"):
 * `limit` requests of burst, refilled evenly over `windowMs` (a minute by
 * default). Buckets are kept in least-recently-used order and at most
 * `maxKeys` of them: past that the oldest is forgotten (it comes back full),
 * so that many client addresses cannot grow the map without bound.
 */
export interface RateLimiterOptions {
  /** The time in ms over which `limit` tokens refill; 60,000 by default. */
  windowMs?: number;
  /** Buckets kept at most; 100,000 by default. */
  maxKeys?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string | number, { tokens: number; at: number }>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  constructor(
    private readonly limit: number,
    private readonly now: () => number = () => performance.now(),
    options: RateLimiterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Tokens per millisecond. */
  private get refill(): number {
    return this.limit / this.windowMs;
  }

  /** The bucket's tokens now (a key never seen, or forgotten, has a full bucket). */
  private level(key: string | number, t: number): number {
    const b = this.buckets.get(key);
    return b ? Math.min(this.limit, b.tokens + (t - b.at) * this.refill) : this.limit;
  }

  private secondsUntilOne(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.refill / 1000));
  }

  /** 0 when the request may go ahead (and is counted); otherwise the seconds to wait. */
  take(key: string | number): number {
    if (this.limit <= 0) return 0;
    const t = this.now();
    const tokens = this.level(key, t);
    if (tokens < 1) return this.secondsUntilOne(tokens);
    this.buckets.delete(key); // re-inserted last: most recently used
    this.buckets.set(key, { tokens: tokens - 1, at: t });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }

  /** Gives back a token that take() counted (for a request that turned out not to count). */
  refund(key: string | number): void {
    if (this.limit <= 0) return;
    const b = this.buckets.get(key);
    if (!b) return; // forgotten: full already
    const t = this.now();
    b.tokens = Math.min(this.limit, this.level(key, t) + 1);
    b.at = t;
  }

  /** 0 when a request could go ahead now (nothing is counted); otherwise the seconds to wait. */
  wait(key: string | number): number {
    if (this.limit <= 0) return 0;
    const tokens = this.level(key, this.now());
    return tokens < 1 ? this.secondsUntilOne(tokens) : 0;
  }

  /** How many keys are held (for tests). */
  get size(): number {
    return this.buckets.size;
  }
}
