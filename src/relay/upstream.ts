import { APIConnectionError, APIError, APIUserAbortError, InvalidResponseError } from '../errors.js';
import { readEnv } from '../http/env.js';
import { mergeHeaders } from '../http/headers.js';
import { secretsFor } from '../redact.js';
import type { Secrets } from '../redact.js';
import type { RequestOptions } from '../types/index.js';
import type { RelayConfig } from './options.js';
import { Refusal } from './refusal.js';

/** One upstream call's options, and what its response said that the page may see. */
export interface UpstreamCall {
  options: RequestOptions;
  /** The upstream's `x-request-id`, once its response arrived. */
  requestId: string | undefined;
  /** The keys the call was sent with (its key, and any in its `Authorization` or `api-key` headers), to mask if the upstream echoes one. */
  secrets: Secrets | undefined;
}

/**
 * The request layer's options for one upstream call: the relay's, with the page's signal (the
 * page leaving aborts the call) and a hook that keeps the request id. The page's headers are
 * never among them.
 */
export function upstreamCall(config: RelayConfig, signal: AbortSignal): UpstreamCall {
  const { apiKey, onResponse } = config.upstream;
  const headers = mergeHeaders(config.upstream.headers);
  const secretsOf = (key: string | undefined) => secretsFor(key, headers.authorization, headers['api-key']);
  const call: UpstreamCall = { options: {}, requestId: undefined, secrets: secretsOf(typeof apiKey === 'string' ? apiKey : readEnv('OPENAI_API_KEY')) };
  call.options = {
    ...config.upstream,
    signal,
    onResponse(info) {
      call.requestId = info.requestId;
      onResponse?.(info);
    },
  };
  if (typeof apiKey === 'function') {
    call.options.apiKey = async () => {
      const key = await apiKey();
      call.secrets = secretsOf(key);
      return key;
    };
  }
  return call;
}

/** The status of an answer to a page that left before it (nginx's 499): nobody reads it. */
export const CLIENT_CLOSED = 499;

/** `retry-after` in whole seconds (what every client reads), with OpenAI's own `retry-after-ms` beside it. */
export function retryAfter(ms: number): Record<string, string> {
  const wait = Math.max(0, Math.ceil(ms));
  return { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))), 'retry-after-ms': String(wait) };
}

/**
 * What the page is told of an upstream failure, after the request layer's own retries. The page
 * learns what it can change and nothing of the server: an error about its request keeps the
 * API's words; the relay's credentials, the upstream's failures and its address stay here.
 */
export function upstreamRefusal(error: unknown): Refusal {
  if (error instanceof Refusal) return error;
  if (error instanceof APIError) return refusalOfStatus(error);
  if (error instanceof APIUserAbortError) return new Refusal(CLIENT_CLOSED, 'The page left before the answer.', 'client_closed');
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
  if (status === 503) return new Refusal(503, 'The upstream is unavailable; try again.', 'upstream_unavailable');
  // A 4xx about the page's request (a bad value, a context too long) keeps the API's own words,
  // when it gave them as an error object; a 404 means the relay's model or address is wrong.
  if (status >= 400 && status < 500 && status !== 404 && typeof error.type === 'string') {
    return new Refusal(status, error.error.message, String(error.code ?? 'invalid_request'), typeof error.param === 'string' ? error.param : null);
  }
  return new Refusal(502, `The upstream failed (${status}).`, 'upstream_error');
}
