export { createChatCompletion, deleteChatCompletion, getChatCompletion, getChatCompletionMessages, listChatCompletions, updateChatCompletion } from './chat.js';
export { paginateChatCompletionMessages, paginateChatCompletions } from './paginate.js';
export { accumulateChatCompletion } from './fold/accumulate.js';
export { parseServerSentEvents } from './stream/chunk-stream.js';
export { toServerSentEvents } from './stream/to-sse.js';
export type { RelayedError } from './stream/to-sse.js';
export { createClient } from './client.js';
export type { Client, ClientLayer } from './client.js';
export type { ChatCompletionChunkStream, ChatCompletionStream, IterableStream } from './stream/iterable.js';
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from './errors.js';
export type { APIErrorName, APIErrorObject, ResponseInfo } from './errors.js';
// Structured outputs: jsonSchemaFormat, functionTool, createParsedChatCompletion, toParsedChatCompletion, their errors and types.
export * from './structured/index.js';
export { toChatCompletionEvents } from './events/to-events.js';
export { createPartialJSONParser } from './partial-json/parser.js';
export type { PartialJSONOptions, PartialJSONParser, PartialJSONSnapshot } from './partial-json/parser.js';
export { getResponseMeta } from './http/meta.js';
export type { ResponseMeta } from './http/meta.js';
export { parseRateLimits } from './http/rate-limits.js';
export type { RateLimit, RateLimits } from './http/rate-limits.js';
export { runTools } from './tools/run-tools.js';
export type {
  RunToolsDoneEvent,
  RunToolsEvent,
  RunToolsOptions,
  RunToolsParams,
  RunToolsResult,
  RunToolsStopReason,
  RunToolsStreamingParams,
  StepDoneEvent,
  ToolResult,
  ToolResultEvent,
  ToolStep,
} from './tools/types.js';
export type * from './types/index.js';
export type * from './events/types.js';
