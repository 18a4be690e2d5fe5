import { isPlainObject, own } from './own.js';
import { maskText } from './redact.js';
import type { Secrets } from './redact.js';
import type { ChatCompletion } from './types/index.js';

/**
 * The `error` object of an API error body: `{ "error": { message, type, param, code } }`.
 * `type`, `param` and `code` are strings or `null` as the API sends them; a compatible server's
 * other values are given as their JSON text (OpenRouter's and vLLM's `"code": 429` as `"429"`).
 */
export interface APIErrorObject {
  message: string;
  type?: string | null;
  param?: string | null;
  code?: string | null;
  [key: string]: unknown;
}

/**
 * Base class of every error this SDK throws; `instanceof OpenAIError` catches them all.
 *
 * @example
 * try { await getChatCompletion(id); } catch (e) { if (e instanceof OpenAIError) console.error(e.name, e.message); }
 */
export class OpenAIError extends Error {
  /** Which error this is: a literal in each subclass, so a `switch (e.name)` narrows and a typo fails to compile. */
  override name:
    | 'OpenAIError'
    | APIErrorName
    | 'InvalidResponseError'
    | 'APIConnectionError'
    | 'APIConnectionTimeoutError'
    | 'APIUserAbortError'
    | 'LengthFinishReasonError'
    | 'ContentFilterFinishReasonError'
    | 'OutputValidationError' = 'OpenAIError';
  /**
   * Set when a stream failed while `accumulateChatCompletion` folded it: the completion made of
   * every chunk that arrived before the failure, so an app can keep a half-finished answer.
   */
  declare readonly partial?: ChatCompletion;
}

/** Fields shared by errors that come with an HTTP response. */
export interface ResponseInfo {
  /** HTTP status of the response (a 2xx for errors found inside a body or a stream). */
  status: number;
  /** Response headers, lower-cased names; the API key, if a server echoes it, is redacted. */
  headers: Record<string, string>;
  /** The `x-request-id` header, to quote to OpenAI support. */
  requestId: string | undefined;
}

/**
 * The API answered with an error: a non-2xx status, or an `error` object in a body or stream.
 * `message` reads `400 Invalid value for temperature`: the status, then the API's own message.
 *
 * @example
 * try { await createChatCompletion(body); } catch (e) {
 *   if (e instanceof APIError && e.status === 429) console.warn('rate limited', e.requestId, e.code);
 * }
 */
export class APIError extends OpenAIError implements ResponseInfo {
  /** `APIError`, or its status class's name (`RateLimitError`, …) when the status has one. */
  override name: APIErrorName = 'APIError';
  declare readonly status: number;
  declare readonly headers: Record<string, string>;
  declare readonly requestId: string | undefined;
  /** The parsed `error` object; for a body that is not JSON, a short excerpt as its `message`. */
  declare readonly error: APIErrorObject;
  declare readonly type: string | null | undefined;
  declare readonly code: string | null | undefined;
  declare readonly param: string | null | undefined;

  /** @param advice What to do about it, added to the message after the API's own words. */
  constructor(info: ResponseInfo, error: APIErrorObject, advice?: string) {
    super(advice ? `${info.status} ${error.message} (${advice})` : `${info.status} ${error.message}`);
    // Fields are declared and assigned at once: separate class fields cost bytes in every bundle.
    Object.assign(this, info, { error, type: error.type, code: error.code, param: error.param });
  }
}

/** The name of an `APIError`: its own, or one of its status classes'. */
export type APIErrorName =
  | 'APIError'
  | 'BadRequestError'
  | 'AuthenticationError'
  | 'PermissionDeniedError'
  | 'NotFoundError'
  | 'ConflictError'
  | 'UnprocessableEntityError'
  | 'RateLimitError'
  | 'InternalServerError';

// The status classes, with the official SDK's names, so code moving from it keeps its
// `instanceof` checks. Each is an APIError and an OpenAIError; `makeAPIError` picks the class.

/** 400: the request is malformed (an unknown parameter, a value out of range). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError' as const;
  declare readonly status: 400;
}

/** 401: no API key, or a wrong one. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError' as const;
  declare readonly status: 401;
}

/** 403: the key may not do this (a region, a model, a project's permissions). */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError' as const;
  declare readonly status: 403;
}

/** 404: no such completion, model or route. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError' as const;
  declare readonly status: 404;
}

/** 409: a conflict with another request (retried like a 429). */
export class ConflictError extends APIError {
  override name = 'ConflictError' as const;
  declare readonly status: 409;
}

/** 422: a well-formed request the API cannot act on. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError' as const;
  declare readonly status: 422;
}

/** 429: a rate limit or the quota was reached; `headers` say when to try again. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError' as const;
  declare readonly status: 429;
}

/** 500 or above: the server failed (retried before it reaches you). */
export class InternalServerError extends APIError {
  override name = 'InternalServerError' as const;
}

/** The class for each status that has one, as the official SDK maps them. */
const STATUS_CLASSES = new Map<number, typeof APIError>([
  [400, BadRequestError],
  [401, AuthenticationError],
  [403, PermissionDeniedError],
  [404, NotFoundError],
  [409, ConflictError],
  [422, UnprocessableEntityError],
  [429, RateLimitError],
]);

/**
 * The `APIError` for `info.status`: its status class (any status of 500 or above is an
 * `InternalServerError`), or a plain `APIError` for the others (a 2xx that carries an error).
 */
export function makeAPIError(info: ResponseInfo, error: APIErrorObject, advice?: string): APIError {
  const StatusClass = STATUS_CLASSES.get(info.status) ?? (info.status >= 500 ? InternalServerError : APIError);
  return new StatusClass(info, error, advice);
}

/**
 * A 2xx response that cannot be used: a body that is not the JSON it should be, an event that
 * does not parse, a stream that ends before the answer finished. The message names what failed.
 *
 * @example
 * for await (const chunk of stream) render(chunk); // throws InvalidResponseError if the stream is cut
 */
export class InvalidResponseError extends OpenAIError implements ResponseInfo {
  override name = 'InvalidResponseError' as const;
  declare readonly status: number;
  declare readonly headers: Record<string, string>;
  declare readonly requestId: string | undefined;

  constructor(info: ResponseInfo, message: string) {
    super(message);
    Object.assign(this, info);
  }
}

/**
 * The request never got an answer: DNS, refused or reset connection, CORS, a cut body.
 * Retried `maxRetries` times before it reaches you; `cause` holds the runtime's own error.
 *
 * @example
 * catch (e) { if (e instanceof APIConnectionError) console.error('offline?', e.cause); }
 */
export class APIConnectionError extends OpenAIError {
  override name: 'APIConnectionError' | 'APIConnectionTimeoutError' = 'APIConnectionError';
}

/**
 * No response headers, or no bytes of the body, arrived within `timeout` ms (retried like a
 * connection failure).
 *
 * @example
 * await createChatCompletion(body, { timeout: 30_000 }).catch((e) => e instanceof APIConnectionTimeoutError && retryLater());
 */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError' as const;
}

/**
 * The caller's `signal` aborted the request, the stream, or the wait before a retry.
 *
 * @example
 * const controller = new AbortController();
 * stopButton.onclick = () => controller.abort(); // the stream then errors with APIUserAbortError
 */
export class APIUserAbortError extends OpenAIError {
  override name = 'APIUserAbortError' as const;
  constructor(message = 'Request was aborted.') {
    super(message);
  }
}

/** How long an excerpt of a body gets in a message: enough to recognise an HTML error page. */
const EXCERPT_LENGTH = 200;

/**
 * What a message quotes of a body: its start, whitespace flattened, secrets masked in the text
 * as it is shown, cut to `max`, and copied, so that an error never keeps a 20 MB body alive
 * through a slice of it.
 */
export function excerpt(text: string, secrets: Secrets | undefined, max = EXCERPT_LENGTH): string {
  // Masked after flattening and before the cut. What is masked is a start of the text, longer
  // than what is shown by a secret's longest spelling: a secret that its own end cuts must lie
  // past the cut, not leave a readable piece before it.
  const room = secrets ? secrets.room : 0;
  for (let want = max + room + 1; ; want *= 2) {
    const { flat, whole } = flattened(text, want);
    const masked = maskText(flat, secrets);
    if (!whole && masked.length <= max + room) continue;
    const cut = masked.length > max ? masked.slice(0, max) + '…' : masked;
    // A new string, not a view into `text` (V8 keeps the parent of a slice alive).
    return JSON.parse(JSON.stringify(cut)) as string;
  }
}

/**
 * `text` from its first non-space with each run of whitespace as one space: all of it
 * (`whole`), or a start of it at least `want` characters long. Only as much is read as that
 * takes, even behind a megabyte of spaces.
 */
function flattened(text: string, want: number): { flat: string; whole: boolean } {
  for (let end = want; ; end *= 4) {
    const flat = text.slice(0, end).replace(/\s+/g, ' ').trimStart();
    if (end >= text.length) return { flat: flat.trimEnd(), whole: true };
    if (flat.length >= want) return { flat, whole: false };
  }
}

/**
 * The API's `error` object (already redacted), or the best message a non-conforming server's
 * error gives: its `message`, a string it sent as the error, or `quoted`, an excerpt of the body.
 */
export function errorObject(value: unknown, quoted: string): APIErrorObject {
  const message = quoted || 'status code (no body)';
  if (isPlainObject(value)) {
    const record = textFields(value);
    return typeof record.message === 'string' && record.message ? (record as APIErrorObject) : { ...record, message };
  }
  return { message: typeof value === 'string' && value ? value : message };
}

/** The fields typed `string | null`: a server's number (or anything else) there becomes its JSON text. */
const TEXT_FIELDS = ['type', 'code', 'param'] as const;

/** `record`, or a copy with `type`, `code` and `param` made strings where they are not (absent and `null` stay). */
function textFields(record: Record<string, unknown>): Record<string, unknown> {
  let out = record;
  for (const key of TEXT_FIELDS) {
    const value = own(record, key);
    if (value === undefined || value === null || typeof value === 'string') continue;
    // A spread copies own data properties as they are: a `__proto__` key stays a key.
    if (out === record) out = { ...record };
    out[key] = JSON.stringify(value);
  }
  return out;
}
