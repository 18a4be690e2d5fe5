import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenAIError, listChatCompletions } from '../../src/index.js';
import { isBrowser } from '../../src/http/env.js';
import { useLocalAPI } from '../server/setup.js';

// In process with the globals of each runtime simulated, over HTTP to the local
// API: a browser's dedicated, shared or service worker is refused a key as a page is; Deno's
// workers, Bun, Cloudflare Workers, edge-runtime and Node are not. The real workers of
// Chromium, Firefox and WebKit: test/runtimes/browser.test.ts.
const { api, requestOptions } = useLocalAPI();
afterEach(() => vi.unstubAllGlobals());

/** A WorkerGlobalScope class whose instance is this global, as in a worker. */
function scope(name: string): unknown {
  const Scope = class {
    static [Symbol.hasInstance](value: unknown) {
      return value === globalThis;
    }
  };
  Object.defineProperty(Scope, 'name', { value: name });
  return Scope;
}

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15';

/** Makes this global look like `kind` of worker in a runtime whose navigator says `userAgent`. */
function inWorker(kind: string, userAgent: string | undefined, extra: Record<string, unknown> = {}): void {
  vi.stubGlobal('WorkerGlobalScope', scope('WorkerGlobalScope'));
  vi.stubGlobal(kind, scope(kind));
  vi.stubGlobal('navigator', userAgent === undefined ? undefined : { userAgent });
  for (const [name, value] of Object.entries(extra)) vi.stubGlobal(name, value);
}

async function refused(options = requestOptions({ apiKey: 'sk-in-a-worker-0123456789' })): Promise<void> {
  const error = await listChatCompletions({}, options).then(
    () => expect.unreachable('should have been refused'),
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(OpenAIError);
  expect(error.message).toMatch(/Refusing to send an API key from a browser.*dangerouslyAllowBrowser: true/);
  expect(api.requests).toHaveLength(0);
}

async function sent(): Promise<void> {
  await listChatCompletions({}, requestOptions({ apiKey: 'sk-in-a-worker-0123456789' }));
  expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer sk-in-a-worker-0123456789');
}

describe("a browser's workers are browsers", () => {
  it.each([
    ['a dedicated worker', 'DedicatedWorkerGlobalScope', CHROME],
    ['a shared worker', 'SharedWorkerGlobalScope', FIREFOX],
    ['a service worker', 'ServiceWorkerGlobalScope', SAFARI],
  ])('%s is refused a key: apiKey, or one in Authorization or api-key headers', async (_, kind, userAgent) => {
    inWorker(kind, userAgent, { importScripts: () => {} });
    expect(isBrowser()).toBe(true);
    await refused();
    await refused(requestOptions({ headers: { Authorization: 'Bearer sk-by-hand-0123456789' } }));
    await refused(requestOptions({ headers: { 'api-key': '8f14e45fceea167a5a36dedd4bea2543' } }));
  });

  it('sends the key once dangerouslyAllowBrowser is set, and a call without a key in any case', async () => {
    inWorker('DedicatedWorkerGlobalScope', CHROME);
    await listChatCompletions({}, requestOptions({ apiKey: 'sk-allowed-0123456789', dangerouslyAllowBrowser: true }));
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer sk-allowed-0123456789');
    await listChatCompletions({}, requestOptions());
    expect(api.requests.at(-1)!.headers.authorization).toBeUndefined();
  });
});

describe('server runtimes are not', () => {
  it.each([
    ["Deno's Web Worker", () => inWorker('DedicatedWorkerGlobalScope', 'Deno/2.6.0', { Deno: { version: { deno: '2.6.0' } } })],
    ["Bun's worker", () => inWorker('DedicatedWorkerGlobalScope', 'Bun/1.3.0', { Bun: { version: '1.3.0' } })],
    ['Cloudflare Workers', () => inWorker('ServiceWorkerGlobalScope', 'Cloudflare-Workers')],
    ['edge-runtime', () => vi.stubGlobal('EdgeRuntime', 'edge-runtime')],
    ['Node 21 and later, with a navigator', () => vi.stubGlobal('navigator', { userAgent: 'Node.js/22' })],
    ['Node 20', () => {}],
    ['a worker scope with no navigator at all', () => inWorker('DedicatedWorkerGlobalScope', undefined)],
  ])('%s sends the key', async (_, setUp) => {
    setUp();
    expect(isBrowser()).toBe(false);
    await sent();
  });
});
