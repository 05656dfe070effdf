/**
 * The generic content script: every http(s) page except the hosts the
 * platform modules claim (lib/platforms/signs.ts), where the platform script
 * (platform.content/) runs instead. It carries none of the platform modules;
 * on a page of another host that shows a platform's signs (a saved or
 * mirrored timeline, the demo pages) it asks the background for the platform
 * script, and ends when that takes the page over.
 */
import { send } from '@/lib/send-message';
import { PLATFORM_MATCHES, platformSigns } from '@/lib/platforms/signs';
import { startContent } from './start';

export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  excludeMatches: PLATFORM_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    let asked: Promise<boolean> | undefined;
    let refused = false;
    startContent(ctx, {
      handOver: () => {
        // Asked once per page: refused (no permission for this site), it is read as a generic page from then on.
        if (refused) return undefined;
        if (asked) return asked;
        if (!platformSigns(document)) return undefined;
        const asking = send('platform-script', {}).then(
          (took) => {
            if (took) ctx.abort('the platform script took the page over');
            else refused = true;
            return took;
          },
          () => ((refused = true), false),
        );
        asked = asking;
        return asking;
      },
    });
  },
});
