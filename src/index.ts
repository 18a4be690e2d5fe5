export {
  createChatCompletion,
  deleteChatCompletion,
  getChatCompletion,
  getChatCompletionMessages,
  listChatCompletions,
  updateChatCompletion,
} from './chat.js';
export { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
export { accumulateChatCompletion } from './accumulate.js';
export { parseServerSentEvents } from './sse.js';
export { toServerSentEvents } from './to-sse.js';
export { createClient } from './client.js';
export type { Client } from './client.js';
export type { ChatCompletionStream, IterableStream } from './iterable.js';
export { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InvalidResponseError, OpenAIError } from './errors.js';
export type { APIErrorObject, ResponseInfo } from './errors.js';
export type * from './types/index.js';
