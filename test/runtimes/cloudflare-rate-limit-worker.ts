// The Worker test/runtimes/cloudflare-rate-limit.test.ts runs twice in workerd (two Workers, two
// isolates), both bound to one RelayRateLimiter class: the recipe in
// examples/relay-rate-limit-durable-object.ts as deployed, in front of the fake API.
import { createRelay, memoryRateLimit } from 'openai-chat-fetch/relay';
import type { RateLimitRequest, RateLimitVerdict, RelayOptions } from 'openai-chat-fetch/relay';
import { durableObjectRateLimit } from '../../examples/relay-rate-limit-durable-object.js';
import type { RelayRateLimiterBinding } from '../../examples/relay-rate-limit-durable-object.js';

export { RelayRateLimiter } from '../../examples/relay-rate-limit-durable-object.js';

interface Env {
  RELAY_RATE_LIMITER: RelayRateLimiterBinding;
  /** The fake API's base URL. */
  UPSTREAM: string;
}

/** Requests per user per minute, through either relay (as the test has it). */
const LIMIT = 3;
const MINUTE = 60_000;

/** Made once per isolate: `/v1` limited by the Durable Object, `/memory/v1` by `memoryRateLimit` (each isolate counting alone). */
let relays: { shared: (request: Request) => Promise<Response>; isolate: (request: Request) => Promise<Response> } | undefined;

function relayWith(env: Env, rateLimit: (request: RateLimitRequest) => RateLimitVerdict | Promise<RateLimitVerdict>): (request: Request) => Promise<Response> {
  const options: RelayOptions = {
    apiKey: 'sk-rate-limit-test',
    baseURL: env.UPSTREAM,
    authorize: (request) => {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
      return token ? { user: token } : null;
    },
    models: ['gpt-4o-mini'],
    rateLimit,
  };
  return createRelay(options);
}

/** `POST /take?requests=&perMs=` as user `x-user`: the hook's verdict, or what making the hook threw, as JSON. */
async function take(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  let rateLimit: ReturnType<typeof durableObjectRateLimit>;
  try {
    rateLimit = durableObjectRateLimit({
      binding: env.RELAY_RATE_LIMITER,
      requests: Number(url.searchParams.get('requests')),
      perMs: Number(url.searchParams.get('perMs')),
    });
  } catch (error) {
    return Response.json({ thrown: (error as Error).message });
  }
  return Response.json(await rateLimit({ user: request.headers.get('x-user') ?? undefined, request }));
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === '/take') return take(request, env);
    relays ??= {
      shared: relayWith(env, durableObjectRateLimit({ binding: env.RELAY_RATE_LIMITER, requests: LIMIT, perMs: MINUTE })),
      isolate: relayWith(env, memoryRateLimit({ requests: LIMIT, perMs: MINUTE })),
    };
    return pathname.startsWith('/memory/') ? relays.isolate(request) : relays.shared(request);
  },
};
