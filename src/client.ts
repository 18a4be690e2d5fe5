import { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
import { mergeOptions } from './options.js';
import { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
import type { RequestOptions } from './types/options.js';

/** The endpoint and pagination functions with a client's options bound under each call's. */
export interface Client {
  createChatCompletion: typeof createChatCompletion;
  getChatCompletion: typeof getChatCompletion;
  getChatCompletionMessages: typeof getChatCompletionMessages;
  listChatCompletions: typeof listChatCompletions;
  updateChatCompletion: typeof updateChatCompletion;
  deleteChatCompletion: typeof deleteChatCompletion;
  paginateChatCompletions: typeof paginateChatCompletions;
  paginateChatCompletionMessages: typeof paginateChatCompletionMessages;
}

/**
 * Binds options once: each function is the plain one with `defaults` merged under the call's
 * own options (the call wins; `headers` and `query` merge name by name).
 *
 * @example
 * const openai = createClient({ apiKey, baseURL: 'http://localhost:11434/v1' });
 * const completion = await openai.createChatCompletion({ model: 'llama3', messages });
 */
export function createClient(defaults: RequestOptions = {}): Client {
  const merged = (options?: RequestOptions) => mergeOptions(defaults, options);
  return {
    createChatCompletion: ((body: Parameters<typeof createChatCompletion>[0], options?: RequestOptions) => createChatCompletion(body, merged(options))) as typeof createChatCompletion,
    getChatCompletion: (id, options) => getChatCompletion(id, merged(options)),
    getChatCompletionMessages: (id, query, options) => getChatCompletionMessages(id, query, merged(options)),
    listChatCompletions: (query, options) => listChatCompletions(query, merged(options)),
    updateChatCompletion: (id, body, options) => updateChatCompletion(id, body, merged(options)),
    deleteChatCompletion: (id, options) => deleteChatCompletion(id, merged(options)),
    paginateChatCompletions: (query, options) => paginateChatCompletions(query, merged(options)),
    paginateChatCompletionMessages: (id, query, options) => paginateChatCompletionMessages(id, query, merged(options)),
  };
}
