import { Attempt } from './attempt.js';
import { APIUserAbortError, InvalidResponseError, OpenAIError } from '../errors.js';
import { finalHeaders, mergeHeaders } from './headers.js';
import { recordResponse, responseInfo } from './meta.js';
import { resolveOptions } from './options.js';
import type { ResolvedOptions } from './options.js';
import { ERROR_BODY_LIMIT, parseBody, readText } from './response.js';
import { noop } from '../own.js';
import { maskText, secretsFor } from '../redact.js';
import { retryDelay, sleep } from './retry.js';
import { abortable, watch } from './watch.js';
import { buildURL } from './url.js';
import type { QueryInput } from './url.js';
import type { RequestOptions } from '../types/options.js';

/** One call of the API, as an endpoint function names it. */
export interface APIRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: QueryInput;
  body?: unknown;
  /**
   * Ask for `text/event-stream`, and resolve to what this makes of a streamed body (the chunk
   * stream): the request layer sends and retries, the layer above it reads.
   */
  stream?: ((body: ReadableStream<Uint8Array>, attempt: Attempt) => object) | undefined;
}

/** What one attempt sends: the same for every attempt of a call. */
interface Prepared {
  url: string;
  /** How messages name the request: method and URL without its query (whose values may be secret). */
  label: string;
  init: RequestInit;
}

/**
 * Sends the request, retrying what is safe to retry, and resolves to the parsed JSON object of
 * a 2xx answer or, for a stream, to its chunks once the response headers arrive. Nothing is
 * retried once chunks may have been delivered. Reads top to bottom: options, what is sent, the
 * attempts.
 */
export async function request<T>(call: APIRequest, options?: RequestOptions): Promise<T> {
  const config = resolveOptions(options);
  const prepared = prepare(call, config);
  for (let retriesDone = 0; ; retriesDone++) {
    const key = config.apiKeyFunction ? await keyOf(config.apiKeyFunction, config.signal) : config.apiKey;
    // Whatever the request sends as a credential is a secret: the key, and any set in headers by hand.
    const secrets = secretsFor(key, config.headers.authorization, config.headers['api-key']);
    const attempt = new Attempt(config.signal, config.timeout, prepared.label, secrets);
    try {
      return await send<T>(call, config, withKey(prepared, config, key), attempt, retriesDone + 1);
    } catch (thrown) {
      attempt.done();
      const error = attempt.toSDKError(thrown);
      const delay = retriesDone < config.maxRetries ? retryDelay(error, retriesDone) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, config.signal);
    }
  }
}

/** URL, headers and body, checked once: a usage mistake fails here, before anything is sent. */
function prepare({ method, path, query, body, stream }: APIRequest, config: ResolvedOptions): Prepared {
  const url = buildURL(config.baseURL, path, query, config.query);
  const defaults = {
    authorization: config.apiKey ? `Bearer ${config.apiKey}` : undefined,
    'openai-organization': config.organization,
    'openai-project': config.project,
    'content-type': body === undefined ? undefined : 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  };
  const headers = finalHeaders(mergeHeaders(defaults, config.headers));
  return { url, label: `${method} ${config.baseURL.prefix}${path}`, init: { method, headers, body: encode(body) } };
}

/**
 * What a key function gives for one attempt: a usage error naming it when it throws or gives
 * no usable string (the value is checked as a header value with the others). An abort of the
 * caller's signal ends the wait at once, however long the function takes.
 */
async function keyOf(apiKey: () => string | Promise<string>, signal: AbortSignal | undefined): Promise<string> {
  if (signal?.aborted) throw new APIUserAbortError();
  let key: unknown;
  try {
    key = await abortable(new Promise((resolve) => resolve(apiKey())), signal);
  } catch (cause) {
    if (cause instanceof APIUserAbortError) throw cause;
    throw new OpenAIError(`The apiKey function threw: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (typeof key !== 'string' || !key) throw new OpenAIError(`The apiKey function must give a non-empty string, got ${key === '' ? "''" : typeof key}.`);
  return key;
}

/** The attempt's headers with a key function's key, unless the caller set Authorization themselves. */
function withKey(prepared: Prepared, config: ResolvedOptions, key: string | undefined): Prepared {
  if (!config.apiKeyFunction || config.headers.authorization !== undefined) return prepared;
  // Only the new header is checked: the others were when the request was prepared.
  const headers = { ...(prepared.init.headers as Record<string, string>), ...finalHeaders({ authorization: `Bearer ${key}` }) };
  return { ...prepared, init: { ...prepared.init, headers } };
}

/** The body as JSON, or a usage error that says why it cannot be (a cycle, a BigInt, a throwing toJSON). */
function encode(body: unknown): string | undefined {
  try {
    return JSON.stringify(body);
  } catch (cause) {
    throw new OpenAIError(`The request body cannot be sent as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** One attempt: the fetch, then the chunk stream or the whole body. `number` counts from 1. */
async function send<T>(call: APIRequest, config: ResolvedOptions, { url, init }: Prepared, attempt: Attempt, number: number): Promise<T> {
  // Built only for hooks: a call without them pays nothing for them.
  const hook = config.onRequest || config.onResponse ? { method: call.method, url: maskText(url, attempt.secrets), attempt: number } : undefined;
  if (config.onRequest) await runHook('onRequest', config.onRequest, hook!, attempt);
  const started = hook ? Date.now() : 0;
  attempt.armIdleTimer();
  // A literal of one shape, not a spread: a spread's copy gets a hidden class of its own each
  // call, which costs time, and heap for as long as a fetch (an in-memory one) keeps the object.
  const response = await config.fetch(url, { method: init.method, headers: init.headers, body: init.body, signal: attempt.signal });
  attempt.received();
  // Its head, not the Response: a stream keeps this for as long as it is open.
  attempt.head = { status: response.status, headers: response.headers };
  try {
    if (config.onResponse) await runHook('onResponse', config.onResponse, { ...hook!, ...responseInfo(attempt), elapsedMs: Date.now() - started }, attempt);
  } catch (thrown) {
    discard(response, attempt);
    throw thrown;
  }
  // Only a body that is plainly not an event stream is refused: compatible servers and proxies
  // label real streams loosely (text/plain, octet-stream, nothing at all).
  if (call.stream && response.ok && response.body && !/json|html/i.test(response.headers.get('content-type') ?? '')) {
    // Made in memory (no `url`: the fake, a handler called in-process), held by nothing but this stream: see ResponseHead.
    if (!response.url) attempt.head = { status: response.status, headers: new URLSearchParams(new URLSearchParams(response.headers as unknown as string[][])) };
    const stream = call.stream(response.body, attempt);
    recordResponse(stream, attempt);
    return stream as T;
  }
  // A whole body: an error, a JSON answer, or a server that ignored `stream: true` (or a gateway's page).
  const text = await readText(response, attempt, response.ok ? Infinity : ERROR_BODY_LIMIT);
  const value = parseBody<T>(response, text, attempt, sendsKey(init.headers as Record<string, string>));
  if (call.stream) {
    const info = responseInfo(attempt);
    throw new InvalidResponseError(info, `Expected a text/event-stream response to ${attempt.label}, got ${info.headers['content-type']}.`);
  }
  attempt.done();
  recordResponse(value as object, attempt);
  return value;
}

/**
 * The response goes to nobody (the onResponse hook failed): its body is cancelled unread and the
 * request aborted, so the server stops sending, and a stream stops generating. A body the hook
 * read is left as it is.
 */
function discard({ body }: Response, attempt: Attempt): void {
  // A body read whole (by the hook) stays locked: only one nobody has touched is cancelled.
  if (!body || body.locked) return;
  body.cancel().catch(noop);
  attempt.abort();
}

/** Whether the request carries a key: OpenAI's `Authorization`, or Azure's `api-key`. */
function sendsKey(headers: Record<string, string>): boolean {
  return Object.hasOwn(headers, 'authorization') || Object.hasOwn(headers, 'api-key');
}

/**
 * Runs a hook, and waits for it when it returns a promise (an async function), until the
 * caller's signal aborts. Its failure, thrown or rejected, fails the call as a usage error naming
 * it: never taken for a lost connection and retried, never an unhandled rejection.
 */
function runHook<I>(name: string, hook: (info: I) => unknown, info: I, attempt: Attempt): Promise<void> | undefined {
  let result: unknown;
  try {
    result = hook(info);
  } catch (cause) {
    throw hookError(name, cause);
  }
  if (typeof (result as PromiseLike<unknown> | null)?.then !== 'function') return undefined;
  return new Promise<void>((resolve, reject) => {
    const unwatch = watch(attempt.signal, () => reject(attempt.toSDKError(attempt.signal.reason)));
    Promise.resolve(result)
      .then(
        () => resolve(),
        (cause: unknown) => reject(hookError(name, cause)),
      )
      .finally(unwatch);
  });
}

function hookError(name: string, cause: unknown): OpenAIError {
  return new OpenAIError(`The ${name} hook threw: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
}
