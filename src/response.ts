import { APIError, InvalidResponseError } from './errors.js';
import type { APIErrorObject, ResponseInfo } from './errors.js';
import { redact } from './redact.js';

/**
 * Status, headers and request id of a response, for its errors. The headers are copied (and
 * the key redacted from them) when first read: a successful call never builds the record.
 * The getters live on the prototype (an object literal with accessors is ~30x slower to make
 * in V8), so read the fields by name; a spread copies only `status`.
 */
class LazyResponseInfo implements ResponseInfo {
  readonly status: number;
  #response: Response;
  #apiKey: string | undefined;
  #headers?: Record<string, string>;

  constructor(response: Response, apiKey: string | undefined) {
    this.status = response.status;
    this.#response = response;
    this.#apiKey = apiKey;
  }

  get headers(): Record<string, string> {
    return (this.#headers ??= redact(Object.fromEntries(this.#response.headers), this.#apiKey));
  }

  get requestId(): string | undefined {
    return this.headers['x-request-id'];
  }
}

export function responseInfo(response: Response, apiKey: string | undefined): ResponseInfo {
  return new LazyResponseInfo(response, apiKey);
}

/** What error messages quote of a body: enough to recognise an HTML error page, no more. */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max) + '…' : flat;
}

/** Never in `stream` mode: stateless between calls, and on the runtime's fast path. */
const utf8 = new TextDecoder();

/** Reads the whole body as text, calling `onRead` after every network read (idle time-out). */
export async function readText(response: Response, onRead: () => void): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    onRead();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  // Decoded once, whole, as `Response.text()` does: a TextDecoder never put in `stream` mode
  // keeps the runtime's fast path (Node 20: ~6x ICU's speed on ASCII), worth one copy of a body
  // that came in pieces.
  let bytes = parts[0];
  if (parts.length > 1) {
    bytes = new Uint8Array(size);
    size = 0;
    for (const part of parts) {
      bytes.set(part, size);
      size += part.length;
    }
  }
  return utf8.decode(bytes);
}

/** The error a non-2xx response stands for, from its `{ error: {...} }` body or its text. */
export function errorFromBody(info: ResponseInfo, text: string, apiKey: string | undefined): APIError {
  const safe = redact(text, apiKey);
  let parsed: { error?: unknown } | undefined;
  try {
    parsed = redact(JSON.parse(safe), apiKey);
  } catch {
    // An HTML page from a proxy, or nothing at all: still an APIError with the status.
  }
  return new APIError(info, errorObject(parsed?.error ?? parsed, safe));
}

/** The API's `error` object, or the best message a non-conforming server's error gives. */
export function errorObject(value: unknown, text: string, max?: number): APIErrorObject {
  if (value && typeof value === 'object') {
    const object = value as APIErrorObject;
    return typeof object.message === 'string' && object.message ? object : { ...object, message: JSON.stringify(value) };
  }
  return { message: (typeof value === 'string' && value) || excerpt(text, max) || 'status code (no body)' };
}

/**
 * Parses a 2xx JSON body. What is not a JSON object, or is an `error` object sent with a
 * 2xx status (some gateways do), is an error, never a quiet success.
 */
export function parseJSONBody<T>(info: ResponseInfo, text: string, what: string, apiKey: string | undefined): T {
  let value: { error?: unknown } | undefined;
  let problem = 'valid JSON';
  try {
    value = JSON.parse(text);
    problem = 'a JSON object';
  } catch {}
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidResponseError(info, `${what}: the ${info.status} response is not ${problem}: ${excerpt(redact(text, apiKey)) || '(empty body)'}`);
  }
  if (value.error && typeof value.error === 'object') throw new APIError(info, errorObject(redact(value.error, apiKey), text));
  return value as T;
}
