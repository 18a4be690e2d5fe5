import { APIError } from '../errors.js';
import { isPlainObject } from '../own.js';
import { readJSONBody } from './body.js';
import type { RelayConfig } from './options.js';
import { Refusal, absent, badRequest } from './refusal.js';
import type { Route } from './routes.js';
import type { Upstream } from './upstream.js';

/**
 * The metadata key that says whose a stored completion is. Ownership lives in `metadata`, not in
 * `safety_identifier`: the list endpoint filters by metadata only, and a stored completion
 * gives its metadata back, not its safety identifier.
 */
export const OWNER_KEY = 'relay_user';
/** The largest page the API serves. */
const MAX_LIMIT = 100;
const ID = /^[\w-]{1,128}$/;

/** A stored completion's metadata, from the page's (if allowed) with the owner set by the relay. */
export function ownMetadata(metadata: unknown, user: string): Record<string, unknown> {
  if (!absent(metadata) && !isPlainObject(metadata)) throw badRequest("'metadata' must be an object of strings, or null.", 'metadata');
  if (metadata && Object.hasOwn(metadata, OWNER_KEY)) throw badRequest(`'metadata.${OWNER_KEY}' is set by the relay.`, 'metadata');
  return { ...metadata, [OWNER_KEY]: user };
}

/**
 * One stored-completion endpoint, for the calling user's own completions only: a list is
 * filtered by owner upstream, and an id is looked up first, so that another user's completion
 * is a 404 as if it did not exist.
 */
export async function serveStored(
  route: Exclude<Route, { kind: 'create' }>,
  request: Request,
  config: RelayConfig,
  user: string,
  upstream: Upstream,
): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const path = '/chat/completions';
  if (route.kind === 'list') return upstream.answer((await upstream.json('GET', path, undefined, listQuery(query, config, user))).text);
  const metadata = route.kind === 'update' ? updateOf(await readJSONBody(request, config.maxBodyBytes), config, user) : undefined;
  const item = `${path}/${route.id}`;
  const completion = await owned(item, user, upstream);
  if (route.kind === 'get') return upstream.answer(completion);
  const done =
    route.kind === 'messages'
      ? upstream.json('GET', `${item}/messages`, undefined, pageQuery(query))
      : upstream.json(route.kind === 'delete' ? 'DELETE' : 'POST', item, metadata && { metadata });
  return upstream.answer((await done).text);
}

/** The text of the user's completion at `item`, or the 404 of one that does not exist. */
async function owned(item: string, user: string, upstream: Upstream): Promise<string> {
  const missing = new Refusal(404, 'No stored completion has that id.', 'not_found', 'completion_id');
  let completion: Awaited<ReturnType<Upstream['json']>>;
  try {
    completion = await upstream.json('GET', item);
  } catch (error) {
    throw error instanceof APIError && error.status === 404 ? missing : error;
  }
  const metadata = completion.value.metadata;
  if (!isPlainObject(metadata) || metadata[OWNER_KEY] !== user) throw missing;
  return completion.text;
}

/** An update may change the metadata only, and only if the relay lets pages set it; the owner stays. */
function updateOf(body: Record<string, unknown>, config: RelayConfig, user: string): Record<string, unknown> {
  const other = Object.keys(body).find((name) => name !== 'metadata');
  if (other !== undefined)
    throw badRequest(`Only metadata can be updated, not ${JSON.stringify(other.slice(0, 64))}.`, other.slice(0, 64), 'unknown_parameter');
  if (!config.allowFields.has('metadata')) throw badRequest("'metadata' is not allowed through this relay.", 'metadata', 'parameter_not_allowed');
  return ownMetadata(body.metadata, user);
}

/** `after`, `limit` and `order`, checked; any other parameter is refused, not dropped. */
function pageQuery(query: URLSearchParams, page = new URLSearchParams(), more?: (name: string, value: string) => boolean): URLSearchParams {
  for (const [name, value] of query) {
    const paging =
      (name === 'after' && ID.test(value)) ||
      (name === 'limit' && /^\d{1,3}$/.test(value) && +value >= 1 && +value <= MAX_LIMIT) ||
      (name === 'order' && /^(asc|desc)$/.test(value));
    if (paging) page.set(name, value);
    else if (!more?.(name, value)) throw badRequest(`The query parameter ${JSON.stringify(name.slice(0, 64))} is not valid here.`, name.slice(0, 64));
  }
  return page;
}

/** A list's query: paging, an allowed model (as the upstream names it), metadata filters, and the owner filter always. */
function listQuery(query: URLSearchParams, config: RelayConfig, user: string): URLSearchParams {
  const list = new URLSearchParams();
  pageQuery(query, list, (name, value) => {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    const model = name === 'model' ? config.upstreamModel(value) : undefined;
    if (key !== undefined && key !== OWNER_KEY) list.set(name, value);
    else if (model !== undefined) list.set(name, model);
    else return false;
    return true;
  });
  list.set(`metadata[${OWNER_KEY}]`, user);
  return list;
}
