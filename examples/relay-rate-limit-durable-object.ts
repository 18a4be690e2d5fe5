// One rate limit for every isolate of a relay on Cloudflare Workers: a Durable Object per key
// (per user by default) counts that key's requests, wherever in the world the isolates serving
// them run. `memoryRateLimit` counts per isolate, and Cloudflare runs many: a page spreading its
// requests over them would get the limit once per isolate.
//
// wrangler.jsonc:
//   "durable_objects": { "bindings": [{ "name": "RELAY_RATE_LIMITER", "class_name": "RelayRateLimiter" }] },
//   "migrations": [{ "tag": "v1", "new_sqlite_classes": ["RelayRateLimiter"] }]
// and export the class from the Worker's entry module: `export { RelayRateLimiter } from './relay-rate-limit-durable-object.js'`.
// Another Worker shares the same limit by binding the same class with `"script_name"` set to this one.
//
// Tested in workerd through Miniflare, two Workers hitting one limit: test/runtimes/cloudflare-rate-limit.test.ts.
import { DurableObject } from 'cloudflare:workers';
import { OpenAIError } from 'openai-chat-fetch';
import type { RateLimitRequest, RateLimitVerdict } from 'openai-chat-fetch/relay';

/** Where the request times are kept in the object's storage. */
const HITS = 'hits';

/**
 * Counts one key's requests in a sliding window: at most `requests` in any `perMs`. It keeps the
 * times of the last `requests` requests let through (no more than that many numbers), so its
 * verdict is exact at every instant, where a fixed window lets twice the limit through across
 * a window's edge, and `retryAfterMs` is exactly when the oldest of them leaves the window.
 *
 * Correct under concurrency because Cloudflare runs one instance of an object at a time and
 * `take` decides and records without awaiting anything in between: two calls never interleave.
 * The times are written to storage, so an object evicted while idle, or moved, picks up where it
 * left off; the write is not awaited, as the object's output gate holds the answer until it is
 * stored (and a failed write fails the call, which the relay refuses: the limit fails closed).
 */
export class RelayRateLimiter extends DurableObject {
  /** Times (ms since the epoch) of the requests let through, oldest first. */
  private hits: number[] = [];

  constructor(ctx: ConstructorParameters<typeof DurableObject>[0], env: unknown) {
    super(ctx, env);
    // No call is delivered before the stored times are loaded.
    void ctx.blockConcurrencyWhile(async () => {
      this.hits = (await ctx.storage.get<number[]>(HITS)) ?? [];
    });
  }

  /** Lets one request through if fewer than `requests` went through in the last `perMs`. */
  take(requests: number, perMs: number): RateLimitVerdict {
    const now = Date.now();
    // Only the last `requests` times can decide a verdict; older ones are dropped as well.
    const recent = this.hits.filter((time) => time > now - perMs).slice(-requests);
    if (recent.length >= requests) {
      this.hits = recent;
      return { retryAfterMs: recent[0]! + perMs - now };
    }
    recent.push(now);
    this.hits = recent;
    void this.ctx.storage.put(HITS, recent);
    return true;
  }
}

/** The Durable Object binding of `RelayRateLimiter` (`env.RELAY_RATE_LIMITER`), the part the hook uses. */
export interface RelayRateLimiterBinding {
  idFromName(name: string): object;
  get(id: object): { take(requests: number, perMs: number): Promise<RateLimitVerdict> };
}

/** Options of `durableObjectRateLimit`. */
export interface DurableObjectRateLimitOptions {
  /** The binding of the `RelayRateLimiter` class. */
  binding: RelayRateLimiterBinding;
  /** Requests allowed per window, per key. */
  requests: number;
  /** The window, in milliseconds. */
  perMs: number;
  /**
   * What a limit is kept per, one object each: by default the user (`authorize`'s), and one
   * limit for all on a public relay without it; there, the address is the usual key:
   * `({ request }) => request.headers.get('cf-connecting-ip') ?? ''`.
   */
  key?: ((request: RateLimitRequest) => string) | undefined;
}

/**
 * A `rateLimit` for `createRelay` shared by every isolate: `requests` per `perMs` per key,
 * counted by the key's `RelayRateLimiter` object.
 *
 * @example
 * createRelay({ authorize, models, rateLimit: durableObjectRateLimit({ binding: env.RELAY_RATE_LIMITER, requests: 20, perMs: 60_000 }) });
 */
export function durableObjectRateLimit({
  binding,
  requests,
  perMs,
  key = byUser,
}: DurableObjectRateLimitOptions): (request: RateLimitRequest) => Promise<RateLimitVerdict> {
  if (!(Number.isInteger(requests) && requests >= 1 && perMs > 0)) {
    throw new OpenAIError(`durableObjectRateLimit needs requests (a whole number of 1 or more) and perMs (above 0), got ${requests} and ${perMs}.`);
  }
  if (typeof binding?.idFromName !== 'function')
    throw new OpenAIError('durableObjectRateLimit needs `binding`: the Durable Object binding of RelayRateLimiter.');
  return (request) => binding.get(binding.idFromName(key(request))).take(requests, perMs);
}

function byUser({ user }: RateLimitRequest): string {
  return user ?? '';
}
