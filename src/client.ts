import { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
import { mergeOptions } from './http/options.js';
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
  // Each function with the index of its options argument, which gets the defaults merged under it.
  const bind =
    (fn: (...args: any[]) => any, at: number) =>
    (...args: any[]) => {
      args[at] = mergeOptions(defaults, args[at]);
      return fn(...args);
    };
  return {
    createChatCompletion: bind(createChatCompletion, 1),
    getChatCompletion: bind(getChatCompletion, 1),
    getChatCompletionMessages: bind(getChatCompletionMessages, 2),
    listChatCompletions: bind(listChatCompletions, 1),
    updateChatCompletion: bind(updateChatCompletion, 2),
    deleteChatCompletion: bind(deleteChatCompletion, 1),
    paginateChatCompletions: bind(paginateChatCompletions, 1),
    paginateChatCompletionMessages: bind(paginateChatCompletionMessages, 2),
  };
}
