import { Refusal } from './refusal.js';

/** What a page's request asks for: a create, or one of the stored-completion endpoints. */
export type Route = { kind: 'create' } | { kind: 'list' } | { kind: 'get' | 'update' | 'delete' | 'messages'; id: string };

/**
 * `…/chat/completions`, `…/chat/completions/{id}` and `…/chat/completions/{id}/messages` at the
 * end of the path, wherever the relay is mounted. The URL is already resolved (`..` removed,
 * `%2e%2e` included), and the relay builds the upstream path itself: a page never names one.
 */
const PATH = /\/chat\/completions(?:\/([^/]+)(\/messages)?)?$/;
/** What a completion id looks like (`chatcmpl-…`); anything else names no completion. */
const ID = /^[\w-]{1,128}$/;

/** What each method does to one stored completion. */
const ITEM_KINDS = new Map([
  ['GET', 'get'],
  ['POST', 'update'],
  ['DELETE', 'delete'],
] as const);

const CLOSED = 'The stored-completion endpoints are closed on this relay: it serves POST …/chat/completions only.';

/** The route of a request, or a 404 / 405 that says what this relay serves. */
export function routeOf(method: string, pathname: string, stored: boolean): Route {
  const match = PATH.exec(pathname);
  if (!match) throw new Refusal(404, 'This relay serves POST …/chat/completions only.', 'unknown_url');
  const [, id, messages] = match;
  if (id === undefined) {
    if (method === 'POST') return { kind: 'create' };
    if (method === 'GET' && stored) return { kind: 'list' };
    throw notAllowed(method, stored ? 'GET, POST' : 'POST', stored ? '' : ` ${CLOSED}`);
  }
  if (!stored) throw new Refusal(404, CLOSED, 'unknown_url');
  if (!ID.test(id)) throw new Refusal(404, 'No stored completion has that id.', 'not_found');
  if (messages) {
    if (method === 'GET') return { kind: 'messages', id };
    throw notAllowed(method, 'GET', '');
  }
  const kind = ITEM_KINDS.get(method as 'GET');
  if (kind) return { kind, id };
  throw notAllowed(method, 'GET, POST, DELETE', '');
}

function notAllowed(method: string, allow: string, more: string): Refusal {
  return new Refusal(405, `${method.slice(0, 16)} is not allowed here; this route accepts ${allow}.${more}`, 'method_not_allowed', null, { allow });
}
