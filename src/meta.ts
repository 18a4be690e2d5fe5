import { parseRateLimits } from './rate-limits.js';
import type { RateLimits } from './rate-limits.js';
import { redactHeaders } from './redact.js';

/** What the response of a successful call said besides its body. */
export interface ResponseMeta {
  /** HTTP status (2xx). */
  status: number;
  /** Response headers, lower-cased names; the API key, if a server echoes it, is masked. */
  headers: Record<string, string>;
  /** The `x-request-id` header, to quote to OpenAI support. */
  requestId: string | undefined;
  /** The `x-ratelimit-*` headers, as numbers and milliseconds. */
  rateLimits: RateLimits;
}

/** Each result's response, kept by reference until asked: a call pays one WeakMap entry, not a header copy. */
const responses = new WeakMap<object, { response: Response; secret: string | undefined }>();

/** Remembers which response `result` (a completion, list, page or stream) came from. */
export function recordResponse(result: object, response: Response, secret: string | undefined): void {
  responses.set(result, { response, secret });
}

/** Gives `copy` (a parsed completion, say) the response its `original` came from. */
export function copyResponse(original: object, copy: object): void {
  const recorded = responses.get(original);
  if (recorded) responses.set(copy, recorded);
}

/**
 * Status, headers, request id and rate limits of the response any result of this SDK came
 * from: a completion, a stored completion, a list or message page, a stream, a parsed
 * completion. `undefined` for anything else. Safe when calls overlap: each result keeps its own.
 *
 * @example
 * const completion = await createChatCompletion(body);
 * const { requestId, rateLimits } = getResponseMeta(completion)!;
 * console.log(requestId, rateLimits.tokens?.remaining, rateLimits.tokens?.resetMs);
 */
export function getResponseMeta(result: unknown): ResponseMeta | undefined {
  const recorded = result !== null && typeof result === 'object' ? responses.get(result) : undefined;
  if (!recorded) return undefined;
  const { response, secret } = recorded;
  const headers = redactHeaders(response.headers, secret);
  return { status: response.status, headers, requestId: headers['x-request-id'], rateLimits: parseRateLimits(headers) };
}
