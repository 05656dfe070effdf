/** Typed request/response to the background (works from content scripts and extension pages). */
import { browser } from '#imports';
import type { Protocol } from './messages';

export async function send<T extends keyof Protocol>(type: T, data: Protocol[T]['request']): Promise<Protocol[T]['response']> {
  const reply = (await browser.runtime.sendMessage({ type, data })) as { ok: boolean; value?: unknown; error?: string } | undefined;
  if (!reply) throw new Error(`no answer to ${type}`);
  if (!reply.ok) throw new Error(reply.error ?? `${type} failed`);
  return reply.value as Protocol[T]['response'];
}
