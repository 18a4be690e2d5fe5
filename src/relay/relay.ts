import { InvalidResponseError, OpenAIError } from '../errors.js';
import { isPlainObject, noop } from '../own.js';
import type { CompletionUsage } from '../types/index.js';
import { readJSONBody } from './body.js';
import { checkCreate } from './check.js';
import { corsHeaders, preflight } from './cors.js';
import { resolveRelayOptions } from './options.js';
import type { RelayConfig } from './options.js';
import { Refusal, refusalResponse } from './refusal.js';
import { passThrough } from './pass-through.js';
import { routeOf } from './routes.js';
import { serveStored } from './stored.js';
import type { RelayOptions } from './types.js';
import { CLIENT_CLOSED, Upstream, retryAfter, upstreamRefusal } from './upstream.js';

/**
 * Headers that choose the upstream account or carry a key: the relay's alone to set. No page's
 * header goes upstream; one that tries these is told so, not quietly ignored.
 */
const RELAY_HEADERS = ['openai-organization', 'openai-project', 'api-key'];

/** What one request to the relay knows as it goes. */
interface Context {
  config: RelayConfig;
  request: Request;
  /** `authorize`'s user, once known. */
  user: string | undefined;
}

/**
 * A web-standard handler that lets pages use this SDK with no key: `baseURL` at the relay, and
 * `createChatCompletion`, streams, `toChatCompletionEvents`, structured outputs and `runTools`
 * with tools in the page work unchanged, because the relay speaks the API's own protocol. The
 * key stays here; every request is authorized, limited, checked and only then sent upstream.
 * Misconfiguration throws here, at start-up.
 *
 * @example
 * // Cloudflare Workers, Vercel Edge, Deno.serve, Bun.serve: one handler for all.
 * const relay = createRelay({
 *   apiKey: env.OPENAI_API_KEY,
 *   authorize: async (request) => ((await session(request)) ? { user: sessionUserId } : null),
 *   models: ['gpt-4o-mini'],
 * });
 * export default { fetch: relay };
 */
export function createRelay(options: RelayOptions): (request: Request) => Promise<Response> {
  const config = resolveRelayOptions(options);
  return async (request) => {
    const context: Context = { config, request, user: undefined };
    let response: Response;
    try {
      response = await serve(context);
    } catch (error) {
      // A page that left hears nothing, and it is no failure to report.
      const left = request.signal.aborted;
      const refusal = left ? new Refusal(CLIENT_CLOSED, 'The page left before the answer.', 'client_closed') : upstreamRefusal(error);
      // The relay's own refusals are the page's to hear of.
      if (!left && !(error instanceof Refusal)) tell(context, error, refusal.status);
      response = refusalResponse(refusal);
    }
    const cors = corsHeaders(config, request.headers.get('origin'));
    for (const name of Object.keys(cors)) response.headers.set(name, cors[name]!);
    return response;
  };
}

/** One request, top to bottom: route, who, how often, then the call. */
async function serve(context: Context): Promise<Response> {
  const { config, request } = context;
  if (request.method === 'OPTIONS') return preflight(config, request);
  const route = routeOf(request.method, new URL(request.url).pathname, config.storedCompletions);
  const header = RELAY_HEADERS.find((name) => request.headers.has(name));
  if (header) throw new Refusal(400, `The ${header} header is the relay's to set: send the request without it.`, 'header_not_allowed');
  context.user = await identify(config, request);
  await limitRate(context);
  const upstream = new Upstream(config.upstream, request.signal);
  if (route.kind === 'create') return create(context, upstream);
  return serveStored(route, request, config, context.user!, upstream);
}

async function identify(config: RelayConfig, request: Request): Promise<string | undefined> {
  if (!config.authorize) return undefined;
  const who = await config.authorize(request);
  if (!who) throw new Refusal(401, 'The relay does not know who is calling: sign in, or send your session with the request.', 'unauthorized');
  if (typeof who.user !== 'string' || !who.user) throw new OpenAIError('authorize must give { user } with a non-empty string, or null to refuse.');
  return who.user;
}

async function limitRate({ config, request, user }: Context): Promise<void> {
  const verdict = config.rateLimit ? await config.rateLimit({ user, request }) : true;
  if (verdict === true) return;
  const wait = verdict?.retryAfterMs;
  if (typeof wait !== 'number' || !(wait >= 0)) throw new OpenAIError('rateLimit must give true, or { retryAfterMs } with a number of 0 or more.');
  const headers = retryAfter(wait);
  throw new Refusal(429, `Too many requests: try again in ${headers['retry-after']} s.`, 'rate_limit_exceeded', null, headers);
}

/** `POST …/chat/completions`: the page's body checked, sent upstream, the answer relayed. */
async function create(context: Context, upstream: Upstream): Promise<Response> {
  const { config, request, user } = context;
  const { body, model, stream, pageWantsUsage } = checkCreate(await readJSONBody(request, config.maxBodyBytes), config, user);
  const report = (usage: CompletionUsage | null) => reportUsage(context, model, usage, upstream.requestId);
  if (!stream) {
    const { text, value } = await upstream.json('POST', '/chat/completions', body);
    await report(isPlainObject(value.usage) ? (value.usage as unknown as CompletionUsage) : null);
    return upstream.answer(text);
  }
  const response = await upstream.fetch('POST', '/chat/completions', body);
  if (!response.body || !/^text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
    response.body?.cancel().catch(noop);
    upstream.done();
    // The type as the error's headers hold it: masked, as every header the upstream sent.
    const info = upstream.info(response);
    throw new InvalidResponseError(info, `Expected a text/event-stream answer, got ${info.headers['content-type']}.`);
  }
  const events = passThrough(response.body, upstream, { keepUsage: pageWantsUsage, onEnd: report, onFailure: (error) => tell(context, error, 200) });
  return new Response(events, { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...upstream.idHeader() } });
}

/** `onUsage`, once per answer; its failure is the server's to hear of, never the page's. */
async function reportUsage(context: Context, model: string, usage: CompletionUsage | null, requestId: string | undefined): Promise<void> {
  try {
    await context.config.onUsage?.({ user: context.user, model, usage, requestId });
  } catch (error) {
    tell(context, error, 200);
  }
}

/** `onError`: what the page was not told. A throwing `onError` has no one left to tell. */
function tell({ config, user }: Context, error: unknown, status: number): void {
  try {
    config.onError?.({ user, error, status });
  } catch {
    // Nothing left to report to.
  }
}
