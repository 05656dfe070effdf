/**
 * The review application (lib/report-server/review-app/, Preact) as the
 * server sends it: /centre (the HTML shell, no inline script or style),
 * /centre/app.js and /centre/app.css. The script is bundled from the sources
 * with esbuild (the bundler Vite and tsx run on, so it is there wherever the
 * server runs) the first time it is asked for, in memory, and kept: nothing to
 * build before `npm start` or `npm test` on a fresh clone, nothing written to
 * disk. The bundle has no eval and no inline code, so the page's policy stays
 * `script-src 'self'`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REVIEW_CSP } from './review-page';

const APP_DIR = fileURLToPath(new URL('./review-app/', import.meta.url));

/** The review page's policy: the same strict one, so that the two pages cannot drift apart. */
export const CENTRE_CSP = REVIEW_CSP;

export const CENTRE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Provenance centre</title>
<link rel="stylesheet" href="/centre/app.css">
<script src="/centre/app.js" defer></script>
</head>
<body>
<div id="app"><noscript>The review application needs JavaScript. 审阅应用需要 JavaScript。</noscript></div>
</body>
</html>
`;

let bundle: Promise<{ js: string; css: string }> | undefined;

async function build(): Promise<{ js: string; css: string }> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [`${APP_DIR}main.tsx`],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const js = out.outputFiles[0]!.text;
  return { js, css: readFileSync(`${APP_DIR}app.css`, 'utf8') };
}

/** The bundled script and the stylesheet, built once per process (a failed build is tried again on the next request). */
export function centreBundle(): Promise<{ js: string; css: string }> {
  bundle ??= build().catch((e: unknown) => {
    bundle = undefined;
    throw e;
  });
  return bundle;
}
