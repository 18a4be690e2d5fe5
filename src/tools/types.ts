import type { FunctionTool } from '../structured/function-tool.js';
import type { ParsedChatCompletion } from '../structured/parse.js';
import type { ChatCompletionEvent } from '../events/types.js';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  RequestOptions,
} from '../types/index.js';

/** The body of `runTools`: a chat request whose `tools` are `functionTool`s with `execute`. */
export type RunToolsParams = Omit<ChatCompletionCreateParamsNonStreaming, 'tools' | 'stream'> & {
  tools: readonly FunctionTool<string, any>[];
  stream?: false | null;
};

/** The body of the streaming loop: the same, with `stream: true`. */
export type RunToolsStreamingParams = Omit<RunToolsParams, 'stream'> & { stream: true };

/** `RequestOptions`, and how many steps the loop may take. */
export interface RunToolsOptions extends RequestOptions {
  /** Model calls at most, each with the tools it asked for (a step). Default 10. */
  maxSteps?: number | undefined;
}

/** What one tool call of a step gave back to the model. */
export interface ToolResult {
  /** The call answered (a call without `type`, as Mistral sends them, is a function call). */
  toolCall: ChatCompletionMessageFunctionToolCall;
  /** The `tool` message's content: the result as it was (a string) or as JSON, or the error text. */
  content: string;
  /**
   * Set when the call failed, to what the model was told: an unknown tool, arguments
   * that are not JSON or fail validation (or whose validator threw), an `execute` that threw.
   */
  error?: string;
}

/**
 * One model call and the tool calls it asked for. The completion is parsed as
 * `toParsedChatCompletion` parses it, in both modes: `message.parsed` for a `jsonSchemaFormat`
 * (`null` in a turn that calls tools and has no valid answer), `parsed_arguments` on each call
 * whose arguments passed validation.
 */
export interface ToolStep<T = unknown, Tools = unknown> {
  completion: ParsedChatCompletion<T, Tools>;
  results: ToolResult[];
}

/**
 * Why the loop stopped: `no_tool_calls`, the last answer called no tool (whatever its
 * `finish_reason`: `stop`, or `length` without a `response_format`); `max_steps`, the last of
 * `maxSteps` steps called tools. Then those tools ran and their answers end `messages`: pass it
 * to `runTools` again to let the model answer them.
 */
export type RunToolsStopReason = 'no_tool_calls' | 'max_steps';

/** How the loop ended: the last completion, the whole transcript, every step, and why it stopped. */
export interface RunToolsResult<T = unknown, Tools = unknown> {
  /** The last model answer: one that called no tool, or the last of `maxSteps`. */
  completion: ParsedChatCompletion<T, Tools>;
  /** The conversation: the request's messages, then each assistant message and its `tool` messages, ready for the next turn. */
  messages: ChatCompletionMessageParam[];
  steps: ToolStep<T, Tools>[];
  /** Why the loop stopped (see `RunToolsStopReason`). */
  stopReason: RunToolsStopReason;
}

/** A tool call of step `step` has run; `error` is set when it failed (what the model was told). */
export interface ToolResultEvent extends ToolResult {
  type: 'tool.result';
  step: number;
}

/** Step `step` (from 0) has ended: its completion, and its tools' results. */
export interface StepDoneEvent<T = unknown, Tools = unknown> extends ToolStep<T, Tools> {
  type: 'step.done';
  step: number;
}

/** The last event of the streaming loop: what the non-streaming loop resolves to. */
export interface RunToolsDoneEvent<T = unknown, Tools = unknown> extends RunToolsResult<T, Tools> {
  type: 'done';
}

/**
 * An event of the streaming loop: each step's events as `toChatCompletionEvents` gives them
 * (less their own `done`: `step.done` carries the step's parsed completion; a call whose
 * arguments fail validation has its `arguments.done` with `parsed_arguments` undefined, and
 * its `tool.result` says what the model was told), each tool result, each step's end, and one
 * last `done`, with `stopReason`.
 */
export type RunToolsEvent<T = unknown, Tools = unknown> =
  | Exclude<ChatCompletionEvent<unknown, unknown>, { type: 'done' }>
  | ToolResultEvent
  | StepDoneEvent<T, Tools>
  | RunToolsDoneEvent<T, Tools>;
