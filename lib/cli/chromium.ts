/** Launch settings for Debian's Chromium with the built extension (demo and end-to-end tests). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Arguments that load the unpacked extension and keep Chromium off the
 * network; `hostMap` lists host names resolved to 127.0.0.1 (test pages served
 * under an outlet's host name never leave the machine).
 */
export function chromiumArgs(extension: string, options: { headless: boolean; hostMap?: string[] }): string[] {
  const args = [
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ];
  if (options.headless) args.unshift('--headless=new');
  if (options.hostMap?.length) args.push(`--host-resolver-rules=${options.hostMap.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`);
  return args;
}
