/**
 * A request the relay answers itself, in the API's error format, so that the SDK in the page
 * raises its typed error (`BadRequestError`, `RateLimitError`, ...) with a message saying what to
 * change. Thrown inside the relay and turned into a response at its top; never carries anything
 * of the server (key, upstream URL, stack) beyond `message`.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
    readonly param: string | null = null,
    /** Headers the answer needs: `allow` on a 405, `retry-after` on a 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The API's error `type` for a status, as OpenAI names them. */
function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/**
 * The answer for a refusal: `{ error: { message, type, param, code } }`. A 5xx says
 * `x-should-retry: false` unless a retry can help (the upstream unavailable or failing), so that
 * the page's SDK does not repeat a call that fails the same way again (a refused key, a broken hook).
 */
export function refusalResponse({ status, message, code, param, headers }: Refusal): Response {
  const retry: Record<string, string> = status >= 500 && status !== 503 && code !== 'upstream_error' ? { 'x-should-retry': 'false' } : {};
  return Response.json({ error: { message, type: typeOf(status), param, code } }, { status, headers: { ...retry, ...headers, 'cache-control': 'no-store' } });
}

/** A 400 about one property of the request body. */
export function badRequest(message: string, param: string | null, code = 'invalid_request'): Refusal {
  return new Refusal(400, message, code, param);
}

/** Not given: `undefined`, or the `null` the API reads as "the default". */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A name or value from the page, quoted short: it may be a megabyte long. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? text.slice(0, 64) + '…' : text);
}
