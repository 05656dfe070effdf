/**
 * Who may ask the background for what. Every message names its sender's
 * context, which the browser (not the message) tells: a content script (in a
 * web page's tab, top frame, its address http or https) or an extension page
 * (popup, options, reports, the report form and the confirmation page, on the
 * extension's own origin). A content script runs beside a page that may be
 * hostile (and, in a compromised renderer, may be the page itself), so it gets
 * only what the badge needs: scanning its own page (or its posts), asking for a confirmation
 * or the report form in extension UI, opening the original of its own tab's
 * result, saying that the page hid the badge, and asking for the platform
 * content script on a page that shows a platform's signs, and which of its links'
 * targets are known copies or originals (answered from the browser's own data). Everything else (settings,
 * feeds, history, reports, other tabs' results) is for extension pages only.
 * Pure: the browser's sender is passed in.
 */
import type { MessageType } from '../messages';

export type SenderKind = 'content' | 'extension';

/** The parts of runtime.MessageSender this policy reads. */
export interface SenderInfo {
  id?: string;
  url?: string;
  origin?: string;
  frameId?: number;
  tab?: { id?: number };
}

/** What content scripts may send; nothing else. */
export const CONTENT_MESSAGES: ReadonlySet<MessageType> = new Set<MessageType>(['scan', 'scan-units', 'badge-action', 'open-original', 'badge-hidden', 'platform-script', 'link-marks']);

/** scheme://host[:port] (URL.origin is "null" for extension schemes in some engines). */
function originOf(url: string | undefined): string | undefined {
  try {
    const u = url ? new URL(url) : undefined;
    return u && u.host ? `${u.protocol}//${u.host}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sender's context, or undefined for anything else (another extension,
 * a subframe, a sender without an address): such messages are refused.
 * `extensionOrigin` is the extension's own origin ("chrome-extension://<id>").
 */
export function senderKind(sender: SenderInfo, extensionId: string, extensionOrigin: string): SenderKind | undefined {
  if (sender.id !== extensionId) return undefined;
  const origin = originOf(sender.url);
  if (!origin) return undefined;
  // Chromium also reports the sender's origin; when it does, it must agree with the address.
  if (sender.origin !== undefined && sender.origin !== origin) return undefined;
  if (origin === extensionOrigin.replace(/\/$/, '')) return 'extension';
  const protocol = new URL(sender.url!).protocol;
  if ((protocol === 'https:' || protocol === 'http:') && typeof sender.tab?.id === 'number' && sender.tab.id >= 0 && (sender.frameId ?? 0) === 0)
    return 'content';
  return undefined;
}

/** Whether a sender of this kind may send this message type. */
export function allowed(type: string, kind: SenderKind): boolean {
  const forContent = CONTENT_MESSAGES.has(type as MessageType);
  return kind === 'content' ? forContent : !forContent;
}
