import { getChatCompletionMessages, listChatCompletions } from './chat.js';
import type { ChatCompletion, ChatCompletionListParams, ChatCompletionMessageListParams, ChatCompletionStoreMessage, RequestOptions } from './types/index.js';

interface Page<T> {
  data: T[];
  has_more: boolean;
  last_id: string | null;
}

/**
 * Follows `has_more` / `last_id` → `after`, fetching each page only when the last is used up.
 * It always ends: an empty page, or a cursor seen before, ends it whatever `has_more` says (a
 * server that keeps saying "more" must not loop forever), and it gives the event loop a turn
 * between pages, so that an in-process `fetch` cannot starve timers and aborts.
 */
async function* pages<T, Q extends { after?: string }>(query: Q, fetchPage: (query: Q) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for (let next = query; ;) {
    const page = await fetchPage(next);
    const data = Array.isArray(page.data) ? page.data : [];
    yield* data;
    const cursor = page.last_id;
    if (page.has_more !== true || !data.length || typeof cursor !== 'string' || !cursor || seen.has(cursor)) return;
    seen.add(cursor);
    next = { ...next, after: cursor };
    await nextTurn();
  }
}

/** A macrotask: timers and I/O callbacks run before the next page is asked for. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
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
export function paginateChatCompletionMessages(
  completionId: string,
  query: ChatCompletionMessageListParams = {},
  options?: RequestOptions,
): AsyncIterable<ChatCompletionStoreMessage> {
  return pages(query, (q) => getChatCompletionMessages(completionId, q, options));
}
