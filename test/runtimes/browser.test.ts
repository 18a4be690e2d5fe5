import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { relayFor } from '../../examples/relay.js';
import { createLocalAPI } from '../server/handler.js';
import { serve } from '../server/http.js';
import { ERROR_COLLECTOR, inBrowser, pageSaw } from './browser.js';
import { ENGINES, ENGINE_NEEDS, launch } from './driver.js';

// The relay example and its page, end to end in each browser engine: the site serves the page
// with a session cookie; the page's SDK, with the relay as its baseURL and no key, streams a
// chat completion through the relay, which calls the (fake) API with the server's key; the page
// reads the chunks with `for await` (in WebKit, on the SDK's own iterator) and its text must
// end equal to the reply.
const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-server-only';
const SESSION = 'session-of-the-page';
const fake = createFakeOpenAI();
const relay = relayFor(
  { OPENAI_API_KEY: KEY, SESSIONS: { get: async (session) => (session === SESSION ? 'page-user' : null) } },
  { upstream: { fetch: fake }, onUsage: undefined, onError: undefined },
);
/** Everything that crossed between the page and its site, both ways, as text. */
const wire: Promise<string>[] = [];
let site: Awaited<ReturnType<typeof serve>>;

/**
 * Sends the form and waits until the page says it is done, recording each text the output
 * showed on the way; rejects with the page's message if it says error.
 */
const SEND = `new Promise((resolve, reject) => {
  const output = document.querySelector('output');
  const shown = [];
  const observer = new MutationObserver(() => {
    shown.push(output.textContent);
    if (output.dataset.state === 'done') resolve({ text: output.textContent, shown });
    if (output.dataset.state === 'error') reject(new Error('the page showed: ' + output.textContent));
  });
  observer.observe(output, { attributes: true, childList: true, characterData: true, subtree: true });
  // Only once the page's module has run: clicked before, the button submits the form and the page
  // unloads (WebKit's WebDriver may run this before the load event).
  const click = () => document.querySelector('button').click();
  if (document.readyState === 'complete') click();
  else addEventListener('load', click, { once: true });
})`;

beforeAll(async () => {
  // The page's script as a user's bundler would make it, from the built package.
  const bundle = await build({
    entryPoints: [`${root}examples/browser/chat.ts`],
    bundle: true,
    format: 'esm',
    write: false,
    alias: { 'openai-chat-fetch': `${root}dist/index.js` },
  });
  const script = bundle.outputFiles[0].text;
  const page = readFileSync(`${root}examples/browser/index.html`, 'utf8').replace('</head>', `${ERROR_COLLECTOR}</head>`);
  site = await serve(async (request) => {
    wire.push(
      request
        .clone()
        .text()
        .then((body) => `${request.method} ${request.url} ${JSON.stringify([...request.headers])} ${body}`),
    );
    const response = await answer(request, script, page);
    wire.push(response.clone().text());
    return response;
  });
});
afterAll(() => site?.close());
beforeEach(() => {
  fake.reset();
  wire.length = 0;
});

function answer(request: Request, script: string, page: string): Promise<Response> | Response {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/api/')) return relay(request);
  if (pathname === '/chat.js') return new Response(script, { headers: { 'content-type': 'text/javascript' } });
  // The site signs the page's user in: the relay knows them by this cookie.
  if (pathname === '/')
    return new Response(page, {
      headers: { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `session=${SESSION}; Path=/; HttpOnly; SameSite=Strict` },
    });
  return new Response('not found', { status: 404 });
}

describe('the example page, through the relay, in each engine', () => {
  for (const engine of ENGINES) {
    it(`${engine}: renders the reply as it streams, and the key never reaches the page`, { timeout: 60_000 }, async () => {
      ENGINE_NEEDS[engine].check();
      const driver = await launch(engine);
      try {
        const started = performance.now();
        await driver.open(site.url);
        const { text, shown } = await driver.run<{ text: string; shown: string[] }>(SEND).catch(async (error: Error) => {
          throw new Error(`${engine}: ${error.message}\nthe page saw: ${await pageSaw(driver)}`);
        });
        const ms = Math.round(performance.now() - started);
        expect(text).toBe('Echo: Hello from the browser, café ☕');
        // Piece by piece: the words appeared one after another, not all at once at the end.
        expect(new Set(shown.filter((seen) => seen && text.startsWith(seen) && seen !== text)).size).toBeGreaterThan(2);
        expect(await driver.run<string[]>('window.pageErrors')).toEqual([]);
        expect(fake.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${KEY}`]);
        const crossed = await Promise.all(wire);
        expect(crossed.some((text) => text.includes('/api/v1/chat/completions'))).toBe(true);
        expect(crossed.join('\n')).not.toContain(KEY);
        console.log(`[browser] ${engine}: the example page ${ms} ms, after a ${driver.launchMs} ms launch (${driver.version})`);
      } finally {
        await driver.close();
      }
    });
  }
});

/**
 * A page's script, bundled from the built package: one stream split by `tee()`, one branch split
 * again, every branch read at once (with `for await`, or by the fold), as a page that shows an
 * answer and logs it does.
 */
const TEE_PAGE = `
import { accumulateChatCompletion, createChatCompletion } from 'openai-chat-fetch';

const api = new URL(location.href).searchParams.get('api');
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'tee: café ☕' }], stream: true };

async function text(branch) {
  let joined = '';
  for await (const chunk of branch) joined += chunk.choices[0]?.delta.content ?? '';
  return joined;
}

async function count(branch) {
  let chunks = 0;
  for await (const chunk of branch) if (chunk) chunks++;
  return chunks;
}

async function teed() {
  const stream = await createChatCompletion(ask, { baseURL: api, maxRetries: 0 });
  const [forUi, forLog] = stream.tee();
  const [forText, forCount] = forUi.tee();
  const [shown, chunks, folded] = await Promise.all([text(forText), count(forCount), accumulateChatCompletion(forLog)]);
  return { nativeIterator: Symbol.asyncIterator in ReadableStream.prototype, shown, chunks, folded: folded.choices[0].message.content };
}

window.smokeResult = teed();
`;

describe('tee() in each engine', () => {
  let api: Awaited<ReturnType<typeof serve>>;
  let script: string;
  beforeAll(async () => {
    api = await serve(fake.handle);
    const bundle = await build({
      stdin: { contents: TEE_PAGE, resolveDir: root, loader: 'js' },
      bundle: true,
      format: 'esm',
      write: false,
      alias: { 'openai-chat-fetch': `${root}dist/index.js` },
    });
    script = bundle.outputFiles[0].text;
  });
  afterAll(() => api?.close());

  for (const engine of ENGINES) {
    it(`${engine}: every branch of a stream, and of a branch, reads with for await`, { timeout: 60_000 }, async () => {
      ENGINE_NEEDS[engine].check();
      const driver = await launch(engine);
      try {
        const { result } = await inBrowser<{ nativeIterator: boolean; shown: string; chunks: number; folded: string }>(driver, script, api.baseURL);
        expect(result).toEqual({ nativeIterator: engine !== 'WebKit', shown: 'Echo: tee: café ☕', chunks: expect.any(Number), folded: 'Echo: tee: café ☕' });
        // The role, each word, the finish: every chunk reached every branch.
        expect(result.chunks).toBeGreaterThan(3);
      } finally {
        await driver.close();
      }
    });
  }
});

// A dedicated worker of each engine is a browser too. The page starts a worker
// (the SDK bundled into it, as an app's bundler would); the worker asks the local API, on
// another origin, with a key three ways and without one, and reports what happened.
const WORKER = `
import { listChatCompletions } from 'openai-chat-fetch';
self.onmessage = async ({ data: { api } }) => {
  const report = { scope: self.constructor.name, userAgent: navigator.userAgent };
  const attempt = async (name, options) => {
    try {
      await listChatCompletions({}, { baseURL: api, maxRetries: 0, ...options });
      report[name] = 'sent';
    } catch (error) {
      report[name] = error.name + ': ' + error.message;
    }
  };
  await attempt('apiKey', { apiKey: 'sk-in-a-worker-0123456789' });
  await attempt('apiKeyHeader', { headers: { 'api-key': '8f14e45fceea167a5a36dedd4bea2543' } });
  await attempt('allowed', { apiKey: 'sk-allowed-in-a-worker-0123', dangerouslyAllowBrowser: true });
  await attempt('keyless', {});
  postMessage(report);
};`;

/** The page: starts the worker from its bundled code, and leaves its report in `window.smokeResult`. */
const pageStartingWorker = (workerCode: string) => `
const code = ${JSON.stringify(workerCode)};
const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
window.smokeResult = new Promise((resolve, reject) => {
  worker.onmessage = ({ data }) => resolve(data);
  worker.onerror = (event) => reject(new Error('the worker failed: ' + event.message));
});
worker.postMessage({ api: new URL(location.href).searchParams.get('api') });
`;

describe('a dedicated worker, in each engine', () => {
  const api = createLocalAPI();
  let apiServer: Awaited<ReturnType<typeof serve>>;
  let workerCode: string;
  beforeAll(async () => {
    apiServer = await serve(api.handle);
    const bundle = await build({
      stdin: { contents: WORKER, resolveDir: root, loader: 'js' },
      bundle: true,
      format: 'iife',
      write: false,
      alias: { 'openai-chat-fetch': `${root}dist/index.js` },
    });
    workerCode = bundle.outputFiles[0]!.text;
  });
  afterAll(() => apiServer?.close());

  for (const engine of ENGINES) {
    it(`${engine}: refuses to send a key without dangerouslyAllowBrowser, as in a page`, { timeout: 60_000 }, async () => {
      ENGINE_NEEDS[engine].check();
      api.reset();
      const driver = await launch(engine);
      try {
        const { result } = await inBrowser<Record<string, string>>(driver, pageStartingWorker(workerCode), apiServer.baseURL);
        expect(result.scope).toBe('DedicatedWorkerGlobalScope');
        const refusal = /^OpenAIError: Refusing to send an API key from a browser/;
        expect(result).toMatchObject({
          apiKey: expect.stringMatching(refusal),
          apiKeyHeader: expect.stringMatching(refusal),
          allowed: 'sent',
          keyless: 'sent',
        });
        // Only the two calls that were let through reached the API: the refused keys never left.
        expect(api.requests.map((request) => request.headers.authorization ?? 'none')).toEqual(['Bearer sk-allowed-in-a-worker-0123', 'none']);
        expect(api.requests.every((request) => request.headers['api-key'] === undefined)).toBe(true);
        console.log(`[browser] ${engine}: a dedicated worker (${result.userAgent})`);
      } finally {
        await driver.close();
      }
    });
  }
});
