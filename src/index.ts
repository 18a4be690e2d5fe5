export { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
export { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
export { accumulateChatCompletion } from './accumulate.js';
export { parseServerSentEvents } from './sse.js';
export { toServerSentEvents } from './to-sse.js';
export { createClient } from './client.js';
export type { Client } from './client.js';
export type { ChatCompletionStream, IterableStream } from './iterable.js';
export { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InvalidResponseError, OpenAIError } from './errors.js';
export type { APIErrorObject, ResponseInfo } from './errors.js';
// Structured outputs: jsonSchemaFormat, functionTool, parseChatCompletion, parseCompletion, their errors and types.
export * from './structured/index.js';
export { toChatCompletionEvents } from './events.js';
export { createPartialJSONParser } from './partial-json.js';
export type { PartialJSONOptions, PartialJSONParser, PartialJSONSnapshot } from './partial-json.js';
export { getResponseMeta } from './meta.js';
export type { ResponseMeta } from './meta.js';
export { parseRateLimits } from './rate-limits.js';
export type { RateLimit, RateLimits } from './rate-limits.js';
export { runTools } from './tools.js';
export type {
  RunToolsDoneEvent,
  RunToolsEvent,
  RunToolsOptions,
  RunToolsParams,
  RunToolsResult,
  RunToolsStreamingParams,
  StepDoneEvent,
  ToolResult,
  ToolResultEvent,
  ToolStep,
} from './tools.js';
export type * from './types/index.js';
