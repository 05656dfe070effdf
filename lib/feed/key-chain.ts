/**
 * A feed's keys over time: which key a client trusts for a feed, how the
 * publisher moves it to another key, and how a key is revoked.
 *
 * A manifest carries key statements, each signed on its own (so that the
 * publisher keeps listing them in later manifests, for clients that were
 * offline meanwhile):
 *
 *   rotate  {type, feed, from, to, next?, created}  signed by `to` and by `from`
 *   revoke  {type, feed, key, created, reason?}     signed by `key` itself
 *
 * A client starts from the key it trusts (the one the reader subscribed with,
 * later the last one it followed) and follows rotations from it. A rotation
 * needs the new key's signature (it accepts the role) and, when no next key
 * is committed, the old key's (it hands the role over). Pre-rotation, as in
 * KERI (Smith, "Key Event Receipt Infrastructure", 2019): a manifest may commit
 * to the digest of the next key, which the publisher keeps offline; once a
 * client has seen the commitment, only that key can rotate the current one —
 * a thief of the current key can neither rotate it to a key of their own nor
 * change the commitment (a manifest that does is refused) — and it can rotate
 * even a revoked key. This plays the part of TUF's offline root key without a
 * second key for readers to paste. Without a commitment, whoever holds the
 * current key can rotate it: a thief who rotates first wins (docs/threat-model.md,
 * "Feeds and the index").
 *
 * After following, the client trusts only the last key: manifests signed by
 * a key it left behind are refused. A key revoked by its own signature is
 * refused from then on; its feed takes no update until the committed next key
 * rotates it, or the reader subscribes again with the publisher's new key.
 */
import {
  FeedError,
  keyDigest,
  KeyRevokedError,
  shortKey,
  signatureHolds,
  type KeyStatement,
  type KeyTrust,
  type RetiredKey,
} from './format';

const PUBLIC_KEY = /^ed25519:[A-Za-z0-9+/]{43}=$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface RotateBody {
  type: 'rotate';
  feed: string;
  from: string;
  to: string;
  /** The digest of the key that may rotate `to` in its turn. */
  next?: string;
  created: string;
}
export interface RevokeBody {
  type: 'revoke';
  feed: string;
  key: string;
  created: string;
  reason?: string;
}
export type StatementBody = RotateBody | RevokeBody;

interface Parsed {
  body: StatementBody;
  bytes: Uint8Array;
  sigs: Map<string, string>;
}

const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v));

/** A statement's body, or undefined when it is not one this client knows (unknown statements are ignored). */
export function parseStatementBody(text: string): StatementBody | undefined {
  let v: { [k: string]: unknown } | null;
  try {
    v = JSON.parse(text) as typeof v;
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || typeof v.feed !== 'string' || !isDate(v.created)) return undefined;
  const isKey = (k: unknown): k is string => typeof k === 'string' && PUBLIC_KEY.test(k);
  const created = v.created as string;
  if (v.type === 'rotate' && isKey(v.from) && isKey(v.to) && v.from !== v.to && (v.next === undefined || (typeof v.next === 'string' && SHA256_HEX.test(v.next))))
    return { type: 'rotate', feed: v.feed, from: v.from, to: v.to, ...(typeof v.next === 'string' ? { next: v.next } : {}), created };
  if (v.type === 'revoke' && isKey(v.key) && (v.reason === undefined || typeof v.reason === 'string'))
    return { type: 'revoke', feed: v.feed, key: v.key, created, ...(typeof v.reason === 'string' ? { reason: v.reason.slice(0, 300) } : {}) };
  return undefined;
}

function parseStatements(list: unknown, feed: string): Parsed[] {
  if (!Array.isArray(list)) return [];
  const out: Parsed[] = [];
  for (const x of list.slice(0, 64)) {
    const st = x as Partial<KeyStatement> | null;
    if (!st || typeof st.body !== 'string' || !Array.isArray(st.sigs)) continue;
    const body = parseStatementBody(st.body);
    if (!body || body.feed !== feed) continue;
    const sigs = new Map<string, string>();
    for (const g of st.sigs.slice(0, 4)) if (g && typeof g.key === 'string' && typeof g.sig === 'string') sigs.set(g.key, g.sig);
    out.push({ body, bytes: new TextEncoder().encode(st.body), sigs });
  }
  return out;
}

async function signedBy(st: Parsed, key: string): Promise<boolean> {
  const sig = st.sigs.get(key);
  if (!sig) return false;
  try {
    return await signatureHolds(st.bytes, sig, key);
  } catch {
    return false;
  }
}

export interface FollowResult {
  /** What to trust once the manifest is installed. */
  trust: KeyTrust;
  /** Rotations followed now, oldest first. */
  rotated: RetiredKey[];
}

/**
 * Follows the key statements of a manifest (its `keys.statements`, read
 * before the manifest's own signature is checked: each statement is checked
 * on its own) from what the client trusts. Returns the key that must have
 * signed the manifest; throws KeyRevokedError when that key is revoked, and
 * FeedError('signature') for a rotation that does not hold or two rotations
 * of one key to different keys.
 */
export async function followKeys(statements: unknown, feed: string, trust: KeyTrust): Promise<FollowResult> {
  const list = parseStatements(statements, feed);
  const retired = trust.retired.map((r) => ({ ...r }));
  const rotated: RetiredKey[] = [];
  let key = trust.key;
  let next = trust.next;
  const revokedBy = async (k: string): Promise<RetiredKey | undefined> => {
    const known = retired.find((r) => r.key === k && r.why === 'revoked');
    if (known) return known;
    for (const st of list)
      if (st.body.type === 'revoke' && st.body.key === k && (await signedBy(st, k))) return { key: k, at: st.body.created, why: 'revoked', ...(st.body.reason ? { reason: st.body.reason } : {}) };
    return undefined;
  };
  for (let step = 0; step <= list.length; step++) {
    const from = key;
    const candidates = list.filter((st): st is Parsed & { body: RotateBody } => st.body.type === 'rotate' && st.body.from === from);
    if (!candidates.length) break;
    const revoked = await revokedBy(from);
    const valid: Array<Parsed & { body: RotateBody }> = [];
    for (const st of candidates) {
      if (st.body.to === trust.key || retired.some((r) => r.key === st.body.to)) continue; // never back to a key left behind
      if (!(await signedBy(st, st.body.to))) continue;
      if (next ? (await keyDigest(st.body.to)) === next : !revoked && (await signedBy(st, from))) valid.push(st);
    }
    if (!valid.length) {
      const to = candidates[0]!.body.to;
      if (candidates.every((c) => c.body.to === trust.key || retired.some((r) => r.key === c.body.to))) break;
      throw new FeedError(
        'signature',
        next
          ? `the feed's key ${shortKey(from)} is rotated to ${shortKey(to)}, which is not the next key the feed committed to: refused (a thief of the current key cannot rotate it)`
          : revoked
            ? `the feed's key ${shortKey(from)} was revoked, and a revoked key cannot hand the feed to another: refused`
            : `the rotation of the feed's key ${shortKey(from)} to ${shortKey(to)} is not signed by both keys: refused`,
      );
    }
    if (new Set(valid.map((v) => v.body.to)).size > 1)
      throw new FeedError('signature', `the feed's key ${shortKey(from)} is rotated to two different keys (a sign that the key was stolen): refused; ask the publisher which key is theirs`);
    const st = valid[0]!;
    const left: RetiredKey = { key: from, at: st.body.created, why: 'rotated', to: st.body.to };
    if (!retired.some((r) => r.key === from)) retired.push(left);
    rotated.push(left);
    key = st.body.to;
    next = st.body.next;
  }
  const revoked = await revokedBy(key);
  if (revoked) {
    if (!retired.some((r) => r.key === key && r.why === 'revoked')) retired.push(revoked);
    throw new KeyRevokedError(
      `the publisher revoked this feed's key ${shortKey(key)} on ${revoked.at.slice(0, 10)}${revoked.reason ? ` (“${revoked.reason}”)` : ''}: no update signed with it is accepted; the feed needs the publisher's new key`,
      { key, ...(next ? { next } : {}), retired },
      revoked,
      feed,
    );
  }
  return { trust: { key, ...(next ? { next } : {}), retired }, rotated };
}

/** The retired key among `retired` whose signature `sig` over `bytes` is, if any (to say why a manifest is refused). */
export async function retiredSigner(bytes: Uint8Array, sig: string, retired: RetiredKey[]): Promise<RetiredKey | undefined> {
  for (const r of retired) {
    try {
      if (await signatureHolds(bytes, sig, r.key)) return r;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
