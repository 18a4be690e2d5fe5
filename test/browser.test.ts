import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpenAI } from '../src/fake/index.js';
import { handleChat } from '../examples/edge-proxy.js';
import { serve } from './server/http.js';

// The edge-proxy example and its page, end to end in a real Chromium: the page posts to the
// proxy, which calls the (fake) API with the server's key and streams the answer back as
// server-sent events; the page's text must end equal to the reply.
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium); CI must not skip the browser test.`);
if (!available) console.warn(`browser.test.ts: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium).`);

const root = fileURLToPath(new URL('..', import.meta.url));
const fake = createFakeOpenAI();
let site: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  if (!available) return;
  // The page's script as a user's bundler would make it, from the built package.
  const bundle = await build({
    entryPoints: [`${root}examples/browser/chat.ts`],
    bundle: true,
    format: 'esm',
    write: false,
    alias: { 'openai-chat-fetch': `${root}dist/index.js` },
  });
  const script = bundle.outputFiles[0].text;
  const page = readFileSync(`${root}examples/browser/index.html`, 'utf8');
  site = await serve(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/chat') return handleChat(request, { OPENAI_API_KEY: 'sk-server-only' }, { fetch: fake, maxRetries: 0 });
    if (pathname === '/chat.js') return new Response(script, { headers: { 'content-type': 'text/javascript' } });
    if (pathname === '/') return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    return new Response('not found', { status: 404 });
  });
});
afterAll(() => site?.close());

describe.runIf(available)('the example page in Chromium', () => {
  it("renders the streamed reply, and the key never reaches the page", { timeout: 60_000 }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const bodies: string[] = [];
      page.on('request', (request) => bodies.push(`${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`));
      await page.goto(site.url);
      await page.click('button');
      await page.waitForSelector('output[data-state="done"]', { timeout: 30_000 });
      expect(await page.textContent('output')).toBe('Echo: Hello from the browser, café ☕');
      expect(errors).toEqual([]);
      expect(bodies.join('\n')).not.toContain('sk-server-only');
      expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-server-only');
    } finally {
      await browser.close();
    }
  });
});
