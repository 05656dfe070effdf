/**
 * A Vite plugin that gives WXT's generated content script entries our
 * context (lib/content/context.ts) in place of WXT's own: every import of
 * `wxt/utils/content-script-context` resolves to our module, except the one
 * our module makes of WXT's class to extend it. Runs in the build (Node),
 * never in the extension; the e2e test tests/e2e/quiet-start.spec.ts checks
 * the result (no message of ours reaches the page).
 */
import { resolve } from 'node:path';

export const WXT_CONTEXT = 'wxt/utils/content-script-context';

export function quietContext(root = process.cwd()) {
  const ours = resolve(root, 'lib/content/context.ts');
  return {
    name: 'quiet-content-script-context',
    enforce: 'pre' as const,
    resolveId(source: string, importer?: string) {
      if (source !== WXT_CONTEXT || !importer || importer.split('?')[0] === ours) return null;
      return ours;
    },
  };
}
