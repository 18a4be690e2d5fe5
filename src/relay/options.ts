import { OpenAIError } from '../errors.js';
import type { RequestOptions } from '../types/index.js';
import type { RelayErrorReport, RelayOptions, RelayUser, UsageReport } from './types.js';

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
  /** The upstream call's options, less its signal. */
  upstream: RequestOptions;
}

/**
 * Reads and checks `createRelay`'s options once. A mistake is an `OpenAIError` thrown at start-up,
 * naming the option: a relay is never served half-configured.
 */
export function resolveRelayOptions(options: RelayOptions): RelayConfig {
  if (!options || typeof options !== 'object') throw new OpenAIError('createRelay needs options: at least `models`, and `authorize` or `public: true`.');
  const { authorize, upstream, apiKey, baseURL } = options;
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
    upstream: { ...upstream, apiKey, baseURL },
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
