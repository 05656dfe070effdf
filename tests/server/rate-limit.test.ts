import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../lib/report-server/rate-limit';

describe('token bucket', () => {
  it('allows a burst of N, then one request per 60/N seconds, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(1); // half a token
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    now += 3_600_000; // refills up to the burst, not beyond
    for (let i = 0; i < 60; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });

  it('says how many whole seconds to wait', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take(1), limiter.take(1)]).toEqual([0, 0]);
    expect(limiter.take(1)).toBe(30);
    now += 29_500;
    expect(limiter.take(1)).toBe(1);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});
