// Serves a web-standard fetch handler (such as `createFakeOpenAI().handle`) over Node's own HTTP
// server: what the `openai-chat-fetch-fake` command serves the fake with, what `npm start` uses
// for the embedded local API, and the tests for real sockets. Node has no `Deno.serve`, and
// src/ holds web-standard code only: the adapter lives here, beside the command.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
  const server = createServer((req, res) => {
    void respond(handler, req, res, allowOrigin);
  });
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

async function respond(
  handler: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  allowOrigin: (origin: string) => boolean,
): Promise<void> {
  const origin = req.headers.origin;
  // A request without Origin comes from no page (curl, Node): CORS does not concern it.
  const cors = origin === undefined || allowOrigin(origin) ? corsHeaders(req) : {};
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors).end();
    return;
  }
  // Aborts when the client goes away, so a delayed or stalled answer stops waiting.
  const left = new AbortController();
  res.on('close', () => left.abort());
  try {
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readAll(req);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body, signal: left.signal });
    const response = await handler(request);
    if (left.signal.aborted) {
      await response.body?.cancel();
      return;
    }
    const out: Record<string, string> = { ...cors };
    response.headers.forEach((value, key) => (out[key] = value));
    res.writeHead(response.status, out);
    // Sent now, so that a client waiting for headers before it reads gets them.
    res.flushHeaders();
    if (response.body) await pipe(response.body, res, left.signal);
    res.end();
  } catch {
    // A body that errors on purpose (a dropped connection) must look dropped to the client,
    // after what was sent before it: destroying at once would discard unflushed writes.
    res.write('', () => res.destroy());
  }
}

async function pipe(body: ReadableStream<Uint8Array>, res: ServerResponse, left: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  left.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || left.aborted) return;
      if (!res.write(value)) await drained(res);
    }
  } finally {
    left.removeEventListener('abort', cancel);
  }
}

/** Until the socket wants more, or is gone; the listener not used is removed (they would pile up on a long body). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function readAll(req: IncomingMessage): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    req.on('data', (part: Uint8Array) => parts.push(part));
    req.on('end', () => {
      const all = Buffer.concat(parts);
      resolve(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
    });
    req.on('error', reject);
  });
}

/** What a page on another origin needs to call the API and read its request id. */
function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    // `*` does not cover Authorization, so the requested headers are echoed back.
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers':
      'x-request-id, retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}
