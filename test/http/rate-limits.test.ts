import { describe, expect, it } from 'vitest';
import { parseRateLimits } from '../../src/index.js';

describe('parseRateLimits', () => {
  it("reads OpenAI's headers into numbers and milliseconds", () => {
    const headers = new Headers({
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-limit-tokens': '150000',
      'x-ratelimit-remaining-requests': '9999',
      'x-ratelimit-remaining-tokens': '149984',
      'x-ratelimit-reset-requests': '6ms',
      'x-ratelimit-reset-tokens': '6m0s',
      'x-request-id': 'req_1',
    });
    expect(parseRateLimits(headers)).toEqual({
      requests: { limit: 10000, remaining: 9999, resetMs: 6 },
      tokens: { limit: 150000, remaining: 149984, resetMs: 360_000 },
    });
  });

  it.each([
    ['6m0s', 360_000],
    ['1m30.5s', 90_500],
    ['250ms', 250],
    ['1s', 1000],
    ['20ms', 20],
    ['1h2m3s', 3_723_000],
    ['0.5s', 500],
    ['2', 2000],
    ['7.25', 7250],
  ])('takes the duration %s for %i ms', (text, ms) => {
    expect(parseRateLimits({ 'x-ratelimit-reset-tokens': text }).tokens).toEqual({ resetMs: ms });
  });

  it('leaves out what does not parse, never a NaN', () => {
    const limits = parseRateLimits({
      'x-ratelimit-reset-tokens': 'soon',
      'x-ratelimit-limit-tokens': '',
      'x-ratelimit-remaining-tokens': 'many',
      'x-ratelimit-reset-requests': '5m3x',
    });
    expect(limits).toEqual({});
  });

  it.each(['0x10', '0b11', '0o7', '-1', '+5', '1e3', 'Infinity', '1_000', ' ', '9'.repeat(400)])('reads decimal numbers only: %j is left out', (text) => {
    const limits = parseRateLimits({ 'x-ratelimit-remaining-tokens': text, 'x-ratelimit-limit-tokens': text, 'x-ratelimit-reset-tokens': text });
    expect(limits).toEqual({});
  });

  it('reads decimal counts, fractions and padded values', () => {
    const limits = parseRateLimits({ 'x-ratelimit-remaining-tokens': ' 0012 ', 'x-ratelimit-limit-tokens': '2.5', 'x-ratelimit-reset-tokens': '0' });
    expect(limits).toEqual({ tokens: { remaining: 12, limit: 2.5, resetMs: 0 } });
  });

  it('keeps names a compatible server invents, as own data even when hostile', () => {
    const limits = parseRateLimits({ 'X-RateLimit-Remaining-Tokens-Usage-Based': '7', 'x-ratelimit-limit-__proto__': '1' });
    expect(limits['tokens-usage-based']).toEqual({ remaining: 7 });
    expect(Object.keys(limits)).toContain('__proto__');
    expect(Object.getPrototypeOf(limits)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).limit).toBeUndefined();
  });
});
