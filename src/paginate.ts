import { getChatCompletionMessages, listChatCompletions } from './chat.js';
import type {
  ChatCompletion,
  ChatCompletionListParams,
  ChatCompletionMessageListParams,
  ChatCompletionStoreMessage,
  RequestOptions,
} from './types/index.js';

interface Page<T> {
  data: T[];
  has_more: boolean;
  last_id: string | null;
}

/** Follows `has_more` / `last_id` → `after`, fetching each page only when the last is used up. */
async function* pages<T, Q extends { after?: string }>(query: Q, fetchPage: (query: Q) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  for (let next = query; ; ) {
    const page = await fetchPage(next);
    yield* page.data;
    if (!page.has_more || !page.last_id) return;
    next = { ...next, after: page.last_id };
  }
}

/**
 * Every stored chat completion matching `query`, across pages.
 *
 * @example
 * for await (const completion of paginateChatCompletions({ metadata: { user: 'u1' } })) console.log(completion.id);
 */
export function paginateChatCompletions(query: ChatCompletionListParams = {}, options?: RequestOptions): AsyncIterable<ChatCompletion> {
  return pages(query, (q) => listChatCompletions(q, options));
}

/**
 * Every input message of a stored chat completion, across pages.
 *
 * @example
 * for await (const message of paginateChatCompletionMessages('chatcmpl-abc123')) console.log(message.content);
 */
export function paginateChatCompletionMessages(completionId: string, query: ChatCompletionMessageListParams = {}, options?: RequestOptions): AsyncIterable<ChatCompletionStoreMessage> {
  return pages(query, (q) => getChatCompletionMessages(completionId, q, options));
}
