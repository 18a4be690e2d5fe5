import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RequestOptions } from '../../src/index.js';
import { createLocalAPI } from './handler.js';
import { serve } from './http.js';
import type { Served } from './http.js';

/**
 * The local API for one test file: served over HTTP before its tests, reset before each,
 * closed after. `server` fills in once listening; `requestOptions(extra)` gives RequestOptions whose
 * `baseURL` is read when a request is made, so they can be built at the top of a file.
 */
export function useLocalAPI() {
  const api = createLocalAPI();
  const server = {} as Served;
  beforeAll(async () => {
    Object.assign(server, await serve(api.handle));
  });
  afterAll(() => server.close());
  beforeEach(() => api.reset());
  const requestOptions = (extra: RequestOptions = {}): RequestOptions => ({
    get baseURL() {
      return server.baseURL;
    },
    maxRetries: 0,
    ...extra,
  });
  return { api, server, requestOptions };
}

/**
 * A fetch that sends what the SDK addresses to another origin (`https://api.openai.com`, an
 * Azure resource) to `target()` instead, over real HTTP: the SDK decides by the URL it was
 * given, the local server answers.
 */
export function rerouted(target: () => string): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    return fetch(`${target()}${url.pathname.replace(/^\/v1/, '')}${url.search}`, init);
  };
}
