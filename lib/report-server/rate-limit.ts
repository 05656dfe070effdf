/** A token bucket per key: `perMinute` requests of burst, refilled evenly over a minute. */
export class RateLimiter {
  private readonly buckets = new Map<string | number, { tokens: number; at: number }>();
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** 0 when the request may go ahead (and is counted); otherwise the seconds to wait. */
  take(key: string | number): number {
    if (this.perMinute <= 0) return 0;
    const t = this.now();
    const refill = this.perMinute / 60_000; // tokens per millisecond
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: t };
    b.tokens = Math.min(this.perMinute, b.tokens + (t - b.at) * refill);
    b.at = t;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / refill / 1000));
  }
}
