/** A `fetch`-compatible function: the global one, undici's, a test fake, a proxy's. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Extra query parameters; `undefined` values are dropped. */
export type QueryRecord = Record<string, string | number | boolean | undefined>;

/**
 * Options every function takes as its last argument. A client's defaults merge under them:
 * the call's own options win, and headers merge name by name.
 */
export interface RequestOptions {
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Default: `OPENAI_API_KEY` from the runtime's
   * environment where it has one (read so that it never throws). Absent means no
   * Authorization header, for a same-origin proxy that adds its own.
   */
  apiKey?: string;
  /** Sent as `OpenAI-Organization`. */
  organization?: string;
  /** Sent as `OpenAI-Project`. */
  project?: string;
  /** Default `https://api.openai.com/v1`; a trailing slash is optional. */
  baseURL?: string;
  /**
   * Extra headers, merged over the defaults case-insensitively; `null` removes a default
   * (`{ Authorization: null, 'api-key': key }` for Azure).
   */
  headers?: Record<string, string | null | undefined>;
  /** Extra query parameters on every URL, e.g. Azure's `{ 'api-version': '2024-10-21' }`. */
  query?: QueryRecord;
  /**
   * Fields merged into the JSON body of `createChatCompletion`, over the typed ones: the
   * escape hatch for what a compatible server accepts and these types do not know (Ollama's
   * `keep_alive`, vLLM's `top_k`, OpenRouter's `provider`), without casts.
   */
  extraBody?: Record<string, unknown>;
  /** The `fetch` to call. Default: the global `fetch`, looked up at call time. */
  fetch?: Fetch;
  /** Aborts the request and, for a stream, the body. */
  signal?: AbortSignal;
  /**
   * Milliseconds to wait for response headers, and then between two reads of the body.
   * Default 600000 (10 minutes).
   */
  timeout?: number;
  /** Retries of connection failures, time-outs, 408, 409, 429 and 5xx. Default 2. */
  maxRetries?: number;
  /**
   * Allow sending an API key from a browser page, where any visitor can read it. Prefer a
   * server-side proxy that holds the key. Default false.
   */
  dangerouslyAllowBrowser?: boolean;
}
