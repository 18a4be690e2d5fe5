import { watch } from './watch.js';
import { APIConnectionError, APIError, APIUserAbortError } from '../errors.js';

/** Statuses that may answer differently soon, as the official SDK retries them (and 5xx). */
const RETRYABLE_STATUSES = new Set([
  408, // Request Timeout
  409, // Conflict: a lock held by a concurrent request
  429, // Too Many Requests
]);
/** A wait the server asks for is honoured up to a minute: longer means "give up for now". */
const MAX_ASKED_DELAY = 60_000;
const FIRST_DELAY = 500;
const MAX_DELAY = 8000;

function shouldRetry({ status, headers }: APIError): boolean {
  const verdict = headers['x-should-retry']; // the server's own verdict overrides
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  return status >= 500 || RETRYABLE_STATUSES.has(status);
}

/** `retry-after-ms` (OpenAI's own), then `retry-after` in seconds or as an HTTP date; NaN if none. */
function askedDelay(headers: Record<string, string>): number {
  const ms = parseFloat(headers['retry-after-ms'] ?? '');
  if (!Number.isNaN(ms)) return ms;
  const after = headers['retry-after'];
  if (!after) return NaN;
  const seconds = parseFloat(after);
  return Number.isNaN(seconds) ? Date.parse(after) - Date.now() : seconds * 1000;
}

/**
 * How long to wait before retrying after `error`, or `undefined` when it must not be retried.
 * `retriesDone` counts the retries already made (0 before the first).
 */
export function retryDelay(error: unknown, retriesDone: number): number | undefined {
  if (error instanceof APIError) {
    if (!shouldRetry(error)) return undefined;
    const asked = askedDelay(error.headers);
    if (asked >= 0 && asked <= MAX_ASKED_DELAY) return asked;
  } else if (!(error instanceof APIConnectionError)) return undefined;
  // 0.5 s doubling to 8 s, up to a quarter less at random, so that clients failing together spread out.
  return Math.min(FIRST_DELAY * 2 ** retriesDone, MAX_DELAY) * (1 - Math.random() / 4);
}

/** Waits `ms`, or rejects with an abort error as soon as the caller's signal aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unwatch();
      resolve();
    }, ms);
    const unwatch = watch(signal, () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    });
  });
}
