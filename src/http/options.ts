import { isBrowser, readEnv } from './env.js';
import { OpenAIError } from '../errors.js';
import { mergeHeaders } from './headers.js';
import { defineOwn, own } from '../own.js';
import type { HeaderRecord } from './headers.js';
import { parseBaseURL } from './url.js';
import type { BaseURL } from './url.js';
import type { APIKeyFunction, Fetch, QueryRecord, RequestOptions } from '../types/options.js';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/**
 * OpenAI's own API, the only host the environment's key goes to: `api.openai.com` and its
 * regional hosts (`eu.api.openai.com`), over https on the default port.
 */
const OPENAI_API = /^https:\/\/(?:[a-z0-9-]+\.)?api\.openai\.com(?:\/|$)/;
const DEFAULT_TIMEOUT = 600_000; // 10 minutes, as the official SDK
const DEFAULT_MAX_RETRIES = 2;

/** RequestOptions checked once per call, with their defaults: what the request layer reads. */
export interface ResolvedOptions {
  /** A key given as a string (or read from the environment). */
  apiKey: string | undefined;
  /** A key given as a function, called per attempt. */
  apiKeyFunction: APIKeyFunction | undefined;
  baseURL: BaseURL;
  /** The caller's headers, lower-cased names; `null` removes a default. */
  headers: Record<string, string | null>;
  query: QueryRecord | undefined;
  fetch: Fetch;
  signal: AbortSignal | undefined;
  timeout: number;
  maxRetries: number;
  organization: string | undefined;
  project: string | undefined;
  onRequest: RequestOptions['onRequest'];
  onResponse: RequestOptions['onResponse'];
}

/** An option as given: own properties only, so a polluted `Object.prototype` is never read. */
const option = own as <K extends keyof RequestOptions>(options: RequestOptions, name: K) => RequestOptions[K];

/**
 * Reads, defaults and checks every option of one call. A mistake is an `OpenAIError` naming it,
 * thrown before any timer, listener or request exists: it fails at once, never as a retried
 * "Connection error.".
 */
export function resolveOptions(options: RequestOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new OpenAIError(`options must be an object, got ${options === null ? 'null' : typeof options}.`);
  const given = option(options, 'apiKey');
  const apiKeyFunction = typeof given === 'function' ? given : undefined;
  const baseURL = parseBaseURL(option(options, 'baseURL') ?? DEFAULT_BASE_URL);
  const apiKey = apiKeyFunction ? undefined : (optionalString(options, 'apiKey') ?? environmentKey(baseURL));
  const headers = mergeHeaders(option(options, 'headers'));
  const resolved: ResolvedOptions = {
    apiKey: apiKey || undefined,
    apiKeyFunction,
    baseURL,
    headers,
    query: option(options, 'query'),
    fetch: option(options, 'fetch') ?? globalFetch,
    signal: checkSignal(option(options, 'signal')),
    timeout: checkTimeout(option(options, 'timeout') ?? DEFAULT_TIMEOUT),
    maxRetries: checkMaxRetries(option(options, 'maxRetries') ?? DEFAULT_MAX_RETRIES),
    organization: optionalString(options, 'organization'),
    project: optionalString(options, 'project'),
    onRequest: optionalFunction(options, 'onRequest'),
    onResponse: optionalFunction(options, 'onResponse'),
  };
  if (typeof resolved.fetch !== 'function') throw new OpenAIError(`fetch must be a function, got ${typeof resolved.fetch}.`);
  // The fake (`openai-chat-fetch/fake`) answers in memory: a component test's key never leaves the page.
  const inMemory = Object.hasOwn(resolved.fetch, Symbol.for('openai-chat-fetch.fake'));
  if (!option(options, 'dangerouslyAllowBrowser') && !inMemory && isBrowser() && sendsCredential(resolved)) {
    throw new OpenAIError('Refusing to send an API key from a browser: call the API from a server-side proxy, or pass dangerouslyAllowBrowser: true.');
  }
  return resolved;
}

/**
 * `OPENAI_API_KEY`, for OpenAI's own API only: a local model server, another provider or a proxy
 * gets only a key given in options (the official SDK sends it to whatever host baseURL names).
 */
function environmentKey(baseURL: BaseURL): string | undefined {
  return OPENAI_API.test(baseURL.prefix) ? readEnv('OPENAI_API_KEY') : undefined;
}

/** The global `fetch`, looked up at call time (a test or polyfill may replace it). */
const globalFetch: Fetch = (input, init) => fetch(input, init);

function optionalString(options: RequestOptions, name: 'apiKey' | 'organization' | 'project'): string | undefined {
  const value = option(options, name);
  if (value !== undefined && typeof value !== 'string')
    throw new OpenAIError(`${name} must be a string${name === 'apiKey' ? ' or a function' : ''}, got ${typeof value}.`);
  return value;
}

function optionalFunction<K extends 'onRequest' | 'onResponse'>(options: RequestOptions, name: K): RequestOptions[K] {
  const value = option(options, name);
  if (value !== undefined && typeof value !== 'function') throw new OpenAIError(`${name} must be a function, got ${typeof value}.`);
  return value;
}

/** A key in any form a page could leak: `apiKey`, or a credential header set by hand. */
function sendsCredential({ apiKey, apiKeyFunction, headers }: ResolvedOptions): boolean {
  return Boolean(((apiKey || apiKeyFunction) && headers.authorization !== null) || headers.authorization || headers['api-key']);
}

/** The `signal` option, or a usage error. Duck-typed: an AbortSignal of another realm (an iframe, jsdom) is still one. */
export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal === null) return undefined;
  const looksLike =
    typeof signal === 'object' && typeof (signal as AbortSignal).aborted === 'boolean' && typeof (signal as AbortSignal).addEventListener === 'function';
  if (!looksLike) throw new OpenAIError('signal must be an AbortSignal (for example `new AbortController().signal`).');
  return signal as AbortSignal;
}

function checkTimeout(timeout: unknown): number {
  // NaN fails `> 0` too. Infinity is allowed: "no time-out".
  if (typeof timeout !== 'number' || !(timeout > 0)) throw new OpenAIError(`timeout must be a positive number of milliseconds, got ${String(timeout)}.`);
  return timeout;
}

function checkMaxRetries(maxRetries: unknown): number {
  if (typeof maxRetries !== 'number' || !Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new OpenAIError(`maxRetries must be a whole number of 0 or more, got ${String(maxRetries)}.`);
  }
  return maxRetries;
}

/**
 * A client's defaults under a call's options: the call wins, except where it gives `undefined`,
 * which means "not given" and never erases a default; headers, query and extraBody merge by name
 * (a client's OpenRouter `provider` stays when a call adds `top_k`). Own properties only.
 */
export function mergeOptions(defaults: RequestOptions, options: RequestOptions | undefined): RequestOptions {
  if (!options) return defaults;
  const merged: Record<string, unknown> = {};
  for (const layer of [defaults, options]) {
    for (const name of Object.keys(layer)) {
      const value = layer[name as keyof RequestOptions];
      if (value !== undefined) defineOwn(merged, name, value);
    }
  }
  merged.headers = mergeHeaders(option(defaults, 'headers') as HeaderRecord, option(options, 'headers') as HeaderRecord);
  merged.query = { ...option(defaults, 'query'), ...definedOnly(option(options, 'query')) };
  merged.extraBody = { ...option(defaults, 'extraBody'), ...definedOnly(option(options, 'extraBody')) };
  return merged as RequestOptions;
}

/** A record less its `undefined` values, so that they leave what came before. */
function definedOnly(record: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = {};
  for (const name of record ? Object.keys(record) : []) if (record![name] !== undefined) defineOwn(out, name, record![name]);
  return out;
}
