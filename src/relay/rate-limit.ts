import { OpenAIError } from '../errors.js';
import type { RateLimitRequest, RateLimitVerdict } from './types.js';

/** Options of `memoryRateLimit`. */
export interface MemoryRateLimitOptions {
  /** Requests allowed per window, per key. */
  requests: number;
  /** The window, in milliseconds. */
  perMs: number;
  /** What a limit is kept per: by default the user (`authorize`'s), one shared limit on a public relay without it. */
  key?: ((request: RateLimitRequest) => string) | undefined;
}

/**
 * A `rateLimit` for one isolate or process: `requests` per `perMs` per user, in fixed windows
 * kept in memory (ended windows are swept once a window). Every isolate counts on its own: a
 * limit shared by all needs a shared store (see the Durable Object recipe in examples/).
 *
 * @example
 * createRelay({ authorize, models: ['gpt-4o-mini'], rateLimit: memoryRateLimit({ requests: 20, perMs: 60_000 }) });
 */
export function memoryRateLimit({ requests, perMs, key = byUser }: MemoryRateLimitOptions): (request: RateLimitRequest) => RateLimitVerdict {
  if (!(Number.isInteger(requests) && requests >= 1 && perMs > 0)) {
    throw new OpenAIError(`memoryRateLimit needs requests (a whole number of 1 or more) and perMs (above 0), got ${requests} and ${perMs}.`);
  }
  const windows = new Map<string, { count: number; endsAt: number }>();
  let sweepAt = 0;
  return (request) => {
    const now = Date.now();
    if (now >= sweepAt) {
      for (const [name, window] of windows) if (window.endsAt <= now) windows.delete(name);
      sweepAt = now + perMs;
    }
    const name = key(request);
    let window = windows.get(name);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + perMs };
      windows.set(name, window);
    }
    if (window.count >= requests) return { retryAfterMs: window.endsAt - now };
    window.count++;
    return true;
  };
}

function byUser({ user }: RateLimitRequest): string {
  return user ?? '';
}
