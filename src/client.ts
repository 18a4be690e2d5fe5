import { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
import { mergeOptions } from './http/options.js';
import { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
import { parseChatCompletion } from './structured/parse.js';
import { runTools } from './tools/run-tools.js';
import type { RequestOptions } from './types/options.js';

/**
 * Every function that sends a request, with a client's options bound under each call's: the
 * endpoints, the paginators, `parseChatCompletion` and `runTools`.
 */
export interface Client {
  createChatCompletion: typeof createChatCompletion;
  getChatCompletion: typeof getChatCompletion;
  getChatCompletionMessages: typeof getChatCompletionMessages;
  listChatCompletions: typeof listChatCompletions;
  updateChatCompletion: typeof updateChatCompletion;
  deleteChatCompletion: typeof deleteChatCompletion;
  paginateChatCompletions: typeof paginateChatCompletions;
  paginateChatCompletionMessages: typeof paginateChatCompletionMessages;
  parseChatCompletion: typeof parseChatCompletion;
  runTools: typeof runTools;
}

/**
 * Binds options once: each function is the plain one with `defaults` merged under the call's
 * own options (the call wins; `headers` and `query` merge name by name). A client holds every
 * function that sends a request, so a bundle that uses one carries the structured outputs and
 * the tool loop too; an app that wants only `createChatCompletion` imports it alone.
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
    parseChatCompletion: bind(parseChatCompletion, 1),
    runTools: bind(runTools, 1),
  };
}
