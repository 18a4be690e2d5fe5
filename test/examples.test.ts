import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { APIError } from '../src/index.js';
import { createFakeOpenAI } from '../src/fake/index.js';
import { toNodeListener } from '../src/relay/index.js';
import { streamChat } from '../examples/browser/chat.js';
import { relayFor } from '../examples/relay.js';
import type { Env } from '../examples/relay.js';
import { caught } from './helpers/streams.js';

// The relay example and the page's streaming code, end to end over HTTP in Node, the relay
// served from Node's own server through toNodeListener; the same pair runs in each browser
// engine in test/runtimes/browser.test.ts.
const KEY = 'sk-server-side-0123456789abcdefghij';
const fake = createFakeOpenAI();
const env: Env = { OPENAI_API_KEY: KEY, SESSIONS: { get: async (session) => (session === 'session-of-ada' ? 'ada' : null) } };
const server = createServer(toNodeListener(relayFor(env, { upstream: { fetch: fake }, onUsage: undefined, onError: undefined })));
let baseURL: string;
const signedIn = () => ({ baseURL, maxRetries: 0, headers: { cookie: 'session=session-of-ada' } });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => fake.reset());

describe('examples/relay.ts with examples/browser/chat.ts', () => {
  it('streams the reply to the page piece by piece; the key stays on the server, the user goes upstream', async () => {
    const seen: string[] = [];
    const reply = await streamChat('Hello from the page, café ☕', (soFar) => seen.push(soFar), signedIn());
    expect(reply).toBe('Echo: Hello from the page, café ☕');
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(reply);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(fake.requests[0]!.headers.cookie).toBeUndefined();
    expect(fake.requests[0]!.body).toMatchObject({ model: 'gpt-4o-mini', stream: true, safety_identifier: 'ada' });
  });

  it('refuses a page without a session, and a model the example does not serve', async () => {
    expect(await caught(streamChat('hi', () => {}, { baseURL, maxRetries: 0 }))).toMatchObject({ status: 401 });
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { cookie: 'session=session-of-ada', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'o3-pro', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(fake.requests).toHaveLength(0);
  });

  it('passes an upstream rate limit on as a 429 the page’s SDK raises', async () => {
    fake.faults.push({ status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } } });
    // The example imports the built package: its APIError is dist's, told apart by name.
    const error = await caught<APIError>(streamChat('x', () => {}, signedIn()));
    expect(error).toMatchObject({ name: 'RateLimitError', status: 429, code: 'rate_limit_exceeded', headers: { 'retry-after': '1' } });
  });

  it('cancels the upstream stream when the page goes away', async () => {
    fake.faults.push({ stallAfterChunks: 2 });
    const controller = new AbortController();
    const done = streamChat('a b c d', (soFar) => soFar.length > 0 && controller.abort(), { ...signedIn(), signal: controller.signal });
    await expect(done).rejects.toThrow();
    await vi.waitFor(() => expect(fake.streams[0]!.cancelled).toBe(true), { timeout: 10_000, interval: 50 });
  });
});
