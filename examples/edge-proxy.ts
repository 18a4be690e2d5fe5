// An edge function that keeps the API key on the server and streams the answer to the
// browser as server-sent events. One web-standard handler, deployable as:
//   Cloudflare Workers:  export default { fetch: handleChat }   (key from the `env` binding)
//   Vercel Edge:         export const runtime = 'edge'; export const POST = (req: Request) => handleChat(req);
//   Deno Deploy:         Deno.serve((req) => handleChat(req));
import { APIError, createChatCompletion, toServerSentEvents } from 'openai-chat-fetch';
import type { ChatCompletionMessageParam, RequestOptions } from 'openai-chat-fetch';

/** What the page may send: the conversation only. The model and the key stay server-side. */
interface ChatRequest {
  messages: { role: 'user' | 'assistant'; content: string }[];
}

const MODEL = 'gpt-4o-mini';
const MAX_MESSAGES = 50;

/**
 * `POST` with `{ messages }` → `text/event-stream` of chat completion chunks.
 * `env` is Cloudflare's bindings; elsewhere the SDK reads `OPENAI_API_KEY` itself.
 * `options` lets tests and other hosts pass their own `fetch` or `baseURL`.
 */
export async function handleChat(request: Request, env?: { OPENAI_API_KEY?: string }, options: RequestOptions = {}): Promise<Response> {
  if (request.method !== 'POST') return Response.json({ error: 'POST only' }, { status: 405, headers: { allow: 'POST' } });
  const body = await request.json().catch(() => null);
  if (!isChatRequest(body)) return Response.json({ error: 'expected { messages: [{ role, content }] }' }, { status: 400 });

  const messages: ChatCompletionMessageParam[] = body.messages.map(({ role, content }) => ({ role, content }));
  try {
    const stream = await createChatCompletion(
      { model: MODEL, messages, stream: true },
      // The page leaving stops the upstream call: Deno, Bun and Node abort request.signal;
      // Cloudflare Workers end the invocation and cancel its subrequests (test/runtimes/cloudflare.test.ts).
      { apiKey: env?.OPENAI_API_KEY, signal: request.signal, ...options },
    );
    return new Response(toServerSentEvents(stream), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  } catch (error) {
    // Status and the API's message only: headers and request details stay on the server.
    const status = error instanceof APIError ? error.status : 502;
    return Response.json({ error: error instanceof APIError ? error.error.message : 'upstream unavailable' }, { status });
  }
}

function isChatRequest(value: unknown): value is ChatRequest {
  const messages = (value as ChatRequest | null)?.messages;
  return (
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.length <= MAX_MESSAGES &&
    messages.every((m) => (m?.role === 'user' || m?.role === 'assistant') && typeof m.content === 'string')
  );
}

// Cloudflare's third argument is its ExecutionContext, not options.
export default { fetch: (request: Request, env: { OPENAI_API_KEY?: string }) => handleChat(request, env) };
