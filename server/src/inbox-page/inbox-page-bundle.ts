import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where `npm run build` writes the page's script (beside the compiled server). */
export const BUILT_INBOX_APP = join(__dirname, 'browser', 'inbox-app.js');
/** And the page's service worker (Web Push). */
export const BUILT_SERVICE_WORKER = join(__dirname, 'browser', 'service-worker.js');

// The page's TypeScript entry. src/inbox-page and dist/inbox-page are both two levels below
// the server's folder, so this resolves from the sources and from the build alike.
const INBOX_APP_SOURCE = resolve(__dirname, '..', '..', 'src', 'inbox-page', 'browser', 'inbox-app.ts');
const SERVICE_WORKER_SOURCE = resolve(__dirname, '..', '..', 'src', 'inbox-page', 'browser', 'service-worker.ts');

/** Bundles the page's script and the client SDK it imports into one browser script. */
export function bundleInboxApp(): Promise<string> {
  return bundleForBrowser(INBOX_APP_SOURCE);
}

/** Bundles the page's service worker. */
export function bundleServiceWorker(): Promise<string> {
  return bundleForBrowser(SERVICE_WORKER_SOURCE);
}

/**
 * One minified browser script (an IIFE) of `entry` and everything it imports; with
 * `globalName`, the entry's exports become that global (the browser tests load the SDK so).
 */
export async function bundleForBrowser(entry: string, globalName?: string): Promise<string> {
  // esbuild is a build tool (a dev dependency): loaded only when bundling.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
  });
  return result.outputFiles[0].text;
}

/** The built script when there is one (`npm start`), else a fresh bundle (tests, ts-node). */
export async function loadInboxApp(): Promise<string> {
  if (existsSync(BUILT_INBOX_APP)) return readFile(BUILT_INBOX_APP, 'utf8');
  return bundleInboxApp();
}

/** The built service worker when there is one, else a fresh bundle. */
export async function loadServiceWorker(): Promise<string> {
  if (existsSync(BUILT_SERVICE_WORKER)) return readFile(BUILT_SERVICE_WORKER, 'utf8');
  return bundleServiceWorker();
}
