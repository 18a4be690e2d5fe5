import { mergeHeaders } from './headers.js';
import type { RequestOptions } from './types/options.js';

/**
 * A client's defaults under a call's options: the call wins; headers, query and extraBody
 * merge by name (a client's OpenRouter `provider` stays when a call adds `top_k`).
 */
export function mergeOptions(defaults: RequestOptions, options: RequestOptions | undefined): RequestOptions {
  return options
    ? {
        ...defaults,
        ...options,
        headers: mergeHeaders(defaults.headers, options.headers),
        query: { ...defaults.query, ...options.query },
        extraBody: { ...defaults.extraBody, ...options.extraBody },
      }
    : defaults;
}
