// The key on the server, the whole SDK in the page: `openai-chat-fetch/relay` in front of the
// API. The page calls `createChatCompletion(body, { baseURL: 'https://your.site/api/v1' })` with
// no key (examples/browser/chat.ts); streams, structured outputs, `toChatCompletionEvents` and
// `runTools` with tools that run in the page work unchanged. One web-standard handler:
//   Cloudflare Workers:  the default export below (the key from the `env` binding)
//   Next.js (app/api/[...path]/route.ts):  export const POST = relay; export const OPTIONS = relay;
//   Deno:  Deno.serve(relay)        Bun:  Bun.serve({ fetch: relay })
//   Node:  createServer(toNodeListener(relay)).listen(8787)   (toNodeListener from the same entry)
// The README's "From the browser, through your relay" has each set-up whole.
import { createRelay, memoryRateLimit } from 'openai-chat-fetch/relay';
import type { RelayOptions } from 'openai-chat-fetch/relay';

export interface Env {
  OPENAI_API_KEY?: string;
  /** Session id → user id: a Cloudflare KV namespace, or anything with an async `get`. */
  SESSIONS: { get(session: string): Promise<string | null> };
}

/** One limit per isolate (module state lives as long as it): 30 requests a minute per user. */
const rateLimit = memoryRateLimit({ requests: 30, perMs: 60_000 });
const SESSION_COOKIE = /(?:^|;\s*)session=([^;]+)/;

/**
 * The relay for this deployment. Who is calling comes from the page's session cookie, which a
 * same-origin page sends by itself; `more` lets tests and other hosts pass their own upstream.
 */
export function relayFor(env: Env, more: Partial<RelayOptions> = {}): (request: Request) => Promise<Response> {
  return createRelay({
    apiKey: env.OPENAI_API_KEY,
    authorize: async (request) => {
      const session = SESSION_COOKIE.exec(request.headers.get('cookie') ?? '')?.[1];
      const user = session ? await env.SESSIONS.get(session) : null;
      return user ? { user } : null;
    },
    models: ['gpt-4o-mini', 'gpt-4.1-mini'],
    rateLimit,
    onUsage: ({ user, model, usage }) => console.log(`${user} used ${usage?.total_tokens ?? 'unknown'} tokens of ${model}`),
    onError: ({ user, status, error }) => console.error(`relay ${status} for ${user}:`, error),
    ...more,
  });
}

let relay: ((request: Request) => Promise<Response>) | undefined;

// Cloudflare: the bindings arrive with the first request; the relay is made once per isolate.
export default {
  fetch(request: Request, env: Env): Promise<Response> {
    relay ??= relayFor(env);
    return relay(request);
  },
};
