import { describe, expect, it } from 'vitest';
import { clientAddress, clientKey } from '../../lib/report-server/client-address';
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

describe('token bucket options', () => {
  it('refills over another window, and wait() tells without counting', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now, { windowMs: 3_600_000 });
    expect(limiter.wait('a')).toBe(0);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.wait('a')).toBe(1200); // one token per 20 minutes
    expect(limiter.wait('a')).toBe(1200);
    now += 1_200_000;
    expect(limiter.wait('a')).toBe(0);
    expect(limiter.wait('a')).toBe(0); // waiting took nothing
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1200);
  });

  it('refund() gives back a counted token, never past the burst', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.wait('a')).toBe(30);
    limiter.refund('a');
    expect(limiter.wait('a')).toBe(0);
    limiter.refund('a');
    limiter.refund('a');
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 30]);
    limiter.refund('never-seen');
    expect(limiter.size).toBe(1);
  });

  it('keeps at most maxKeys buckets, forgetting the least recently used', () => {
    const limiter = new RateLimiter(2, () => 0, { maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) expect(limiter.take(k)).toBe(0); // one token left each
    expect(limiter.take('a')).toBe(0); // a: empty, and now the most recent
    expect(limiter.take('d')).toBe(0); // a fourth key: b, the least recently used, is forgotten
    expect(limiter.size).toBe(3);
    expect(limiter.wait('a')).toBeGreaterThan(0); // a is still held
    expect([limiter.take('c'), limiter.take('c')]).toEqual([0, 30]); // so is c
    expect([limiter.take('b'), limiter.take('b')]).toEqual([0, 0]); // b came back full
    expect(limiter.size).toBe(3);
  });
});

describe('client addresses', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::', '2001:db8:1:2::/64'],
    ['2001:db8::203.0.113.7', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['not an address', 'unknown'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });

  it('takes X-Forwarded-For only when told to trust the proxy, and then only its last entry', () => {
    expect(clientAddress('127.0.0.1', '198.51.100.1', false)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '198.51.100.1', true)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', '10.0.0.1, 198.51.100.1', true)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', ['10.0.0.1', '2001:db8::5'], true)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.1', '198.51.100.1, rubbish', true)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', undefined, true)).toBe('127.0.0.1');
  });
});
