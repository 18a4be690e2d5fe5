import { InvalidResponseError, errorObject, excerpt, makeAPIError } from '../errors.js';
import { noop, tryParse } from '../own.js';
import type { Attempt } from './attempt.js';
import { maskValue } from '../redact.js';
import { responseInfo } from './meta.js';

/**
 * How much of an error body is read: enough for any real error object, and a 150 MB HTML page
 * from a misconfigured gateway costs 1 MiB, not its size. The rest is cancelled unread.
 */
export const ERROR_BODY_LIMIT = 1024 * 1024;

/** How a 401 says it is about the key: OpenAI's `invalid_api_key`, "an API key", Azure's "subscription key". */
const KEY_WORDS = /key/i;
/**
 * What a 401 adds when the request carried no key at all: the API's own words ("Incorrect API
 * key provided: .") do not say how to give one, and Deno without `--allow-env` reads no
 * `OPENAI_API_KEY` (by design: a missing key there is no error of its own).
 */
const NO_KEY_SENT = "no API key was sent: pass apiKey; OPENAI_API_KEY is read for OpenAI's own API only, and by Deno only with --allow-env";

/** Never in `stream` mode: stateless between calls, and on the runtime's fast path. */
const utf8 = new TextDecoder();

/**
 * Reads a whole body as text, up to `limit` bytes (the rest is cancelled), telling the attempt
 * when it waits for the server (the idle time-out). Faster than `Response.text()` in Node 20
 * (the bench's create case shows it): the pieces are joined once and decoded whole.
 */
export async function readText(response: Response, attempt: Attempt, limit = Infinity): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  while (reader && size < limit) {
    attempt.armIdleTimer();
    const { done, value } = await reader.read();
    attempt.received();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  if (reader && size >= limit) reader.cancel().catch(noop);
  return utf8.decode(join(parts, Math.min(size, limit)));
}

/** The pieces as one array of `size` bytes (a body past its limit is cut there). */
function join(parts: Uint8Array[], size: number): Uint8Array | undefined {
  if (parts.length < 2 && (parts[0]?.length ?? 0) <= size) return parts[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    const piece = part.subarray(0, size - offset);
    bytes.set(piece, offset);
    offset += piece.length;
  }
  return bytes;
}

/**
 * A whole body, as the API answered it: a 2xx JSON object is the result; a non-2xx is an
 * `APIError` of its status class (`RateLimitError`, …) from its `{ error: {...} }` body or its
 * text, as is an `error` object sent with a 2xx (some gateways do); anything else is an
 * `InvalidResponseError`, never a quiet success. A 401 about the key, to a request that carried
 * none (`keySent` false), says so, and how to give one.
 * The key is masked in everything they quote.
 */
export function parseBody<T>(response: Response, text: string, attempt: Attempt, keySent = true): T {
  const value = tryParse(text);
  const error = value?.error;
  if (!response.ok || (error && typeof error === 'object')) {
    const secrets = attempt.secrets;
    const object = errorObject(maskValue(error ?? value, secrets), excerpt(text, secrets));
    // Only a refusal that is about a key: a relay's 401 ("sign in") wants a session, not a key.
    const aboutKey = response.status === 401 && !keySent && KEY_WORDS.test(`${object.message} ${object.code}`);
    throw makeAPIError(responseInfo(attempt), object, aboutKey ? NO_KEY_SENT : undefined);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const quoted = excerpt(text, attempt.secrets) || '(empty body)';
    throw new InvalidResponseError(responseInfo(attempt), `The ${response.status} response to ${attempt.label} is not a JSON object: ${quoted}`);
  }
  return value;
}
