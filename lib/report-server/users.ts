/**
 * Named accounts of the collation centre and their browser sessions.
 *
 * Roles: reporter (posts reports), reviewer (reads, annotates, confirms,
 * dismisses, merges and splits cases; reads and exports reports), admin (all
 * of that; accounts are managed on the command line). Passwords are stored as
 * scrypt hashes (node:crypto; N=2^15, r=8, p=1, 16-byte salt). A session is
 * 32 random bytes in an HttpOnly cookie, stored as its SHA-256, with a CSRF
 * token of its own that state-changing requests must echo in X-CSRF-Token.
 *
 * Tokens (the Bearer tokens of reporters and scripts) stay as they were: a
 * token's role is admin for an admin token, reporter otherwise, raised to the
 * role of the account with the token's name when there is one; a disabled
 * account's tokens are refused.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { tokenHash } from './schema';
import type { Db } from './sql';

export const ROLES = ['reporter', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface User {
  id: number;
  name: string;
  role: Role;
  hasPassword: boolean;
  createdAt: string;
  disabledAt?: string;
}

const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((ok, fail) => scryptCb(password.normalize('NFC'), salt, KEYLEN, opts, (e, key) => (e ? fail(e) : ok(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const DUMMY = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEYLEN).toString('base64url')}`;

/** True when the password matches the stored hash. Without a hash (unknown account) it still spends the same time, and answers false. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(stored ?? DUMMY) ?? /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/.exec(DUMMY)!;
  const [, n, r, p, salt, hash] = m;
  const expected = Buffer.from(hash!, 'base64url');
  const key = await scrypt(password, Buffer.from(salt!, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return !!stored && key.length === expected.length && timingSafeEqual(key, expected);
}

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 200;

export function checkPassword(pw: string): string | undefined {
  if (pw.length < MIN_PASSWORD) return `a password needs at least ${MIN_PASSWORD} characters`;
  if (pw.length > MAX_PASSWORD) return `a password has at most ${MAX_PASSWORD} characters`;
  return undefined;
}

function toUser(r: Record<string, unknown>): User {
  return {
    id: Number(r.id),
    name: String(r.name),
    role: r.role as Role,
    hasPassword: r.password_hash != null,
    createdAt: String(r.created_at),
    ...(r.disabled_at != null ? { disabledAt: String(r.disabled_at) } : {}),
  };
}

export async function addUser(db: Db, name: string, role: Role, passwordHash: string | null, at = new Date().toISOString()): Promise<User> {
  return db.tx(async (sql) => {
    if (await sql.get('SELECT id FROM users WHERE name = ?', [name])) throw new Error(`an account named ${name} exists already`);
    const row = await sql.get('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *', [name, role, passwordHash, at]);
    return toUser(row!);
  });
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.read.all('SELECT * FROM users ORDER BY id')).map(toUser);
}

export async function findUser(db: Db, name: string): Promise<(User & { passwordHash: string | null }) | undefined> {
  const r = await db.read.get('SELECT * FROM users WHERE name = ?', [name]);
  return r && { ...toUser(r), passwordHash: (r.password_hash as string | null) ?? null };
}

/** Disables an account and ends its sessions; false when there is no such live account. */
export async function disableUser(db: Db, name: string, at = new Date().toISOString()): Promise<boolean> {
  return db.tx(async (sql) => {
    const row = await sql.get('SELECT id FROM users WHERE name = ? AND disabled_at IS NULL', [name]);
    if (!row) return false;
    await sql.run('UPDATE users SET disabled_at = ? WHERE id = ?', [at, row.id]);
    await sql.run('DELETE FROM sessions WHERE user_id = ?', [row.id]);
    return true;
  });
}

/** Sets a new password and ends the account's sessions; false when there is no such account. */
export async function setPassword(db: Db, name: string, passwordHash: string): Promise<boolean> {
  return db.tx(async (sql) => {
    const row = await sql.get('SELECT id FROM users WHERE name = ?', [name]);
    if (!row) return false;
    await sql.run('UPDATE users SET password_hash = ? WHERE id = ?', [passwordHash, row.id]);
    await sql.run('DELETE FROM sessions WHERE user_id = ?', [row.id]);
    return true;
  });
}

export interface Session {
  name: string;
  role: Role;
  csrf: string;
  expiresAt: string;
}

export const SESSION_HOURS = 12;

export async function createSession(db: Db, userId: number, now = new Date()): Promise<{ cookie: string; csrf: string; expiresAt: string }> {
  const cookie = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await db.tx(async (sql) => {
    await sql.run('DELETE FROM sessions WHERE expires_at < ?', [now.toISOString()]);
    await sql.run('INSERT INTO sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [tokenHash(cookie), userId, csrf, now.toISOString(), expiresAt]);
  });
  return { cookie, csrf, expiresAt };
}

/** The live session of this cookie value (not expired, account not disabled). */
export async function findSession(db: Db, cookie: string, now = new Date()): Promise<Session | undefined> {
  const r = await db.read.get(
    'SELECT u.name, u.role, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL',
    [tokenHash(cookie), now.toISOString()],
  );
  return r && { name: String(r.name), role: r.role as Role, csrf: String(r.csrf), expiresAt: String(r.expires_at) };
}

export async function endSession(db: Db, cookie: string): Promise<void> {
  await db.tx((sql) => sql.run('DELETE FROM sessions WHERE hash = ?', [tokenHash(cookie)]));
}

/** The role a Bearer token acts with, or undefined when its account is disabled. */
export async function tokenRole(db: Db, token: { name: string; admin: boolean }): Promise<Role | undefined> {
  const own: Role = token.admin ? 'admin' : 'reporter';
  const u = await db.read.get('SELECT role, disabled_at FROM users WHERE name = ?', [token.name]);
  if (!u) return own;
  if (u.disabled_at != null) return undefined;
  return atLeast(u.role as Role, own) ? (u.role as Role) : own;
}
