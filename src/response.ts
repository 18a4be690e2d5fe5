import { APIError, InvalidResponseError } from './errors.js';
import type { APIErrorObject, ResponseInfo } from './errors.js';
import { redact } from './redact.js';

/** What error messages quote of a body: enough to recognise an HTML error page, no more. */
const EXCERPT = 200;

export function responseInfo(response: Response, apiKey: string | undefined): ResponseInfo {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const safe = redact(headers, apiKey);
  return { status: response.status, headers: safe, requestId: safe['x-request-id'] };
}

export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? flat.slice(0, EXCERPT) + '…' : flat;
}

/** Reads the whole body as text, calling `onRead` after every network read (idle time-out). */
export async function readText(response: Response, onRead: () => void): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    onRead();
    if (done) break;
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** The error a non-2xx response stands for, from its `{ error: {...} }` body or its text. */
export function errorFromBody(info: ResponseInfo, text: string, apiKey: string | undefined): APIError {
  const safe = redact(text, apiKey);
  let parsed: unknown;
  try {
    parsed = JSON.parse(safe);
  } catch {
    // An HTML page from a proxy, or nothing at all: still an APIError with the status.
  }
  const body = redact(parsed, apiKey) as { error?: unknown; message?: unknown } | undefined;
  return new APIError(info, toErrorObject(body?.error ?? body, safe));
}

function toErrorObject(value: unknown, text: string): APIErrorObject {
  if (value && typeof value === 'object') {
    const object = value as APIErrorObject;
    if (typeof object.message === 'string' && object.message) return object;
    return { ...object, message: JSON.stringify(value) };
  }
  if (typeof value === 'string' && value) return { message: value };
  return { message: excerpt(text) || 'status code (no body)' };
}

/**
 * Parses a 2xx JSON body. What is not a JSON object, or is an `error` object sent with a
 * 2xx status (some gateways do), is an error, never a quiet success.
 */
export function parseJSONBody<T>(info: ResponseInfo, text: string, what: string, apiKey: string | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidResponseError(info, `${what}: the ${info.status} response is not valid JSON: ${excerpt(redact(text, apiKey)) || '(empty body)'}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidResponseError(info, `${what}: the ${info.status} response is not a JSON object: ${excerpt(redact(text, apiKey))}`);
  }
  const error = (value as { error?: unknown }).error;
  if (error && typeof error === 'object') throw new APIError(info, toErrorObject(redact(error, apiKey), text));
  return value as T;
}
