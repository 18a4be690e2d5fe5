import { APIConnectionError, APIError, APIUserAbortError } from './errors.js';

/** Statuses worth another try, as the official SDK: the server may answer differently soon. */
const RETRYABLE_STATUS = new Set([
  408, // Request Timeout
  409, // Conflict (a lock held by a concurrent request)
  429, // Too Many Requests
]);

/** A server's Retry-After is honoured only up to this; longer means "give up for now". */
const MAX_RETRY_AFTER = 60_000;
const INITIAL_BACKOFF = 500;
const MAX_BACKOFF = 8_000;

/**
 * How long to wait before retrying after `error`, or `undefined` when it must not be retried.
 * `retriesDone` counts the retries already made (0 before the first).
 */
export function retryDelay(error: unknown, retriesDone: number): number | undefined {
  if (error instanceof APIError) {
    const verdict = error.headers['x-should-retry'];
    const retryable = verdict === 'true' || (verdict !== 'false' && (RETRYABLE_STATUS.has(error.status) || error.status >= 500));
    if (!retryable) return undefined;
    const asked = retryAfter(error.headers);
    if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER) return asked;
  } else if (!(error instanceof APIConnectionError)) {
    return undefined;
  }
  // Full backoff times up to a quarter less, so that clients failing together spread out.
  return Math.min(INITIAL_BACKOFF * 2 ** retriesDone, MAX_BACKOFF) * (1 - Math.random() * 0.25);
}

/** `retry-after-ms` (OpenAI's own), then `retry-after` in seconds or as an HTTP date. */
function retryAfter(headers: Record<string, string>): number | undefined {
  const ms = parseFloat(headers['retry-after-ms']);
  if (!Number.isNaN(ms)) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

/** Waits `ms`, or rejects with an abort error as soon as the caller's signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
