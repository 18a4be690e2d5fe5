import { errorResponse } from './errors.js';

/**
 * What the next request gets instead of the normal answer; each fault is used once, in order.
 * - `status`: that status with the API's error body (or `body` as given), `headers` added;
 *   `echoAuthorization` puts the request's Authorization in the message and a header, as a
 *   careless proxy would, so tests can prove the SDK redacts it.
 * - `delayMs`: wait that long before answering normally (ends early if the client leaves).
 * - `cutAfterChunks`: a stream that ends after that many chunks, without `[DONE]`: `close`
 *   ends the body cleanly, `error` drops the connection.
 * - `stallAfterChunks`: a stream that sends that many chunks, then nothing, until the client leaves.
 * - `trickleMs`: a stream that waits that long before each event.
 */
export type Fault =
  | { status: number; body?: string | object; headers?: Record<string, string>; echoAuthorization?: boolean }
  | { delayMs: number }
  | { cutAfterChunks: number; cutMode?: 'close' | 'error' }
  | { stallAfterChunks: number }
  | { trickleMs: number };

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** The answer a `status` fault gives instead of the normal one. */
export function faulty(fault: Extract<Fault, { status: number }>, authorization: string | undefined): Response {
  const headers = { ...fault.headers };
  if (fault.echoAuthorization) {
    headers['x-echo-authorization'] = authorization ?? '';
    return errorResponse(fault.status, `Incorrect API key provided: ${authorization}.`, { code: 'invalid_api_key' }, headers);
  }
  if (typeof fault.body === 'string') return new Response(fault.body, { status: fault.status, headers });
  if (fault.body !== undefined) return Response.json(fault.body, { status: fault.status, headers });
  return errorResponse(
    fault.status,
    `The local API was told to fail with ${fault.status}.`,
    { type: fault.status >= 500 ? 'server_error' : 'invalid_request_error' },
    headers,
  );
}
