// The worker test/runtimes/cloudflare.test.ts runs in workerd: the relay example (examples/relay.ts)
// as deployed, the same given a request without `request.signal`, and the same call kept alive by
// `ctx.waitUntil`, with and without the signal. `/status` tells what the worker itself saw: whether
// `request.signal` aborted, whether workerd cancelled the body it returned.
import { createChatCompletion } from 'openai-chat-fetch';
import { relayFor } from '../../examples/relay.js';

interface Env {
  /** The local fake API's base URL. */
  API: string;
}
interface Context {
  waitUntil(promise: Promise<unknown>): void;
}

/** Module state lives as long as the isolate, across requests. */
const seen = { signalAborted: 0, bodyCancelled: 0 };
let relay: ((request: Request) => Promise<Response>) | undefined;

/** The example's relay in front of the local fake API; every session is the same user. */
function relayOf(env: Env): (request: Request) => Promise<Response> {
  const sessions = { get: async () => 'worker-user' };
  relay ??= relayFor({ OPENAI_API_KEY: 'sk-test', SESSIONS: sessions }, { baseURL: env.API, onUsage: undefined, onError: undefined });
  return relay;
}

/** The body as returned, watched for workerd's `cancel()`. */
function watched(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      seen.bodyCancelled++;
      return reader.cancel(reason);
    },
  });
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  try {
    for await (const _ of stream);
  } catch {
    // Aborted: what the test looks for upstream.
  }
}

/** The upstream call read to its end in `ctx.waitUntil` (to store the answer), the page sent a heartbeat. */
async function kept(request: Request, env: Env, ctx: Context, signal: AbortSignal | undefined): Promise<Response> {
  const { messages } = (await request.json()) as { messages: { role: 'user'; content: string }[] };
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true }, { baseURL: env.API, apiKey: 'sk-test', maxRetries: 0, signal });
  ctx.waitUntil(drain(stream));
  const heartbeat = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.enqueue(new TextEncoder().encode(': waiting\n\n'));
    },
  });
  return new Response(heartbeat, { headers: { 'content-type': 'text/event-stream' } });
}

export default {
  async fetch(request: Request, env: Env, ctx: Context): Promise<Response> {
    // `/<mode>/v1/chat/completions` for the relay, `/<mode>` otherwise.
    const mode = new URL(request.url).pathname.split('/')[1];
    if (mode === 'status') return Response.json(seen);
    request.signal.addEventListener('abort', () => seen.signalAborted++);
    switch (mode) {
      case 'example': {
        const response = await relayOf(env)(request);
        return new Response(response.body && watched(response.body), response);
      }
      case 'example-without-signal':
        return relayOf(env)(new Request(request.url, { method: request.method, headers: request.headers, body: request.body }));
      case 'wait-until':
        return kept(request, env, ctx, undefined);
      case 'wait-until-with-signal':
        return kept(request, env, ctx, request.signal);
      default:
        return new Response('unknown mode', { status: 404 });
    }
  },
};
