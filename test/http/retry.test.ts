import { describe, expect, it } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InvalidResponseError } from '../../src/errors.js';
import { retryDelay, sleep } from '../../src/http/retry.js';

const apiError = (status: number, headers: Record<string, string> = {}) => new APIError({ status, headers, requestId: undefined }, { message: 'x' });

describe('retryDelay', () => {
  it('retries 408, 409, 429 and 5xx, not other 4xx', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504]) expect(retryDelay(apiError(status), 0), String(status)).toBeTypeOf('number');
    for (const status of [400, 401, 403, 404, 422]) expect(retryDelay(apiError(status), 0), String(status)).toBeUndefined();
  });

  it('lets x-should-retry override the status', () => {
    expect(retryDelay(apiError(400, { 'x-should-retry': 'true' }), 0)).toBeTypeOf('number');
    expect(retryDelay(apiError(503, { 'x-should-retry': 'false' }), 0)).toBeUndefined();
    // Any other value is no verdict: the status decides.
    expect(retryDelay(apiError(503, { 'x-should-retry': 'maybe' }), 0)).toBeTypeOf('number');
    expect(retryDelay(apiError(400, { 'x-should-retry': 'maybe' }), 0)).toBeUndefined();
  });

  it('retries connection failures and time-outs, never aborts or unusable bodies', () => {
    expect(retryDelay(new APIConnectionError('x'), 0)).toBeTypeOf('number');
    expect(retryDelay(new APIConnectionTimeoutError('x'), 0)).toBeTypeOf('number');
    expect(retryDelay(new APIUserAbortError(), 0)).toBeUndefined();
    expect(retryDelay(new InvalidResponseError({ status: 200, headers: {}, requestId: undefined }, 'x'), 0)).toBeUndefined();
    expect(retryDelay(new TypeError('x'), 0)).toBeUndefined();
  });

  it('honours retry-after-ms, then retry-after in seconds or as a date, up to 60 s', () => {
    expect(retryDelay(apiError(429, { 'retry-after-ms': '1500', 'retry-after': '9' }), 0)).toBe(1500);
    expect(retryDelay(apiError(429, { 'retry-after': '2' }), 0)).toBe(2000);
    // Zero means "now", not "unparsable" (which would fall back to a backoff).
    expect(retryDelay(apiError(429, { 'retry-after': '0' }), 0)).toBe(0);
    expect(retryDelay(apiError(429, { 'retry-after-ms': '0' }), 0)).toBe(0);
    const date = retryDelay(apiError(429, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }), 0)!;
    expect(date).toBeGreaterThan(3000);
    expect(date).toBeLessThanOrEqual(5000);
  });

  it('falls back to exponential backoff with jitter when retry-after is absent, too long or bad', () => {
    for (const headers of [{}, { 'retry-after': '120' }, { 'retry-after': 'soon' }] as Record<string, string>[]) {
      const first = retryDelay(apiError(429, headers), 0)!;
      expect(first).toBeGreaterThan(375 - 1e-9);
      expect(first).toBeLessThanOrEqual(500);
    }
    const second = retryDelay(apiError(500), 1)!;
    expect(second).toBeGreaterThan(750 - 1e-9);
    expect(second).toBeLessThanOrEqual(1000);
    const capped = retryDelay(apiError(500), 10)!;
    expect(capped).toBeGreaterThan(6000 - 1e-9);
    expect(capped).toBeLessThanOrEqual(8000);
  });
});

describe('sleep', () => {
  it('rejects with an abort error as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rejects at once on an already aborted signal', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).rejects.toBeInstanceOf(APIUserAbortError);
  });
});
