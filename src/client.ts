import { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
import { OpenAIError } from './errors.js';
import { mergeOptions } from './http/options.js';
import { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
import type { createParsedChatCompletion } from './structured/parse.js';
import type { runTools } from './tools/run-tools.js';
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
 * The functions of the layer above the wire that a client binds when it is handed them. They are
 * handed in, not imported here, so that a client used only for the endpoints stays as small as
 * they are.
 */
export interface ClientLayer {
  createParsedChatCompletion?: typeof createParsedChatCompletion;
  runTools?: typeof runTools;
  /** @deprecated Hand `createParsedChatCompletion` instead; removed in the next minor version. */
  parseChatCompletion?: typeof createParsedChatCompletion;
}

const LAYER_NAMES = ['createParsedChatCompletion', 'runTools'] as const;
/** Names a client still binds under their old spelling, until the next minor version. */
const DEPRECATED_LAYER_NAMES = ['parseChatCompletion'];

/**
 * Binds options once: each function is the plain one with `defaults` merged under the call's
 * own options (the call wins; `headers` and `query` merge name by name). The layer above the wire
 * is bound too when it is handed over as the second argument.
 *
 * @example
 * const openai = createClient({ apiKey, baseURL: 'http://localhost:11434/v1' });
 * const completion = await openai.createChatCompletion({ model: 'llama3', messages });
 *
 * const agent = createClient({ apiKey }, { runTools, createParsedChatCompletion });
 * const { completion: answer } = await agent.runTools({ model: 'gpt-4o-mini', messages, tools });
 */
export function createClient<Layer extends ClientLayer = {}>(defaults: RequestOptions = {}, layer?: Layer): Client & Layer {
  // Each function with the index of its options argument, which gets the defaults merged under it.
  const bind =
    (fn: (...args: any[]) => any, at: number) =>
    (...args: any[]) => {
      args[at] = mergeOptions(defaults, args[at]);
      return fn(...args);
    };
  const client: Record<string, unknown> = {
    createChatCompletion: bind(createChatCompletion, 1),
    getChatCompletion: bind(getChatCompletion, 1),
    getChatCompletionMessages: bind(getChatCompletionMessages, 2),
    listChatCompletions: bind(listChatCompletions, 1),
    updateChatCompletion: bind(updateChatCompletion, 2),
    deleteChatCompletion: bind(deleteChatCompletion, 1),
    paginateChatCompletions: bind(paginateChatCompletions, 1),
    paginateChatCompletionMessages: bind(paginateChatCompletionMessages, 2),
  };
  for (const [name, fn] of Object.entries(layer ?? {})) {
    const known = LAYER_NAMES.includes(name as (typeof LAYER_NAMES)[number]) || DEPRECATED_LAYER_NAMES.includes(name);
    if (!known || typeof fn !== 'function') throw new OpenAIError(`createClient binds only ${LAYER_NAMES.join(' and ')} beside the endpoints, got ${name}.`);
    client[name] = bind(fn, 1);
  }
  return client as unknown as Client & Layer;
}
