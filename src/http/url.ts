import { OpenAIError } from '../errors.js';

/** Query values as the API documents them; `metadata` is a deepObject (`metadata[k]=v`). */
export type QueryInput = Record<string, unknown>;

/** A parsed `baseURL`: what the endpoint's path goes after, and the query it already had. */
export interface BaseURL {
  /** Origin and path, no trailing slash, no query: `https://api.openai.com/v1`. */
  prefix: string;
  /** Its own query, e.g. Azure's `api-version`, sent with every call. */
  params: [string, string][];
}

const HTTP = /^https?:$/;

/**
 * Parses `baseURL` once per call. A usage mistake (no scheme, a fragment, credentials, another
 * scheme than http or https) fails here, at once, never as a retried connection error; the
 * message quotes no part of the URL, whose query may hold a secret.
 */
export function parseBaseURL(input: string): BaseURL {
  // Most processes call one baseURL all their life: it is parsed once. A speed trick, kept for
  // the per-call cost that bench (c), a non-streaming create per call, counts.
  if (input === lastInput) return lastParsed;
  lastParsed = parse(input);
  lastInput = input;
  return lastParsed;
}

let lastInput: string | undefined;
let lastParsed: BaseURL;

function parse(input: string): BaseURL {
  if (typeof input !== 'string') throw new OpenAIError(`baseURL must be a string, got ${typeof input}.`);
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new OpenAIError('baseURL must be an absolute URL with its scheme, such as https://api.openai.com/v1.');
  }
  if (!HTTP.test(url.protocol)) throw new OpenAIError(`baseURL must use http: or https:, not ${url.protocol.slice(0, 20)}`);
  // `new URL` drops an empty fragment (`/v1#`) silently: the input says what was meant.
  if (url.hash || input.includes('#')) throw new OpenAIError('baseURL must not have a #fragment: the endpoint path would be lost after it.');
  if (url.username || url.password)
    throw new OpenAIError('baseURL must not hold a user name or password (fetch refuses such URLs): send credentials in headers.');
  return { prefix: url.origin + url.pathname.replace(/\/+$/, ''), params: [...url.searchParams] };
}

/**
 * The request URL: `path` after the base's path, then the base's own query, then each record's
 * parameters (a later one replaces an earlier one of the same name). Only own properties count:
 * a polluted `Object.prototype` cannot add a parameter.
 */
export function buildURL(base: BaseURL, path: string, ...queries: (QueryInput | undefined)[]): string {
  // Most calls have no query at all (a create): no URLSearchParams to build and print.
  if (!base.params.length && queries.every(isEmpty)) return base.prefix + path;
  const params = new URLSearchParams(base.params);
  for (const query of queries) {
    if (!query) continue;
    for (const name of Object.keys(query)) add(params, name, query[name]);
  }
  const search = params.toString();
  return search ? `${base.prefix}${path}?${search}` : base.prefix + path;
}

function isEmpty(query: QueryInput | undefined): boolean {
  return !query || !Object.keys(query).length;
}

/** `undefined` and `null` mean "not given"; an object (`metadata`) is one `name[key]=value` pair per entry, as the API reads it. */
function add(params: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'object') {
    for (const key of Object.keys(value)) add(params, `${name}[${key}]`, (value as Record<string, unknown>)[key]);
  } else params.set(name, String(value));
}
