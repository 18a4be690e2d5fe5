import { mergeHeaders } from './headers.js';
import { readEnv } from './env.js';
import type { Fetch, RequestOptions } from './types/options.js';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/** Ten minutes, as the official SDK: reasoning models can think that long before answering. */
export const DEFAULT_TIMEOUT = 600_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Options with every default filled in; everything downstream reads only this. */
export interface NormalizedOptions {
  apiKey: string | undefined;
  organization: string | undefined;
  project: string | undefined;
  baseURL: string;
  headers: RequestOptions['headers'];
  query: RequestOptions['query'];
  fetch: Fetch;
  signal: AbortSignal | undefined;
  timeout: number;
  maxRetries: number;
  dangerouslyAllowBrowser: boolean;
}

/**
 * A client's defaults under a call's options: the call wins; headers, query and extraBody
 * merge by name (a client's OpenRouter `provider` stays when a call adds `top_k`).
 */
export function mergeOptions(defaults: RequestOptions, options: RequestOptions | undefined): RequestOptions {
  if (!options) return defaults;
  return {
    ...defaults,
    ...options,
    headers: mergeHeaders(defaults.headers, options.headers),
    query: { ...defaults.query, ...options.query },
    extraBody: defaults.extraBody && options.extraBody ? { ...defaults.extraBody, ...options.extraBody } : options.extraBody ?? defaults.extraBody,
  };
}

export function normalizeOptions(options: RequestOptions = {}): NormalizedOptions {
  return {
    apiKey: options.apiKey ?? readEnv('OPENAI_API_KEY'),
    organization: options.organization,
    project: options.project,
    baseURL: options.baseURL ?? DEFAULT_BASE_URL,
    headers: options.headers,
    query: options.query,
    // Looked up per call, so a fetch patched or polyfilled after import is the one used.
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    signal: options.signal,
    timeout: options.timeout ?? DEFAULT_TIMEOUT,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    dangerouslyAllowBrowser: options.dangerouslyAllowBrowser ?? false,
  };
}
