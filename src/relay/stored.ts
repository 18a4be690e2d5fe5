import { deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from '../chat.js';
import { APIError } from '../errors.js';
import { defineOwn } from '../own.js';
import { isObject } from '../structured/pointer.js';
import type { ChatCompletion, ChatCompletionListParams, ChatCompletionMessageListParams, Metadata, RequestOptions } from '../types/index.js';
import { readJSONBody } from './body.js';
import type { RelayConfig } from './options.js';
import { Refusal, absent, badRequest } from './refusal.js';
import type { Route } from './routes.js';

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
  if (!absent(metadata) && !isObject(metadata)) throw badRequest("'metadata' must be an object of strings, or null.", 'metadata');
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
  options: RequestOptions,
): Promise<unknown> {
  const query = new URL(request.url).searchParams;
  if (route.kind === 'list') return listChatCompletions(listQuery(query, config, user), options);
  const metadata = route.kind === 'update' ? updateOf(await readJSONBody(request, config.maxBodyBytes), config, user) : undefined;
  const completion = await owned(route.id, user, options);
  if (route.kind === 'get') return completion;
  if (route.kind === 'messages') return getChatCompletionMessages(route.id, pageQuery(query), options);
  if (route.kind === 'delete') return deleteChatCompletion(route.id, options);
  return updateChatCompletion(route.id, { metadata: metadata as Metadata }, options);
}

/** The user's completion, or the 404 of one that does not exist. */
async function owned(id: string, user: string, options: RequestOptions): Promise<ChatCompletion> {
  const missing = new Refusal(404, 'No stored completion has that id.', 'not_found', 'completion_id');
  let completion: ChatCompletion;
  try {
    completion = await getChatCompletion(id, options);
  } catch (error) {
    throw error instanceof APIError && error.status === 404 ? missing : error;
  }
  if (completion.metadata?.[OWNER_KEY] !== user) throw missing;
  return completion;
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
function pageQuery(query: URLSearchParams, more?: (name: string, value: string) => boolean): ChatCompletionMessageListParams {
  const page: ChatCompletionMessageListParams = {};
  for (const [name, value] of query) {
    if (name === 'after' && ID.test(value)) page.after = value;
    else if (name === 'limit' && /^\d{1,3}$/.test(value) && +value >= 1 && +value <= MAX_LIMIT) page.limit = +value;
    else if (name === 'order' && (value === 'asc' || value === 'desc')) page.order = value;
    else if (!more?.(name, value)) throw badRequest(`The query parameter ${JSON.stringify(name.slice(0, 64))} is not valid here.`, name.slice(0, 64));
  }
  return page;
}

/** A list's query: paging, an allowed model, metadata filters, and the owner filter always. */
function listQuery(query: URLSearchParams, config: RelayConfig, user: string): ChatCompletionListParams {
  const list: ChatCompletionListParams = {};
  const metadata: Record<string, string> = {};
  const page = pageQuery(query, (name, value) => {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    if (key !== undefined && key !== OWNER_KEY) {
      defineOwn(metadata, key, value);
      return true;
    }
    if (name !== 'model') return false;
    list.model = config.upstreamModel(value);
    return list.model !== undefined;
  });
  metadata[OWNER_KEY] = user;
  return { ...page, ...list, metadata };
}
