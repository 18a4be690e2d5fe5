import { defineOwn, noop } from '../own.js';

/** The parts of Node's `http.IncomingMessage` the adapter reads (so this file imports nothing of Node). */
export interface NodeIncomingMessage {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  on(event: string, listener: (...args: any[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(): unknown;
}

/** The parts of Node's `http.ServerResponse` the adapter writes to. */
export interface NodeServerResponse {
  readonly writableFinished: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders(): void;
  write(chunk: Uint8Array | string, callback?: () => void): boolean;
  end(callback?: () => void): unknown;
  destroy(): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  /** Its connection: how Node closes it after an answer that says `connection: close`. */
  readonly socket?: { end(): unknown; destroySoon?: () => unknown } | null;
}

/**
 * Serves a web-standard handler (such as `createRelay(...)`) from Node's own HTTP server: the
 * request body arrives as a stream (so `maxBodyBytes` stops a body at its cap), the answer is
 * written only as fast as the socket takes it, and the page leaving aborts `request.signal`
 * and cancels the answer, which cancels the upstream call.
 *
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeListener(createRelay({ authorize, models: ['gpt-4o-mini'] }))).listen(8787);
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>): (req: NodeIncomingMessage, res: NodeServerResponse) => void {
  // Anything left unanswered (a header Node refuses to write) drops the connection, never the process.
  return (req, res) => void respond(handler, req, res).catch(() => res.destroy());
}

async function respond(handler: (request: Request) => Promise<Response>, req: NodeIncomingMessage, res: NodeServerResponse): Promise<void> {
  const left = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) left.abort();
  });
  // Until its end arrives, a request body is cut: answered before it ended (over the cap,
  // refused unread), its connection closes after the answer.
  const body = { cut: req.method !== 'GET' && req.method !== 'HEAD' };
  let response: Response;
  try {
    response = await answer(handler, req, left.signal, body);
  } catch {
    // A handler that threw: nothing of the error is sent (createRelay's answers every failure itself).
    response = new Response(null, { status: 500 });
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => defineOwn(headers, name, value));
  // The rest of a body the handler did not read would keep the connection busy: it closes.
  if (body.cut) headers.connection = 'close';
  res.writeHead(response.status, headers);
  // Sent now: a client that waits for the head before it reads gets it before the first chunk.
  res.flushHeaders();
  // A body that failed must look cut to the client, after what was written before it
  // (destroying at once would discard writes not yet flushed).
  if (!(await write(response, res, left.signal))) return void res.write('', () => res.destroy());
  if (body.cut) halfCloseWhenFinished(res);
  res.end(() => {
    if (body.cut) closeWhenQuiet(req);
  });
}

/**
 * Node ends an answer that says `connection: close` with `socket.destroySoon()`: the socket
 * closes as soon as the answer is written, while the client may still be sending, and the reset
 * that follows can discard the answer before the client reads it. Ending only the socket's
 * write side instead lets `closeWhenQuiet` close the rest (RFC 9112 §9.6).
 */
function halfCloseWhenFinished(res: NodeServerResponse): void {
  const socket = res.socket;
  if (socket?.destroySoon) socket.destroySoon = () => socket.end();
}

/**
 * Closes a connection whose body is still arriving once the client stops sending (or after a
 * second). Closing at once on unread bytes resets the connection, and a reset can discard the
 * answer before the client reads it: RFC 9112 §9.6 asks for this staged close.
 */
function closeWhenQuiet(req: NodeIncomingMessage): void {
  let quiet: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    clearTimeout(quiet);
    clearTimeout(limit);
    req.destroy();
  };
  const limit = setTimeout(close, 1000);
  const wait = () => {
    clearTimeout(quiet);
    quiet = setTimeout(close, 100);
  };
  req.on('data', wait);
  req.on('end', close);
  wait();
  req.resume();
}

/** The handler's answer, or a 400 for a request Node took but fetch's `Request` refuses (a bad Host). */
function answer(handler: (request: Request) => Promise<Response>, req: NodeIncomingMessage, signal: AbortSignal, body: { cut: boolean }): Promise<Response> {
  let request: Request;
  try {
    request = toRequest(req, signal, body);
  } catch {
    return Promise.resolve(new Response(null, { status: 400 }));
  }
  return handler(request);
}

function toRequest(req: NodeIncomingMessage, signal: AbortSignal, body: { cut: boolean }): Request {
  const headers = new Headers();
  for (const name of Object.keys(req.headers)) {
    const value = req.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const stream = method === 'GET' || method === 'HEAD' ? null : bodyOf(req, body);
  // `duplex: 'half'` is how fetch's Request takes a streamed body (Node 20's undici requires it).
  return new Request(url, { method, headers, body: stream, signal, duplex: 'half' } as RequestInit);
}

/** The request body as a stream that reads the socket only when asked (backpressure). */
function bodyOf(req: NodeIncomingMessage, body: { cut: boolean }): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Uint8Array) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (open) controller.close();
        open = false;
        body.cut = false;
      });
      req.on('close', () => {
        if (open) controller.error(new Error('The request body was cut off.'));
        open = false;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
    },
  });
}

/**
 * The answer's body to the socket, at the socket's pace; stops when the page leaves. False when
 * the body failed: the page must see a cut answer, not a finished one.
 */
async function write(response: Response, res: NodeServerResponse, left: AbortSignal): Promise<boolean> {
  const reader = response.body?.getReader();
  if (!reader) return true;
  const stop = () => void reader.cancel().catch(noop);
  left.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || left.aborted) return true;
      if (!res.write(value)) await drained(res);
    }
  } catch {
    return false;
  } finally {
    left.removeEventListener('abort', stop);
  }
}

/** Until the socket wants more, or is gone; the listener not used is removed. */
function drained(res: NodeServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
