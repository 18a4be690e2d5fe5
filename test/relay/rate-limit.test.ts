import { afterEach, describe, expect, it, vi } from 'vitest';
import { APIError, createChatCompletion } from '../../src/index.js';
import { memoryRateLimit } from '../../src/relay/index.js';
import type { RateLimitRequest } from '../../src/relay/index.js';
import { caught } from '../helpers/streams.js';
import { useRelay } from '../helpers/relay.js';

// `rateLimit` runs after `authorize` and before the body is read: a refused request costs the
// relay no body and the upstream nothing. memoryRateLimit counts per user in one isolate.
const relay = useRelay();
const hello = [{ role: 'user' as const, content: 'hi' }];
const request = new Request('http://relay.test/');
const asUser = (user: string | undefined): RateLimitRequest => ({ user, request });

afterEach(() => {
  vi.useRealTimers();
});

describe('memoryRateLimit', () => {
  it('lets `requests` through per window and user, then says how long to wait', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limit = memoryRateLimit({ requests: 2, perMs: 60_000 });
    expect([limit(asUser('alice')), limit(asUser('alice')), limit(asUser('bob'))]).toEqual([true, true, true]);
    vi.advanceTimersByTime(15_000);
    expect(limit(asUser('alice'))).toEqual({ retryAfterMs: 45_000 });
    vi.advanceTimersByTime(45_000);
    expect(limit(asUser('alice'))).toBe(true);
  });

  it('keys a public relay by what `key` says (an address), one shared limit without it', () => {
    const byAddress = memoryRateLimit({ requests: 1, perMs: 1000, key: ({ request }) => request.headers.get('x-forwarded-for') ?? '' });
    const from = (address: string) => ({ user: undefined, request: new Request('http://relay.test/', { headers: { 'x-forwarded-for': address } }) });
    expect([byAddress(from('10.0.0.1')), byAddress(from('10.0.0.2')), byAddress(from('10.0.0.1'))]).toEqual([true, true, { retryAfterMs: expect.any(Number) }]);
    const shared = memoryRateLimit({ requests: 1, perMs: 1000 });
    expect([shared(asUser(undefined)), shared(asUser(undefined))]).toEqual([true, { retryAfterMs: expect.any(Number) }]);
  });

  it('refuses options that cannot limit anything, at once', () => {
    expect(() => memoryRateLimit({ requests: 0, perMs: 1000 })).toThrow(/requests/);
    expect(() => memoryRateLimit({ requests: 1.5, perMs: 1000 })).toThrow(/requests/);
    expect(() => memoryRateLimit({ requests: 1, perMs: 0 })).toThrow(/perMs/);
  });
});

describe('a rate-limited relay', () => {
  it('answers 429 with retry-after, which the page SDK raises as a 429 APIError; the upstream sees nothing of it', async () => {
    relay.use({ rateLimit: memoryRateLimit({ requests: 2, perMs: 60_000 }) });
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page());
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page());
    const error = await caught<APIError>(createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page()));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(Number(error.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(error.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(error.message).toMatch(/^429 Too many requests: try again in \d+ s\.$/);
    expect(relay.fake.requests).toHaveLength(2);
    // Another user has a limit of their own.
    await createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page({ apiKey: 'token-bob' }));
    expect(relay.fake.requests).toHaveLength(3);
  });

  it('is asked after authorize, with the user, and before the body is read', async () => {
    const asked: (string | undefined)[] = [];
    relay.use({
      rateLimit: ({ user, request: page }) => {
        asked.push(user);
        expect(page.bodyUsed).toBe(false);
        return { retryAfterMs: 2500 };
      },
    });
    const response = await fetch(`${relay.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer token-bob', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('retry-after-ms')).toBe('2500');
    const unauthorized = await fetch(`${relay.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    expect(asked).toEqual(['bob']);
  });

  it('turns a rateLimit that gives nonsense into a 500 for the page and the reason for onError', async () => {
    relay.use({ rateLimit: () => ({ retryAfterMs: Number.NaN }) });
    const error = await caught<APIError>(createChatCompletion({ model: 'gpt-4o-mini', messages: hello }, relay.page()));
    expect(error).toMatchObject({ status: 500, code: 'relay_error' });
    expect(String(relay.errors[0]!.error)).toMatch(/rateLimit must give true/);
  });
});
