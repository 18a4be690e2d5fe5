// Serves a web-standard fetch handler (such as `createFakeOpenAI().handle`) over Node's own HTTP
// server: what the `openai-chat-fetch-fake` command serves the fake with, what `npm start` uses
// for the embedded local API, and the tests for real sockets. The request and the answer cross
// between Node and fetch's types in the relay's Node adapter (`toNodeListener`), the one place
// that does it; this adds the CORS headers a page on another origin needs, and the socket
// bookkeeping of a test server.
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { toNodeListener } from 'openai-chat-fetch/relay';

export interface Served {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url` + `/v1`, as the SDK's `baseURL`. */
  baseURL: string;
  /** Connections the server has seen close, for tests that wait for a client to leave. */
  closedConnections(): number;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

export interface ServeOptions {
  /** The port on 127.0.0.1; 0 (the default) takes a free one. */
  port?: number;
  /** Which pages may call it (their `Origin`); every origin by default. Others get no CORS headers, so their browser blocks them. */
  allowOrigin?: (origin: string) => boolean;
}

/**
 * Serves a web-standard handler over real HTTP on 127.0.0.1, with the CORS headers a browser
 * page on another origin needs. The response body is written only as fast as the socket
 * drains, so backpressure reaches the handler's stream. Rejects if the port is taken.
 */
export async function serve(handler: (request: Request) => Promise<Response>, options: ServeOptions = {}): Promise<Served> {
  const allowOrigin = options.allowOrigin ?? anyOrigin;
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = createServer(toNodeListener(withCors(handler, allowOrigin)));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    closedConnections: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const anyOrigin = () => true;

/**
 * `handler` with the CORS headers a page on another origin needs on every answer, preflights
 * answered, and the request body read whole before the handler sees it (so that an answer sent
 * without reading it never closes the connection).
 */
function withCors(handler: (request: Request) => Promise<Response>, allowOrigin: (origin: string) => boolean): (request: Request) => Promise<Response> {
  return async (request) => {
    const origin = request.headers.get('origin');
    // A request without Origin comes from no page (curl, Node): CORS does not concern it.
    const cors = origin === null || allowOrigin(origin) ? corsHeaders(request) : {};
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors });
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    // A new Request from its parts: happy-dom's refuses one made from a request whose body was read.
    const response = await handler(new Request(request.url, { method: request.method, headers: request.headers, body, signal: request.signal }));
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(cors)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** What a page on another origin needs to call the API and read its request id. */
function corsHeaders(request: Request): Record<string, string> {
  return {
    'access-control-allow-origin': request.headers.get('origin') ?? '*',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    // `*` does not cover Authorization, so the requested headers are echoed back.
    'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? '*',
    'access-control-expose-headers':
      'x-request-id, retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}
