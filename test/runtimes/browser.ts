import { serve } from '../server/http.js';
import type { Driver } from './driver.js';

/**
 * Collects what the page throws, for any engine: WebDriver classic has no event for it. Runs
 * before the module script, so an error while that loads is caught too.
 */
export const ERROR_COLLECTOR = `<script>
  window.pageErrors = [];
  addEventListener('error', (event) => pageErrors.push(String(event.message)));
  addEventListener('unhandledrejection', (event) => pageErrors.push('unhandled rejection: ' + String(event.reason)));
</script>`;

/** The page's errors so far, or the fallback when even the collector did not run. */
const PAGE_ERRORS = `(window.pageErrors || ['the page never ran its error collector']).join('; ') || 'nothing reported'`;

/** What the page threw, for a failure's message; never rejects (the browser may be gone). */
export function pageSaw(driver: Driver): Promise<string> {
  return driver.run<string>(PAGE_ERRORS).catch((error: Error) => `(the page could not be asked: ${error.message})`);
}

/**
 * Serves a page with `script` from its own 127.0.0.1 port, so every call to the API at
 * `baseURL` is cross-origin (preflights, exposed headers), opens it in `driver`'s tab and waits
 * for the promise the script leaves in `window.smokeResult`. `baseURL` may be a function of the
 * page's origin, for a server that must know it before the page calls (an allowlist of origins).
 */
export async function inBrowser<T>(
  driver: Driver,
  script: string,
  baseURL: string | ((origin: string) => Promise<string>),
): Promise<{ result: T; origin: string }> {
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">${ERROR_COLLECTOR}<script type="module" src="/page.js"></script>`;
  const site = await serve(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/page.js') return new Response(script, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    if (pathname === '/') return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    return new Response('not found', { status: 404 });
  });
  try {
    const api = typeof baseURL === 'string' ? baseURL : await baseURL(site.url);
    await driver.open(`${site.url}/?api=${encodeURIComponent(api)}`);
    // A module script runs before the load event, which `open` does not always wait for
    // (WebKit's WebDriver was seen to run a script first): wait for it here.
    const loaded = `(document.readyState === 'complete' ? Promise.resolve() : new Promise((resolve) => addEventListener('load', resolve, { once: true })))`;
    const result = await driver
      .run<T>(`${loaded}.then(() => window.smokeResult || Promise.reject(new Error("the page's script never ran: " + ${PAGE_ERRORS})))`)
      .catch(async (error: Error) => {
        throw new Error(`${driver.engine}: ${error.message}\nthe page saw: ${await pageSaw(driver)}`);
      });
    const errors = await driver.run<string[]>('window.pageErrors');
    if (errors.length) throw new Error(`${driver.engine}: the page threw: ${errors.join('; ')}`);
    return { result, origin: site.url };
  } finally {
    await site.close();
  }
}
