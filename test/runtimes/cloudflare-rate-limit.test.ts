// examples/relay-rate-limit-durable-object.ts in workerd (Miniflare): two Workers, each its own
// isolate, bound to one RelayRateLimiter class, hit one limit: the hook called directly, and a
// relay in each Worker in front of the fake API, called by the SDK. The objects' storage is kept
// in a temporary folder, so a second workerd started on it shows what the objects remember.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Miniflare as MiniflareType } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APIError, createChatCompletion } from '../../src/index.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';
import { bundleWorker } from './bundle.js';
import { workerd } from './need.js';
import { packed } from './pack.js';

/** Not later than the date this workerd build knows. */
const COMPATIBILITY_DATE = '2026-04-26';
const MINUTE = 60_000;
const WORKERS = ['a', 'b'] as const;
type WorkerName = (typeof WORKERS)[number];

/** The relays' limit: requests per user per minute (test/runtimes/cloudflare-rate-limit-worker.ts). */
const LIMIT = 3;

const fake = createFakeOpenAI();
let upstream: Served;
let script: string;
let persist: string;
let mf: MiniflareType;
const urls = new Map<WorkerName, URL>();

beforeAll(async () => {
  workerd.check();
  const { project } = await packed();
  script = (await bundleWorker(project, 'test/runtimes/cloudflare-rate-limit-worker.ts')).code;
  persist = mkdtempSync(join(tmpdir(), 'openai-chat-fetch-rate-limit-'));
  upstream = await serve(fake.handle);
  await start();
}, 180_000);

afterAll(async () => {
  await mf?.dispose();
  await upstream?.close();
  if (persist) rmSync(persist, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

/** Workers `a` and `b`; `a` defines the class, `b` binds it by `scriptName`, as a second Worker of the account would. */
async function start(): Promise<void> {
  const { Miniflare } = await import('miniflare');
  const worker = (name: WorkerName) => ({
    name,
    modules: true,
    script,
    compatibilityDate: COMPATIBILITY_DATE,
    durableObjects: { RELAY_RATE_LIMITER: { className: 'RelayRateLimiter', useSQLite: true, ...(name === 'a' ? {} : { scriptName: 'a' }) } },
    bindings: { UPSTREAM: upstream.baseURL },
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  });
  mf = new Miniflare({ durableObjectsPersist: persist, workers: WORKERS.map(worker) });
  for (const name of WORKERS) urls.set(name, await mf.unsafeGetDirectURL(name));
}

type Verdict = true | { retryAfterMs: number } | { thrown: string };

/** One request to the hook in Worker `name`, as `user`. */
async function take(name: WorkerName, user: string, requests: number, perMs: number): Promise<Verdict> {
  const url = new URL(`/take?requests=${requests}&perMs=${perMs}`, urls.get(name));
  const response = await fetch(url, { method: 'POST', headers: { 'x-user': user } });
  return (await response.json()) as Verdict;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a rate limit shared through a Durable Object', () => {
  it('lets exactly `requests` through between two Workers hit at once, and tells the rest when to retry', { timeout: 30_000 }, async () => {
    const verdicts = await Promise.all(Array.from({ length: 12 }, (_, i) => take(WORKERS[i % 2]!, 'ann', 5, MINUTE)));
    expect(verdicts.filter((verdict) => verdict === true)).toHaveLength(5);
    const refused = verdicts.filter((verdict) => verdict !== true);
    expect(refused).toHaveLength(7);
    for (const verdict of refused) {
      expect(verdict).toEqual({ retryAfterMs: expect.any(Number) });
      expect((verdict as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
      expect((verdict as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(MINUTE);
    }
  });

  it('keeps one limit per user: another user is let through where the first is refused', { timeout: 30_000 }, async () => {
    expect(await take('a', 'bea', 1, MINUTE)).toBe(true);
    expect(await take('b', 'bea', 1, MINUTE)).toEqual({ retryAfterMs: expect.any(Number) });
    expect(await take('b', 'cy', 1, MINUTE)).toBe(true);
    expect(await take('a', 'cy', 1, MINUTE)).toEqual({ retryAfterMs: expect.any(Number) });
  });

  it('slides: a place frees when the oldest request let through leaves the window, and only its place', { timeout: 30_000 }, async () => {
    const perMs = 1_000;
    const waited = 300;
    expect(await take('a', 'dee', 2, perMs)).toBe(true);
    await sleep(waited);
    expect(await take('b', 'dee', 2, perMs)).toBe(true);
    const refused = await take('a', 'dee', 2, perMs);
    expect(refused).toEqual({ retryAfterMs: expect.any(Number) });
    const { retryAfterMs } = refused as { retryAfterMs: number };
    // Counted from the first request: a wait of the whole window would say more.
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(perMs - waited);
    await sleep(retryAfterMs + 20);
    expect(await take('b', 'dee', 2, perMs)).toBe(true);
    // The second request is still in the window: a fixed window would have started afresh and let this through.
    expect(await take('a', 'dee', 2, perMs)).toEqual({ retryAfterMs: expect.any(Number) });
  });

  it('remembers across a restart: the times are in the object storage, not only in its memory', { timeout: 60_000 }, async () => {
    expect(await take('a', 'eve', 1, MINUTE)).toBe(true);
    await mf.dispose();
    await start();
    expect(await take('b', 'eve', 1, MINUTE)).toEqual({ retryAfterMs: expect.any(Number) });
    expect(await take('a', 'fay', 1, MINUTE)).toBe(true);
  });

  it('refuses a mistaken limit when the hook is made, not on a request', { timeout: 30_000 }, async () => {
    expect(await take('a', 'gus', 0, MINUTE)).toEqual({ thrown: expect.stringContaining('durableObjectRateLimit needs requests') });
    expect(await take('a', 'gus', 1, Number.NaN)).toEqual({ thrown: expect.stringContaining('perMs (above 0)') });
  });
});

/** A create through the relay in Worker `name` (`/memory` for the one limited per isolate), as `user`: the reply, or the refusal. */
async function ask(name: WorkerName, user: string, prefix = ''): Promise<string | APIError> {
  const baseURL = new URL(`${prefix}/v1`, urls.get(name)).href;
  const call = createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { baseURL, apiKey: user, maxRetries: 0 });
  try {
    return (await call).choices[0]!.message.content!;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
}

describe('the relay in two Workers, limited through the Durable Object', () => {
  it(
    'answers the limit between them, then refuses with a 429 the SDK raises, with when to retry; the upstream sees only those let through',
    { timeout: 30_000 },
    async () => {
      const answers = [];
      for (let i = 0; i < LIMIT + 2; i++) answers.push(await ask(WORKERS[i % 2]!, 'hal'));
      expect(answers.slice(0, LIMIT)).toEqual(Array(LIMIT).fill('Echo: hi'));
      for (const refused of answers.slice(LIMIT)) {
        expect(refused).toBeInstanceOf(APIError);
        expect(refused).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
        const seconds = Number((refused as APIError).headers['retry-after']);
        expect(seconds).toBeGreaterThan(0);
        expect(seconds).toBeLessThanOrEqual(MINUTE / 1000);
      }
      expect(fake.requests).toHaveLength(LIMIT);
      expect(fake.requests.map((request) => (request.body as { safety_identifier?: string }).safety_identifier)).toEqual(Array(LIMIT).fill('hal'));
    },
  );

  it('where memoryRateLimit lets each isolate count alone: the same requests get the limit once per Worker', { timeout: 30_000 }, async () => {
    const answers = [];
    for (let i = 0; i < 2 * LIMIT + 1; i++) answers.push(await ask(WORKERS[i % 2]!, 'ida', '/memory'));
    expect(answers.filter((answer) => answer === 'Echo: hi')).toHaveLength(2 * LIMIT);
    expect(answers.at(-1)).toMatchObject({ status: 429 });
    expect(fake.requests).toHaveLength(2 * LIMIT);
  });
});
