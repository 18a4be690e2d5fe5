import { afterAll, beforeAll } from 'vitest';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';

/** What one request to a hostile server looked like. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * A real HTTP server on 127.0.0.1 for one test file that answers whatever the test scripts,
 * and records every request. `answer` is set per test; `seen` is cleared with `reset()`.
 */
export function useHostileServer() {
  const state = {
    server: {} as Served,
    seen: [] as Seen[],
    answer: (_request: Request): Response | Promise<Response> => new Response('{}', { headers: { 'content-type': 'application/json' } }),
  };
  beforeAll(async () => {
    Object.assign(
      state.server,
      await serve(async (request) => {
        state.seen.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers) });
        return state.answer(request);
      }),
    );
  });
  afterAll(() => state.server.close());
  return Object.assign(state, {
    reset() {
      state.seen = [];
    },
  });
}

const encoder = new TextEncoder();

/** A `text/event-stream` response of the given pieces, each its own write, `delayMs` apart. */
export function eventStream(pieces: string[], { delayMs = 0, status = 200, headers = {} as Record<string, string> } = {}): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next >= pieces.length) return controller.close();
      if (delayMs && next > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      controller.enqueue(encoder.encode(pieces[next++]));
    },
  });
  return new Response(body, { status, headers: { 'content-type': 'text/event-stream', ...headers } });
}

/** A JSON response. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(typeof value === 'string' ? value : JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** One chunk event of a chat completion stream. */
export function chunkEvent(content: string | null, finish: string | null = null, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-h', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }], ...extra })}\n\n`;
}

/** Every form a user or a log can see an error in. */
export async function everyFormOf(error: unknown): Promise<string> {
  const { inspect } = await import('node:util');
  const e = error as Error & { error?: unknown; headers?: unknown; cause?: unknown };
  return [
    e.message,
    e.stack,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: 10 }),
    JSON.stringify(e.error),
    JSON.stringify(e.headers),
    String(e.cause),
  ].join('\n');
}
