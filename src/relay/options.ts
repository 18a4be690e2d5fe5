import { OpenAIError } from '../errors.js';
import { readEnv } from '../http/env.js';
import type { Fetch } from '../types/options.js';
import type { RelayErrorReport, RelayOptions, RelayUser, UsageReport } from './types.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** The idle time-out of an upstream call, as the SDK's own default. */
const DEFAULT_TIMEOUT = 600_000;
/** setTimeout fires at once past 2^31 - 1 ms: a longer time-out is this one. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** Safe defaults: what one page request may cost without the owner raising it. */
const DEFAULT_LIMITS = {
  maxBodyBytes: 1024 * 1024,
  maxMessages: 100,
  maxCompletionTokens: 4096,
  maxN: 1,
  maxTools: 32,
};

export type Limits = typeof DEFAULT_LIMITS;

/** `createRelay`'s options, checked once, with their defaults: what each request reads. */
export interface RelayConfig extends Limits {
  authorize: ((request: Request) => RelayUser | null | Promise<RelayUser | null>) | undefined;
  /** The upstream's name of a model pages may use, or `undefined`. */
  upstreamModel(model: string): string | undefined;
  allowFields: ReadonlySet<string>;
  rateLimit: RelayOptions['rateLimit'];
  onUsage: ((report: UsageReport) => void | Promise<void>) | undefined;
  onError: ((report: RelayErrorReport) => void) | undefined;
  storedCompletions: boolean;
  /** Allowed origins, `'*'`, or none. */
  origins: ReadonlySet<string> | '*';
  upstream: UpstreamConfig;
}

/** How the relay calls its upstream, checked once. */
export interface UpstreamConfig {
  /** With no trailing slash; a query in it (Azure's `api-version`) goes with every call. */
  baseURL: URL;
  apiKey: string | (() => string | Promise<string>) | undefined;
  /** The relay's own headers; `null` removes a default (`authorization`, for a provider that takes `api-key`). */
  headers: Record<string, string | null | undefined>;
  fetch: Fetch;
  /** Milliseconds the upstream may stay silent while the relay waits for it. */
  timeout: number;
}

/**
 * Reads and checks `createRelay`'s options once. A mistake is an `OpenAIError` thrown at start-up,
 * naming the option: a relay is never served half-configured.
 */
export function resolveRelayOptions(options: RelayOptions): RelayConfig {
  if (!options || typeof options !== 'object') throw new OpenAIError('createRelay needs options: at least `models`, and `authorize` or `public: true`.');
  const { authorize } = options;
  if (typeof authorize !== 'function' && (authorize !== undefined || options.public !== true)) {
    throw new OpenAIError('createRelay needs `authorize(request)` to tell who is calling, or `public: true` to serve anyone.');
  }
  if (options.storedCompletions === true && typeof authorize !== 'function') {
    throw new OpenAIError('storedCompletions needs `authorize`: a stored completion is served to the user who made it only.');
  }
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 1) || (value !== Infinity && !Number.isInteger(value))) {
      throw new OpenAIError(`${name} must be a whole number of 1 or more (or Infinity), got ${String(value)}.`);
    }
    limits[name] = value;
  }
  return {
    ...limits,
    authorize,
    upstreamModel: modelsOf(options.models),
    allowFields: new Set(options.allowFields ?? []),
    rateLimit: hook(options, 'rateLimit'),
    onUsage: hook(options, 'onUsage'),
    onError: hook(options, 'onError'),
    storedCompletions: options.storedCompletions === true,
    origins: originsOf(options.origins),
    upstream: upstreamOf(options),
  };
}

/**
 * The upstream's address, key and headers. `OPENAI_API_KEY` is read only when `baseURL` is not
 * given: the environment's key goes to OpenAI's own API, never to an address a config names.
 */
function upstreamOf({ apiKey, baseURL, upstream = {} }: RelayOptions): UpstreamConfig {
  let url: URL;
  try {
    url = new URL(baseURL ?? OPENAI_BASE_URL);
  } catch {
    url = new URL('invalid:');
  }
  if (!/^https?:$/.test(url.protocol)) throw new OpenAIError(`baseURL must be an http or https URL, such as '${OPENAI_BASE_URL}'.`);
  url.pathname = url.pathname.replace(/\/+$/, '');
  const { timeout = DEFAULT_TIMEOUT, organization, project } = upstream;
  if (!(timeout > 0)) throw new OpenAIError(`upstream.timeout must be a positive number of milliseconds, got ${String(timeout)}.`);
  const headers = { 'openai-organization': organization, 'openai-project': project, ...upstream.headers };
  try {
    new Headers(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    throw new OpenAIError('upstream.headers holds a header name or value that fetch refuses (a newline, a space in a name).');
  }
  return {
    baseURL: url,
    apiKey: apiKey ?? (baseURL === undefined ? readEnv('OPENAI_API_KEY') : undefined),
    headers,
    // Looked up per call, as the SDK does: a test or a runtime may replace the global later.
    fetch: upstream.fetch ?? ((input, init) => fetch(input, init)),
    timeout: Math.min(timeout, MAX_TIMEOUT),
  };
}

function hook<K extends 'rateLimit' | 'onUsage' | 'onError'>(options: RelayOptions, name: K): RelayOptions[K] {
  const value = options[name];
  if (value !== undefined && typeof value !== 'function') throw new OpenAIError(`${name} must be a function, got ${typeof value}.`);
  return value;
}

/** The allowlist as one lookup: the upstream name of an allowed model, `undefined` otherwise. */
function modelsOf(models: RelayOptions['models']): (model: string) => string | undefined {
  if (Array.isArray(models)) {
    const allowed = new Set<unknown>(models);
    return (model) => (allowed.has(model) ? model : undefined);
  }
  if (typeof models === 'function') return (model) => (models(model) === true ? model : undefined);
  if (models && typeof models === 'object') {
    const map = models as Record<string, unknown>;
    // Own string values only: `constructor` or `__proto__` from a page never reads the prototype.
    return (model) => (Object.hasOwn(map, model) && typeof map[model] === 'string' ? (map[model] as string) : undefined);
  }
  throw new OpenAIError('createRelay needs `models`: a list of model names, a predicate, or a map to the upstream names.');
}

/** Origins as `new URL(origin).origin` spells them: a trailing slash or a path would never match a page. */
function originsOf(origins: RelayOptions['origins']): ReadonlySet<string> | '*' {
  if (origins === '*') return '*';
  const list = origins ?? [];
  if (!Array.isArray(list)) throw new OpenAIError("origins must be a list of origins (such as 'https://app.example.com'), or '*'.");
  for (const origin of list) {
    if (origin === '*') return '*';
    if (!isOrigin(origin))
      throw new OpenAIError(`origins holds ${JSON.stringify(origin)}, which is not an origin: scheme, host and port only, such as 'https://app.example.com'.`);
  }
  return new Set(list);
}

function isOrigin(origin: unknown): boolean {
  try {
    return typeof origin === 'string' && new URL(origin).origin === origin;
  } catch {
    return false;
  }
}
