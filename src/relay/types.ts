import type { CompletionUsage, RequestOptions } from '../types/index.js';

/** Who is calling, as `authorize` says: a stable id, sent upstream as `safety_identifier` (at most 64 characters; a hash, not an email). */
export interface RelayUser {
  user: string;
}

/**
 * The models pages may ask for: a list of names, a predicate, or a map from the names pages use
 * to the upstream's (an Azure deployment, a provider's model id). Only own properties of a map
 * count.
 */
export type RelayModels = readonly string[] | ((model: string) => boolean) | Readonly<Record<string, string>>;

/** What `rateLimit` answers: `true` lets the request through; `{ retryAfterMs }` refuses it (429 with `retry-after`). */
export type RateLimitVerdict = true | { retryAfterMs: number };

/** What `rateLimit` is told about a request, before its body is read. */
export interface RateLimitRequest {
  /** `authorize`'s user; `undefined` on a public relay without `authorize`. */
  user: string | undefined;
  /** The page's request, to key a public relay's limit by address (`cf-connecting-ip`, `x-forwarded-for`). */
  request: Request;
}

/** One answer's token usage, reported once per answer to `onUsage`. */
export interface UsageReport {
  user: string | undefined;
  /** The model the request was sent upstream as (after a `models` map). */
  model: string;
  /** As the upstream reported it; `null` when it did not (the page left mid-stream, the stream was cut). */
  usage: CompletionUsage | null;
  /** The upstream's `x-request-id`. */
  requestId: string | undefined;
}

/**
 * What the relay did not tell the page: an upstream failure with its full error (status,
 * message, request id), an error event the upstream sent inside a stream (`status` 200), or a
 * hook of yours that threw. For your logs; the key is masked.
 */
export interface RelayErrorReport {
  user: string | undefined;
  /** The SDK's error (`APIError`, `APIConnectionError`, ...) or what your hook threw. */
  error: unknown;
  /** The status the page was answered with. */
  status: number;
}

/**
 * Options of `createRelay`. Only `models` and one of `authorize` or `public: true` are
 * required; every limit has a default that keeps an open page from spending much.
 */
export interface RelayOptions {
  /** The upstream's key: a string, or a function called per request. Default: `OPENAI_API_KEY` where the runtime has an environment, when `baseURL` is not given. */
  apiKey?: string | (() => string | Promise<string>) | undefined;
  /** The upstream's base URL; a query in it (Azure's `?api-version=…`) goes with every call. Default `https://api.openai.com/v1`. */
  baseURL?: string | undefined;
  /**
   * More of the upstream call: `fetch`, `timeout` (ms the upstream may stay silent, default
   * 600,000), `organization`, `project`, `headers` (`null` removes one). The relay does not
   * retry: the page's SDK retries the 429, 502 and 503 the relay answers with.
   */
  upstream?: Pick<RequestOptions, 'fetch' | 'timeout' | 'organization' | 'project' | 'headers'> | undefined;
  /**
   * Who is calling: `{ user }`, or `null` to refuse (401). Read your session cookie or token
   * here; the page's `Authorization` header is for this alone and never goes upstream.
   * Required unless `public: true`.
   */
  authorize?: ((request: Request) => RelayUser | null | Promise<RelayUser | null>) | undefined;
  /** Serve anyone, without `authorize`: say so out loud. Rate-limit such a relay. */
  public?: boolean | undefined;
  /** The models pages may ask for (required). */
  models: RelayModels;
  /** Largest request body in bytes, read as a stream and stopped there (413). Default 1 MiB (1,048,576). */
  maxBodyBytes?: number | undefined;
  /** Most messages in a request. Default 100. */
  maxMessages?: number | undefined;
  /**
   * Most completion tokens a request may ask for (`max_completion_tokens` or `max_tokens`); a
   * request asking more is refused, one asking nothing gets this as its `max_completion_tokens`.
   * Default 4,096; `Infinity` for no cap.
   */
  maxCompletionTokens?: number | undefined;
  /** Most choices (`n`) a request may ask for. Default 1. */
  maxN?: number | undefined;
  /** Most tools (`tools`, and the deprecated `functions`) in a request. Default 32. */
  maxTools?: number | undefined;
  /**
   * Body properties to let through that are refused by default (`store`, `metadata`,
   * `service_tier`, `prompt_cache_key`, `safety_identifier`, `user`), or that the contract lacks
   * (a provider's own, such as OpenRouter's `provider`).
   */
  allowFields?: readonly string[] | undefined;
  /** Decides, per request, whether it may go on; see `memoryRateLimit`. Runs after `authorize`, before the body is read. */
  rateLimit?: ((request: RateLimitRequest) => RateLimitVerdict | Promise<RateLimitVerdict>) | undefined;
  /** Called once per answer, streamed or not, before the page's answer ends (awaited: keep it quick). */
  onUsage?: ((report: UsageReport) => void | Promise<void>) | undefined;
  /** Told what the page was not: upstream failures in full, an error event the upstream sent in a stream (the page gets it as sent), hooks that threw. */
  onError?: ((report: RelayErrorReport) => void) | undefined;
  /**
   * Opens the stored-completion endpoints (get, list, messages, update, delete), each to the
   * completions of the calling user only: the relay marks what it stores with
   * `metadata.relay_user` and checks it on every access. Storing itself needs `allowFields: ['store']`.
   * Default `false`.
   */
  storedCompletions?: boolean | undefined;
  /**
   * Origins of the pages that may call the relay from another origin (CORS), such as
   * `https://app.example.com`; `'*'` for any, without credentials. Default: none (same origin only).
   */
  origins?: readonly string[] | '*' | undefined;
}
