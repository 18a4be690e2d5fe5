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
