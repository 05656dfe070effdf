/**
 * The key under which a client's requests are counted: its IPv4 address, or
 * the /64 prefix of its IPv6 address (one home or one server usually holds a
 * whole /64, so counting single IPv6 addresses would let it rotate for free).
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as the IPv4 address.
 */
import { isIP, isIPv4 } from 'node:net';

/** The 8 groups of an IPv6 address as numbers, or undefined when it is not one. */
function ipv6Groups(address: string): number[] | undefined {
  const parts = address.split('::');
  if (parts.length > 2) return undefined;
  const side = (s: string) => {
    if (!s) return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (isIPv4(g)) {
        const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/i.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = side(parts[0]!);
  const tail = parts.length === 2 ? side(parts[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (parts.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/** The rate-limit key of a remote address ('unknown' when there is none). */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.replace(/%.*$/, ''); // an IPv6 zone (fe80::1%eth0)
  if (isIPv4(bare)) return bare;
  if (isIP(bare) !== 6) return 'unknown';
  const g = ipv6Groups(bare);
  if (!g) return 'unknown';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/**
 * The client's address: the connection's, or — behind a reverse proxy that the
 * operator trusts — the last address of X-Forwarded-For (the one the proxy
 * itself saw and appended; earlier ones are the client's to choose).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: boolean): string | undefined {
  if (!trustProxy || !forwardedFor) return socketAddress;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header.split(',').pop()!.trim().replace(/^\[(.*)\]$/, '$1');
  return isIP(last) ? last : socketAddress;
}
