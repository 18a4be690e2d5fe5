import { watch } from './watch.js';
import { APIConnectionError, APIError, APIUserAbortError } from './errors.js';

/**
 * How long to wait before retrying after `error`, or `undefined` when it must not be retried.
 * `retriesDone` counts the retries already made (0 before the first).
 */
export function retryDelay(error: unknown, retriesDone: number): number | undefined {
  if (error instanceof APIError) {
    const { status, headers } = error;
    const verdict = headers['x-should-retry'];
    // As the official SDK: 408, 409 (a lock held by a concurrent request), 429 and 5xx may
    // answer differently soon; the server's own verdict overrides.
    if (verdict != 'true' && (verdict == 'false' || (status < 500 && ![408, 409, 429].includes(status)))) return;
    // `retry-after-ms` (OpenAI's own), then `retry-after` in seconds or as an HTTP date,
    // honoured up to a minute: longer means "give up for now".
    const after = headers['retry-after'];
    let asked = parseFloat(headers['retry-after-ms']);
    if (isNaN(asked) && after) {
      asked = parseFloat(after) * 1000;
      if (isNaN(asked)) asked = Date.parse(after) - Date.now();
    }
    if (asked >= 0 && asked <= 60_000) return asked;
  } else if (!(error instanceof APIConnectionError)) return;
  // 0.5 s doubling to 8 s, up to a quarter less at random, so that clients failing together spread out.
  return Math.min(500 * 2 ** retriesDone, 8000) * (1 - Math.random() / 4);
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
