import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { badgeMessages } from './lib/build/badge-messages';
import { quietContext } from './lib/build/quiet-context';

// See https://wxt.dev/api/config.html
export default defineConfig({
  // badgeMessages: the content script carries only the UI strings its badge and marks name (lib/i18n-badge.ts).
  // quietContext: the content scripts' context posts no start-up message to the page (lib/content/context.ts).
  vite: () => ({ plugins: [preact(), badgeMessages(), quietContext()] }),
  manifest: ({ manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // scripting: the platform content script injected into a page of another host that shows a platform's
    // signs (a saved or mirrored timeline, the demo pages), where the extension has host permission.
    permissions: ['storage', 'alarms', 'contextMenus', 'activeTab', 'scripting'],
    // Sending reports (opt-in): a loopback collection server needs no prompt; any https
    // server is asked for at configuration time (permissions.request for its origin only).
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*', 'http://[::1]/*'],
    ...(manifestVersion === 3 ? { optional_host_permissions: ['https://*/*'] } : { optional_permissions: ['https://*/*'] }),
    // Firefox: feed signatures use Ed25519 in WebCrypto, available from Firefox 129.
    // data_collection_permissions (Firefox's built-in data consent, expected by addons.mozilla.org for new
    // add-ons): the extension collects nothing; a report goes only, when the reader agrees, to the server
    // the reader configured.
    ...(manifestVersion === 2
      ? {
          browser_specific_settings: {
            gecko: { id: 'provenance-badges@provenance-badges.invalid', strict_min_version: '129.0', data_collection_permissions: { required: ['none'] } },
          },
        }
      : {}),
  }),
  hooks: {
    // public/ also holds the demo pages and the starter originals the index is built from;
    // the extension ships only what it uses (registry, locales, the built starter index).
    'build:publicAssets': (_wxt, files) => {
      const keep = files.filter((f) => {
        const rel = ('relativeDest' in f ? f.relativeDest : '').replace(/\\/g, '/');
        return !rel.startsWith('demo/') && !/^starter\/originals-.*\.jsonl$/.test(rel);
      });
      files.splice(0, files.length, ...keep);
    },
  },
});
