// The Worker test/runtimes/cloudflare-rate-limit.test.ts runs twice in workerd (two Workers, two
// isolates), both bound to one RelayRateLimiter class: the recipe in
// examples/relay-rate-limit-durable-object.ts as deployed.
import { durableObjectRateLimit } from '../../examples/relay-rate-limit-durable-object.js';
import type { RelayRateLimiterBinding } from '../../examples/relay-rate-limit-durable-object.js';

export { RelayRateLimiter } from '../../examples/relay-rate-limit-durable-object.js';

interface Env {
  RELAY_RATE_LIMITER: RelayRateLimiterBinding;
}

export default {
  /** `POST /take?requests=&perMs=` as user `x-user`: the hook's verdict, or what making the hook threw, as JSON. */
  async fetch(request: Request, env: Env): Promise<Response> {
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
  },
};
