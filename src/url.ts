import type { QueryRecord } from './types/options.js';

/** Query values as the API documents them; `metadata` is a deepObject (`metadata[k]=v`). */
export type QueryInput = Record<string, unknown>;

/** Joins `baseURL` (trailing slash optional) and `path`, then appends the query parameters. */
export function buildURL(baseURL: string, path: string, query?: QueryInput, extra?: QueryRecord): string {
  const params = new URLSearchParams();
  for (const source of [query, extra]) {
    for (const name in source) appendParam(params, name, source[name]);
  }
  const search = params.toString();
  return baseURL.replace(/\/+$/, '') + path + (search ? '?' + search : '');
}

function appendParam(params: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'object') {
    // The spec's `style: deepObject` for metadata: one `name[key]=value` pair per entry.
    for (const key in value) appendParam(params, `${name}[${key}]`, (value as Record<string, unknown>)[key]);
    return;
  }
  params.set(name, String(value));
}
