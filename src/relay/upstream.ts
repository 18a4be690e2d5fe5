import { APIConnectionError, APIConnectionTimeoutError, APIError, InvalidResponseError, errorObject, makeAPIError } from '../errors.js';
import { maskHeaders, maskText, secretsFor } from '../redact.js';
import { isPlainObject, tryParse } from '../own.js';
import type { Secrets } from '../redact.js';
import { readUpTo } from './body.js';
import type { UpstreamConfig } from './options.js';
import { Refusal } from './refusal.js';

/** How much of an upstream's error body is read: enough for any error object, never a whole HTML page of a broken gateway. */
const ERROR_BODY_LIMIT = 64 * 1024;
/** How much of an error body that is not JSON the server's error quotes: enough to recognise a gateway's page. */
const EXCERPT_LENGTH = 200;
const utf8 = new TextDecoder();

/**
 * One call to the upstream, with plain `fetch`: the relay's key and headers (never the page's),
 * aborted when the page leaves, and an idle time-out that runs only while the relay waits for
 * the upstream (a page that reads slowly is never timed out). No retries: the page's SDK retries
 * the 429 and 5xx the relay answers with, after the wait they name, and retries on both sides
 * would multiply the upstream calls of one page request.
 */
export class Upstream {
  /** The upstream's `x-request-id`, once its response arrived. */
  requestId: string | undefined;
  /** The keys the call was sent with (its key, and any in its `Authorization` or `api-key` headers), to mask if the upstream echoes one. */
  secrets: Secrets | undefined;
  /** Told when the call is aborted (the page left, or the time-out), so that a read waiting on a body that ignores the signal stops too. */
  onAbort: (() => void) | undefined;
  readonly #controller = new AbortController();
  readonly #config: UpstreamConfig;
  /** Since when the relay waits for the upstream; Infinity while it does not. */
  #since = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  /** @param page The page's request signal: the page leaving aborts the call. */
  constructor(
    config: UpstreamConfig,
    readonly page: AbortSignal,
  ) {
    this.#config = config;
    if (page.aborted) this.abort();
    else page.addEventListener('abort', () => this.abort(), { once: true });
  }

  /** The response of `method path`, headers arrived; a non-2xx is thrown as the SDK's `APIError` of its status, the key masked. */
  async fetch(method: string, path: string, body?: unknown, query?: URLSearchParams): Promise<Response> {
    const { baseURL, apiKey, headers, fetch } = this.#config;
    const key = typeof apiKey === 'function' ? await apiKey() : apiKey;
    const sent = new Headers(key ? { authorization: `Bearer ${key}` } : {});
    if (body !== undefined) sent.set('content-type', 'application/json');
    for (const name of Object.keys(headers)) {
      const value = headers[name];
      if (value === null) sent.delete(name);
      else if (value !== undefined) sent.set(name, value);
    }
    this.secrets = secretsFor(key, sent.get('authorization'), sent.get('api-key'));
    const url = new URL(baseURL);
    url.pathname += path;
    query?.forEach((value, name) => url.searchParams.append(name, value));
    this.wait();
    let response: Response;
    try {
      response = await fetch(url, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), signal: this.#controller.signal });
    } catch (error) {
      this.done();
      throw this.failure(error);
    }
    this.received();
    this.requestId = response.headers.get('x-request-id') ?? undefined;
    if (!response.ok) throw await this.#error(response);
    return response;
  }

  /** A whole 2xx answer of `method path`: its text (the key not yet masked), and its JSON object; anything else is no answer of the API's. */
  async json(method: string, path: string, body?: unknown, query?: URLSearchParams): Promise<{ text: string; value: Record<string, unknown> }> {
    const response = await this.fetch(method, path, body, query);
    this.wait();
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.failure(error);
    } finally {
      this.done();
    }
    const value: unknown = tryParse(text);
    if (!isPlainObject(value)) throw new InvalidResponseError(this.info(response), 'Expected a JSON object from the upstream.');
    return { text, value };
  }

  /** The page's answer: a whole answer as the upstream sent it, the key masked if the upstream echoed it. */
  answer(text: string): Response {
    return new Response(maskText(text, this.secrets), { headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...this.idHeader() } });
  }

  /** The upstream's request id, for the page's answer. */
  idHeader(): Record<string, string> {
    return this.requestId ? { 'x-request-id': this.requestId } : {};
  }

  /** The answer's status and headers, for an error the server is told of. */
  info(response: Response): { status: number; headers: Record<string, string>; requestId: string | undefined } {
    return { status: response.status, headers: maskHeaders(response.headers, this.secrets), requestId: this.requestId };
  }

  /** The relay waits for the upstream from now: the idle time-out runs. */
  wait(): void {
    this.#since = Date.now();
    this.#timer ??= setTimeout(this.#check, this.#config.timeout);
  }

  /** The upstream answered: the time-out stops running (its timer stays, cheaper than one per read). */
  received(): void {
    this.#since = Infinity;
  }

  /** The call is over: its timer goes, so that nothing holds the process for it (a next call of the same request arms a new one). */
  done(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#since = Infinity;
  }

  /** Stops the call: the page left, the time-out, or the page's stream was cancelled. */
  abort(): void {
    this.done();
    this.#controller.abort();
    this.onAbort?.();
  }

  /** Whether the idle time-out stopped the call. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** What a failed fetch or read was, for the server: the time-out, or a connection that failed (`cause` says how). */
  failure(cause: unknown): APIConnectionError {
    if (this.#timedOut) return new APIConnectionTimeoutError(`The upstream sent nothing for ${this.#config.timeout} ms.`);
    return new APIConnectionError('The upstream could not be reached, or its answer was cut off.', { cause });
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    if (this.#since === Infinity) return;
    const left = this.#since + this.#config.timeout - Date.now();
    if (left > 0) {
      this.#timer = setTimeout(this.#check, left);
      return;
    }
    this.#timedOut = true;
    this.abort();
  };

  /** A non-2xx answer as the SDK's error of its status, from its body's start, the key masked in all of it. */
  async #error(response: Response): Promise<APIError> {
    this.wait();
    const { bytes } = await readUpTo(response.body, ERROR_BODY_LIMIT).catch(() => ({ bytes: new Uint8Array() }));
    this.done();
    const text = maskText(utf8.decode(bytes), this.secrets);
    const value: unknown = tryParse(text);
    // Masked whole before the cut: no readable piece of a key is left at the cut.
    return makeAPIError(this.info(response), errorObject(isPlainObject(value) ? value.error : undefined, text.slice(0, EXCERPT_LENGTH)));
  }
}

/** The status of an answer to a page that left before it (nginx's 499): nobody reads it. */
export const CLIENT_CLOSED = 499;

/** `retry-after` in whole seconds (what every client reads), with OpenAI's own `retry-after-ms` beside it. */
export function retryAfter(ms: number): Record<string, string> {
  const wait = Math.max(0, Math.ceil(ms));
  return { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))), 'retry-after-ms': String(wait) };
}

/**
 * What the page is told of a failure. The page learns what it can change and nothing of the
 * server: an error about its request keeps the API's words; the relay's credentials, the
 * upstream's failures and its address stay here.
 */
export function upstreamRefusal(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (error instanceof APIError) return refusalOfStatus(error);
  if (error instanceof InvalidResponseError) return new Refusal(502, 'The upstream answered with something other than the API.', 'upstream_invalid');
  if (error instanceof APIConnectionError) return new Refusal(503, 'The upstream could not be reached; try again.', 'upstream_unavailable');
  return new Refusal(500, 'The relay failed; its logs say why.', 'relay_error');
}

function refusalOfStatus(error: APIError): Refusal {
  const { status, headers } = error;
  if (status === 401 || status === 403) return new Refusal(502, "The upstream refused the relay's credentials.", 'upstream_credentials');
  if (status === 429) {
    const asked = Number(headers['retry-after-ms'] ?? Number(headers['retry-after']) * 1000);
    return new Refusal(429, 'The upstream is rate-limiting this relay; try again later.', 'rate_limit_exceeded', null, retryAfter(asked >= 0 ? asked : 1000));
  }
  if (status >= 500)
    return new Refusal(status === 503 ? 503 : 502, `The upstream failed (${status}); try again.`, status === 503 ? 'upstream_unavailable' : 'upstream_error');
  // A 4xx about the page's request (a bad value, a context too long) keeps the API's own words,
  // when it gave them as an error object; a 404 means the relay's model or address is wrong.
  if (status !== 404 && typeof error.type === 'string') {
    return new Refusal(status, error.error.message, String(error.code ?? 'invalid_request'), typeof error.param === 'string' ? error.param : null);
  }
  return new Refusal(502, `The upstream failed (${status}).`, 'upstream_error');
}
