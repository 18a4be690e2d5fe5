import type { RelayConfig } from './options.js';
import { Refusal } from './refusal.js';

/** What the page's SDK reads of an answer besides its body: the request id, and how long to wait. */
const EXPOSED = 'x-request-id, retry-after, retry-after-ms, x-should-retry';
/** How long a browser may keep a preflight's answer, in seconds. */
const PREFLIGHT_MAX_AGE = '600';

/**
 * The CORS headers of an answer to `origin`: none when the page sent no `Origin` or one not in
 * `origins` (its browser then withholds the answer). A listed origin may send credentials (a
 * session cookie); `'*'` never: the wildcard and credentials never go together.
 */
export function corsHeaders(config: RelayConfig, origin: string | null): Record<string, string> {
  const { origins } = config;
  if (origins === '*') return { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED };
  // The answer differs by origin: caches must keep them apart.
  const vary: Record<string, string> = origins.size ? { vary: 'origin' } : {};
  if (origin === null || !origins.has(origin)) return vary;
  return { ...vary, 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': EXPOSED };
}

/**
 * The answer to a preflight (`OPTIONS`): the methods the relay serves and the headers the page
 * asked to send (they reach `authorize`, never the upstream), or a 403 for an origin not allowed.
 */
export function preflight(config: RelayConfig, request: Request): Response {
  const cors = corsHeaders(config, request.headers.get('origin'));
  if (!cors['access-control-allow-origin']) throw new Refusal(403, 'This origin may not call the relay.', 'origin_not_allowed', null, cors);
  const headers = {
    ...cors,
    'access-control-allow-methods': config.storedCompletions ? 'GET, POST, DELETE' : 'POST',
    'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? '',
    'access-control-max-age': PREFLIGHT_MAX_AGE,
  };
  return new Response(null, { status: 204, headers });
}
