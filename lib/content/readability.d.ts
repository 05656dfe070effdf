/** Readability's module on its own (the package's index adds isProbablyReaderable, which the content script does not need). */
declare module '@mozilla/readability/Readability.js' {
  import { Readability } from '@mozilla/readability';
  export default Readability;
}

/** A UI catalog trimmed to the content script's messages (lib/i18n-badge.ts, lib/build/badge-messages.ts). */
declare module '*.json?badge' {
  const catalog: Record<string, { message: string }>;
  export default catalog;
}
