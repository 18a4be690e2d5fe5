/** A `fetch`-compatible function: the global one, undici's, a test fake, a proxy's. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Extra query parameters; `undefined` values are dropped. */
export type QueryRecord = Record<string, string | number | boolean | undefined>;

/**
 * A function that gives the API key for one attempt: rotating tokens (Azure Entra ID), a
 * secret store. Called before every attempt, so a retry gets a fresh token.
 */
export type APIKeyFunction = () => string | Promise<string>;

/** What `onRequest` sees of one attempt, before it is sent. */
export interface RequestHookInfo {
  method: 'GET' | 'POST' | 'DELETE';
  /** The whole URL, query included (the key, were it there, masked). */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** What `onResponse` sees of one attempt, once its response headers arrived (any status). */
export interface ResponseHookInfo extends RequestHookInfo {
  status: number;
  /** Response headers, lower-cased names, the key masked. */
  headers: Record<string, string>;
  /** The `x-request-id` header. */
  requestId: string | undefined;
  /** Milliseconds from sending the attempt to its response headers. */
  elapsedMs: number;
}

/**
 * Options every function that sends a request takes as its last argument (the endpoints, the
 * paginators, `createParsedChatCompletion`, `runTools`). A client's defaults merge under them:
 * the call's own options win, and headers merge name by name. An option given as `undefined`
 * means "not given": it never erases a default. Only own properties are read. A mistake (a
 * `timeout` that is not a positive number, a `baseURL` without its scheme, a header value
 * with a newline) fails at once with an `OpenAIError` naming it, before anything is sent.
 */
export interface RequestOptions {
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Default: `OPENAI_API_KEY` from the runtime's
   * environment where it has one (read so that it never throws), for OpenAI's own API only
   * (`https://api.openai.com`): any other `baseURL` gets only a key given here. Absent means no
   * Authorization header, for a same-origin proxy that adds its own. A function is called
   * before every attempt (a retry gets a fresh token); what it returns is masked in errors
   * like a string key, and a function that throws or returns no string is a usage error.
   */
  apiKey?: string | APIKeyFunction | undefined;
  /** Sent as `OpenAI-Organization`. */
  organization?: string | undefined;
  /** Sent as `OpenAI-Project`. */
  project?: string | undefined;
  /**
   * Default `https://api.openai.com/v1`; a trailing slash is optional, a query in it (Azure's
   * `?api-version=…`) is sent with every call. A missing scheme, a `#fragment` or credentials
   * in it are usage errors.
   */
  baseURL?: string | undefined;
  /**
   * Extra headers, merged over the defaults case-insensitively; `null` removes a default.
   * A key set here in `Authorization` or `api-key` (Azure) is masked in errors like `apiKey`.
   */
  headers?: Record<string, string | null | undefined> | undefined;
  /** Extra query parameters on every URL, e.g. Azure's `{ 'api-version': '2024-10-21' }`. */
  query?: QueryRecord | undefined;
  /**
   * Fields merged into the JSON body of `createChatCompletion`, over the typed ones: the
   * escape hatch for what a compatible server accepts and these types do not know (Ollama's
   * `keep_alive`, vLLM's `top_k`, OpenRouter's `provider`), without casts.
   */
  extraBody?: Record<string, unknown> | undefined;
  /** The `fetch` to call. Default: the global `fetch`, looked up at call time. */
  fetch?: Fetch | undefined;
  /** Aborts the request and, for a stream, the body. */
  signal?: AbortSignal | undefined;
  /**
   * Milliseconds the server may stay silent: while waiting for response headers, and then for
   * each piece of the body the SDK has asked for. A consumer that reads slowly, or starts
   * reading late, is never timed out. A positive number; `Infinity` for none. Default 600000
   * (10 minutes).
   */
  timeout?: number | undefined;
  /** Retries of connection failures, time-outs, 408, 409, 429 and 5xx: a whole number ≥ 0. Default 2. */
  maxRetries?: number | undefined;
  /**
   * Allow sending a key from a browser page, where any visitor can read it: `apiKey`, or an
   * `Authorization` or `api-key` header. Prefer a server-side proxy that holds the key.
   * Default false.
   */
  dangerouslyAllowBrowser?: boolean | undefined;
  /**
   * Called before every attempt, retries included: method, URL, attempt number. Set it once in
   * `createClient` to log every call: `onRequest: ({ method, url, attempt }) => console.log(method, url, attempt)`.
   * A hook may be async: its promise is awaited. A hook that throws, or whose promise rejects,
   * fails the call with an `OpenAIError` naming it, never retried.
   */
  onRequest?: ((info: RequestHookInfo) => void) | undefined;
  /**
   * Called when an attempt's response headers arrive, whatever the status: status, headers,
   * request id, elapsed ms. Awaited like `onRequest`; when it fails, the response body is
   * cancelled and the request aborted, so the server stops sending.
   */
  onResponse?: ((info: ResponseHookInfo) => void) | undefined;
}
