import type { PageQuery } from './store.js';
import { tryParse } from '../own.js';

const PREFIX = '/chat/completions';
/** A page's size when `limit` is missing or not a positive whole number, as the API's default. */
const DEFAULT_LIMIT = 20;

/** `GET :id/messages` and the like; the id decoded, as the API sees it. */
export function routeOf(method: string, pathname: string): { route: string; id: string } {
  const at = pathname.indexOf(PREFIX);
  if (at === -1) return { route: '', id: '' };
  const rest = pathname.slice(at + PREFIX.length);
  if (rest === '') return { route: `${method} `, id: '' };
  const segments = rest.slice(1).split('/');
  const id = decode(segments[0] ?? '');
  if (rest[0] !== '/' || !id) return { route: '', id: '' };
  if (segments.length === 1) return { route: `${method} :id`, id };
  if (segments.length === 2 && segments[1] === 'messages') return { route: `${method} :id/messages`, id };
  return { route: '', id: '' };
}

export function pageQuery(query: URLSearchParams): PageQuery {
  const limit = Number(query.get('limit') ?? DEFAULT_LIMIT);
  return {
    after: query.get('after'),
    limit: Number.isInteger(limit) && limit > 0 ? limit : DEFAULT_LIMIT,
    order: query.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

/** A request body: its JSON, the raw text if it is not JSON, or undefined when empty. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  const value = tryParse(text);
  return value === undefined ? text : value;
}

/** A malformed escape is the client's problem, reported as a 404 for that literal id. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
