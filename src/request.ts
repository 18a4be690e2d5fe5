import { watch } from './watch.js';
import { isBrowser, readEnv } from './env.js';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, InvalidResponseError, OpenAIError } from './errors.js';
import { finalHeaders, mergeHeaders } from './headers.js';
import { parseBody, readText, responseInfo } from './response.js';
import { retryDelay, sleep } from './retry.js';
import { parseServerSentEvents } from './sse.js';
import { buildURL } from './url.js';
import type { QueryInput } from './url.js';
import type { RequestOptions } from './types/options.js';

/** One call of the API, as an endpoint function names it. */
export interface APIRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: QueryInput;
  body?: unknown;
  /** Ask for `text/event-stream`, and resolve to its chunks. */
  stream?: boolean;
}

/**
 * Sends the request, retrying what is safe to retry, and resolves to the parsed JSON object of
 * a 2xx answer or, for a stream, to its chunks once the response headers arrive. Nothing is
 * retried once chunks may have been delivered.
 */
export async function request<T>({ method, path, query, body, stream }: APIRequest, options: RequestOptions = {}): Promise<T> {
  const { apiKey = readEnv('OPENAI_API_KEY'), signal, timeout = 600_000, maxRetries = 2, fetch: send = (input, init) => fetch(input, init) } = options;
  if (apiKey && !options.dangerouslyAllowBrowser && isBrowser()) {
    throw new OpenAIError('Refusing to send an API key from a browser: call the API from a server-side proxy, or pass dangerouslyAllowBrowser: true.');
  }
  const url = buildURL(options.baseURL ?? 'https://api.openai.com/v1', path, query, options.query);
  const headers = {
    authorization: apiKey ? `Bearer ${apiKey}` : undefined,
    'openai-organization': options.organization,
    'openai-project': options.project,
    'content-type': body === undefined ? undefined : 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  // Each attempt's abort signal: the caller's signal and an idle timer combined by hand
  // (`AbortSignal.any` and `AbortSignal.timeout` are not in every runtime we target). The
  // AbortController is made only when `signal` is read: it costs more than the rest of a
  // call's bookkeeping, and an in-process `fetch` may never read it.
  let controller: AbortController | undefined;
  let deadline: number;
  let timedOut: boolean | undefined;
  let timer: ReturnType<typeof setTimeout>;
  let unwatch: () => void;
  const attemptSignal = () => (controller ??= new AbortController()).signal;
  const abort = (reason?: unknown) => (attemptSignal(), controller!.abort(reason));
  // Restarts the idle time, on response headers and on every read of a stream. Only moves the
  // deadline, which the timer checks when it fires: clearing and setting a timer on every
  // read would cost more than the read.
  const touch = () => {
    deadline = Date.now() + timeout;
  };
  // setTimeout fires at once past 2^31 - 1 ms; a longer time-out means "no sooner than that".
  const check = (left = deadline - Date.now()) => (left > 0 ? (timer = setTimeout(check, Math.min(left, 2 ** 31 - 1))) : ((timedOut = true), abort()));
  /** Ends the attempt: no timer, no listener left behind; safe to call more than once. */
  const done = () => {
    clearTimeout(timer);
    unwatch();
  };
  /** What a failed fetch or body read means to the caller: abort, time-out or lost connection. */
  const toSDKError = (thrown: unknown) =>
    thrown instanceof OpenAIError
      ? thrown
      : timedOut
        ? new APIConnectionTimeoutError('Request timed out.')
        : signal?.aborted
          ? new APIUserAbortError()
          : new APIConnectionError('Connection error.', { cause: thrown });
  // One init for every attempt. `signal` is a getter, an own and enumerable one (a fetch
  // wrapper spreading init keeps it): the AbortController behind it is made only if read.
  const init = {
    method,
    headers: finalHeaders(mergeHeaders(headers, options.headers)),
    body: JSON.stringify(body),
    get signal() {
      return attemptSignal();
    },
  };
  for (let retriesDone = 0; ; retriesDone++) {
    controller = timedOut = undefined;
    touch();
    check();
    unwatch = watch(signal, () => abort(signal!.reason));
    try {
      const response = await send(url, init);
      touch();
      const info = stream && response.ok && responseInfo(response, apiKey);
      const type = info && info.headers['content-type'];
      // Only a body that is plainly not an event stream is refused: compatible servers and
      // proxies label real streams loosely (text/plain, octet-stream, nothing at all).
      if (info && response.body && !/json|html/i.test(type as string)) {
        return parseServerSentEvents(response.body, { info, onRead: touch, onFinish: done, signal: attemptSignal(), mapError: toSDKError }) as T;
      }
      // A whole body: an error, a JSON answer, or a server that ignored `stream: true` (or a
      // gateway's page).
      const value = parseBody<T>(response, await readText(response, touch), apiKey);
      if (info) throw new InvalidResponseError(info, `Expected a text/event-stream response, got ${type}.`);
      done();
      return value;
    } catch (thrown) {
      done();
      const error = toSDKError(thrown);
      const delay = retriesDone < maxRetries ? retryDelay(error, retriesDone) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, signal);
    }
  }
}
