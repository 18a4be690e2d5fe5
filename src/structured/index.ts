// The layer above the wire for structured answers: formats and tools that know how to parse
// their answers, and the parse step. The main entry re-exports these.
export { jsonSchemaFormat } from './format.js';
export type { JSONSchemaFormat, JSONSchemaFormatOptions } from './format.js';
export { functionTool } from './function-tool.js';
export type { FunctionTool, FunctionToolOptions, ToolContext, ToolExecute } from './function-tool.js';
export { createParsedChatCompletion, parseChatCompletion, parseCompletion, toParsedChatCompletion } from './parse.js';
export type {
  FormatOutput,
  ParseRequest,
  ParsedChatCompletion,
  ParsedChatCompletionChoice,
  ParsedChatCompletionMessage,
  ParsedFunctionToolCall,
  ParsedToolCallOf,
  ParsedToolCalls,
  ToolsOf,
} from './parse.js';
export type { ParseAnswer } from './schema.js';
export { ContentFilterFinishReasonError, LengthFinishReasonError, OutputValidationError, StructuredOutputError } from './errors.js';
