import { startAttempt } from './attempt.js';
import type { Attempt } from './attempt.js';
import { isBrowser } from './env.js';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, OpenAIError } from './errors.js';
import { finalHeaders, mergeHeaders } from './headers.js';
import { normalizeOptions } from './options.js';
import type { NormalizedOptions } from './options.js';
import { errorFromBody, parseJSONBody, readText, responseInfo } from './response.js';
import { retryDelay, sleep } from './retry.js';
import { buildURL } from './url.js';
import type { QueryInput } from './url.js';
import type { RequestOptions } from './types/options.js';

/** One call of the API, as an endpoint function names it. */
export interface APIRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: QueryInput;
  body?: unknown;
  /** Ask for `text/event-stream`. */
  stream?: boolean;
}

/** Sends the request (with retries) and resolves to the parsed JSON object of a 2xx answer. */
export function requestJSON<T>(request: APIRequest, options: RequestOptions | undefined): Promise<T> {
  return withRetries(request, options, async (response, attempt, o) => {
    try {
      return parseJSONBody<T>(responseInfo(response, o.apiKey), await readText(response, attempt.touch), `${request.method} ${request.path}`, o.apiKey);
    } finally {
      attempt.done();
    }
  });
}

/**
 * Sends the request, retrying what is safe to retry, and hands a 2xx response to `use`
 * together with its attempt (whose signal and idle timer still govern the body).
 * `use` must call `attempt.done()` once the body is no longer read.
 */
export async function withRetries<T>(
  request: APIRequest,
  options: RequestOptions | undefined,
  use: (response: Response, attempt: Attempt, o: NormalizedOptions) => Promise<T>,
): Promise<T> {
  const o = normalizeOptions(options);
  if (o.apiKey && !o.dangerouslyAllowBrowser && isBrowser()) {
    throw new OpenAIError(
      'Refusing to send an API key from a browser, where every visitor can read it. ' +
        'Call the API from a server-side proxy that holds the key (see toServerSentEvents / parseServerSentEvents), ' +
        'or, if you understand the risk, pass `dangerouslyAllowBrowser: true`.',
    );
  }
  const url = buildURL(o.baseURL, request.path, request.query, o.query);
  const { method, body } = request;
  const headers = finalHeaders(
    mergeHeaders(
      {
        authorization: o.apiKey ? `Bearer ${o.apiKey}` : undefined,
        'openai-organization': o.organization,
        'openai-project': o.project,
        'content-type': body === undefined ? undefined : 'application/json',
        accept: request.stream ? 'text/event-stream' : 'application/json',
      },
      o.headers,
    ),
  );
  let attempt: Attempt;
  // One init for every attempt. `signal` is a getter, an own and enumerable one (a fetch
  // wrapper spreading init keeps it): the AbortController behind it is made only if read.
  const init = {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    get signal() {
      return attempt.signal();
    },
  };
  for (let retriesDone = 0; ; retriesDone++) {
    attempt = startAttempt(o.signal, o.timeout);
    try {
      const response = await o.fetch(url, init);
      attempt.touch();
      if (!response.ok) throw errorFromBody(responseInfo(response, o.apiKey), await readText(response, attempt.touch), o.apiKey);
      return await use(response, attempt, o);
    } catch (thrown) {
      attempt.done();
      const error = toSDKError(thrown, attempt, o);
      const delay = retriesDone < o.maxRetries ? retryDelay(error, retriesDone) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, o.signal);
    }
  }
}

/** What a failed fetch or body read means to the caller: abort, time-out or lost connection. */
export function toSDKError(thrown: unknown, attempt: Attempt, o: NormalizedOptions): OpenAIError {
  if (thrown instanceof OpenAIError) return thrown;
  if (attempt.timedOut) return new APIConnectionTimeoutError(`Request timed out: nothing received for ${o.timeout} ms.`);
  if (o.signal?.aborted) return new APIUserAbortError();
  return new APIConnectionError('Connection error.', { cause: thrown });
}
