import { serve } from '../server/http.js';
import type { SmokeResult } from './scenario.js';

export const CHROMIUM = '/usr/bin/chromium';
// Without these the system Chromium stalls here (sandbox as root, GPU, background fetches).
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Serves a page with `script` from its own 127.0.0.1 port, so every call to the API at
 * `baseURL` is cross-origin (preflights, exposed headers), and waits for the scenario there.
 */
export async function inChromium(script: string, baseURL: string): Promise<{ result: SmokeResult; origin: string; launchMs: number }> {
  const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>';
  const site = await serve(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/page.js') return new Response(script, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
    if (pathname === '/') return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    return new Response('not found', { status: 404 });
  });
  const { chromium } = await import('playwright-core');
  const started = performance.now();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const launchMs = Math.round(performance.now() - started);
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    // Only for a failure's message: the console also logs the scenario's deliberate 404.
    const consoled: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('console', (message) => void consoled.push(`${message.type()}: ${message.text()}`));
    const seen = () => [...errors, ...consoled].join('; ') || 'nothing reported';
    await tab.goto(`${site.url}/?api=${encodeURIComponent(baseURL)}`);
    await tab.waitForFunction(() => 'smokeResult' in window, null, { timeout: 10_000 }).catch(() => {
      throw new Error(`the page's script never ran: ${seen()}`);
    });
    const result = await tab.evaluate(() => (window as unknown as { smokeResult: Promise<SmokeResult> }).smokeResult).catch((error: Error) => {
      throw new Error(`${error.message}\nthe page saw: ${seen()}`);
    });
    if (errors.length) throw new Error(`the page threw: ${errors.join('; ')}`);
    return { result, origin: site.url, launchMs };
  } finally {
    await browser.close();
    await site.close();
  }
}
