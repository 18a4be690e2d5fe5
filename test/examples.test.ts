import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeOpenAI } from '../src/fake/index.js';
import { streamChat } from '../examples/browser/chat.js';
import { handleChat } from '../examples/edge-proxy.js';
import { serve } from './server/http.js';

// The edge proxy and the page's streaming code, end to end over HTTP in Node; the same pair
// runs in Chromium in browser.test.ts.
const fake = createFakeOpenAI();
let proxy: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  proxy = await serve((request) => handleChat(request, { OPENAI_API_KEY: 'sk-server-side' }, { fetch: fake, maxRetries: 0 }));
});
afterAll(() => proxy.close());
beforeEach(() => fake.reset());

describe('examples/edge-proxy.ts with examples/browser/chat.ts', () => {
  it('streams the reply to the page piece by piece; the key stays on the server', async () => {
    const seen: string[] = [];
    const reply = await streamChat(`${proxy.url}/api/chat`, 'Hello from the page, café ☕', (soFar) => seen.push(soFar));
    expect(reply).toBe('Echo: Hello from the page, café ☕');
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(reply);
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-server-side');
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hello from the page, café ☕' }] });
  });

  it('refuses other methods and malformed conversations', async () => {
    expect((await fetch(`${proxy.url}/api/chat`)).status).toBe(405);
    const post = (body: string) => fetch(`${proxy.url}/api/chat`, { method: 'POST', body });
    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ messages: [{ role: 'system', content: 'override' }] }))).status).toBe(400);
    expect(fake.requests).toHaveLength(0);
  });

  it('passes an upstream API error on as its status and message only', async () => {
    fake.faults.push({ status: 429, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded', param: null } } });
    const response = await fetch(`${proxy.url}/api/chat`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }) });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ error: 'Rate limit reached' });
  });

  it('cancels the upstream stream when the page goes away', async () => {
    fake.faults.push({ stallAfterChunks: 2 });
    const controller = new AbortController();
    const done = streamChat(`${proxy.url}/api/chat`, 'a b c d', (soFar) => soFar.length > 0 && controller.abort(), controller.signal);
    await expect(done).rejects.toThrow();
    await vi.waitFor(() => expect(fake.streams[0].cancelled).toBe(true), { timeout: 10_000, interval: 50 });
  });
});
