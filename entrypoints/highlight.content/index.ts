// Declares the page-level style of highlighted passages. Injected by the
// browser from the manifest, so a page's Content-Security-Policy cannot block it.
import './style.css';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_idle',
  cssInjectionMode: 'manifest',
  main() {},
});
