import { OpenAIError } from './errors.js';
import { own } from './own.js';
import type { ChatCompletionChunkStream } from './stream/iterable.js';
import { request } from './http/request.js';
import { chunkStream } from './stream/chunk-stream.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionDeleted,
  ChatCompletionList,
  ChatCompletionListParams,
  ChatCompletionMessageList,
  ChatCompletionMessageListParams,
  ChatCompletionUpdateParams,
  RequestOptions,
} from './types/index.js';

const BASE = '/chat/completions';

/**
 * Creates a model response for the given chat conversation (`POST /chat/completions`).
 * With `stream: true` it resolves, once the response headers arrive, to a stream of chunks.
 *
 * @example
 * const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
 * const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
 * for await (const chunk of stream) console.log(chunk.choices[0]?.delta.content ?? '');
 */
export function createChatCompletion(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): Promise<ChatCompletionChunkStream>;
export function createChatCompletion(body: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<ChatCompletion>;
export function createChatCompletion(body: ChatCompletionCreateParams, options?: RequestOptions): Promise<ChatCompletion | ChatCompletionChunkStream>;
export async function createChatCompletion(body: ChatCompletionCreateParams, options?: RequestOptions): Promise<ChatCompletion | ChatCompletionChunkStream> {
  if (!body || typeof body !== 'object')
    throw new OpenAIError(`The request body must be an object with model and messages, got ${body === null ? 'null' : typeof body}.`);
  const extra = options && (own(options, 'extraBody') as RequestOptions['extraBody']);
  return request({ method: 'POST', path: BASE, body: extra ? { ...body, ...extra } : body, stream: body.stream === true ? chunkStream : undefined }, options);
}

/**
 * Gets a stored chat completion (`GET /chat/completions/{completion_id}`); only those created
 * with `store: true` are stored.
 *
 * @example const completion = await getChatCompletion('chatcmpl-abc123');
 */
export async function getChatCompletion(completionId: string, options?: RequestOptions): Promise<ChatCompletion> {
  return request({ method: 'GET', path: pathOf(completionId) }, options);
}

/**
 * Lists the input messages of a stored chat completion, one page
 * (`GET /chat/completions/{completion_id}/messages`); see `paginateChatCompletionMessages`.
 *
 * @example const page = await getChatCompletionMessages('chatcmpl-abc123', { limit: 50 });
 */
export async function getChatCompletionMessages(
  completionId: string,
  query?: ChatCompletionMessageListParams,
  options?: RequestOptions,
): Promise<ChatCompletionMessageList> {
  return request({ method: 'GET', path: pathOf(completionId) + '/messages', query: { ...query } }, options);
}

/**
 * Lists stored chat completions, one page (`GET /chat/completions`); filter by `model` and
 * `metadata`; see `paginateChatCompletions`.
 *
 * @example const page = await listChatCompletions({ metadata: { user: 'u1' }, limit: 10 });
 */
export function listChatCompletions(query?: ChatCompletionListParams, options?: RequestOptions): Promise<ChatCompletionList> {
  return request({ method: 'GET', path: BASE, query: { ...query } }, options);
}

/**
 * Updates a stored chat completion's `metadata`, the only field that can change
 * (`POST /chat/completions/{completion_id}`).
 *
 * @example await updateChatCompletion('chatcmpl-abc123', { metadata: { reviewed: 'yes' } });
 */
export async function updateChatCompletion(completionId: string, body: ChatCompletionUpdateParams, options?: RequestOptions): Promise<ChatCompletion> {
  return request({ method: 'POST', path: pathOf(completionId), body }, options);
}

/**
 * Deletes a stored chat completion (`DELETE /chat/completions/{completion_id}`).
 *
 * @example const { deleted } = await deleteChatCompletion('chatcmpl-abc123');
 */
export async function deleteChatCompletion(completionId: string, options?: RequestOptions): Promise<ChatCompletionDeleted> {
  return request({ method: 'DELETE', path: pathOf(completionId) }, options);
}

/**
 * The path of one stored completion. An id that would name another path is a usage error:
 * `''`, `.` and `..` (which URL parsing resolves, so `GET /chat/completions/..` would reach
 * another endpoint), and a lone surrogate (which has no UTF-8 form to encode).
 */
function pathOf(completionId: string): string {
  if (typeof completionId !== 'string' || completionId === '' || completionId === '.' || completionId === '..') {
    const shown = typeof completionId === 'string' ? JSON.stringify(completionId) : typeof completionId;
    throw new OpenAIError(`completionId must be a completion's id (chatcmpl-…), got ${shown}.`);
  }
  try {
    return `${BASE}/${encodeURIComponent(completionId)}`;
  } catch {
    // URIError: a lone surrogate has no UTF-8 form.
    throw new OpenAIError('completionId holds a lone surrogate, which no URL can carry.');
  }
}
