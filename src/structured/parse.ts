import { createChatCompletion } from '../chat.js';
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCustomTool,
  ChatCompletionFunctionCall,
  ChatCompletionMessage,
  ChatCompletionMessageCustomToolCall,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageToolCall,
  RequestOptions,
} from '../types/index.js';
import { OpenAIError } from '../errors.js';
import { ContentFilterFinishReasonError, LengthFinishReasonError, OutputValidationError } from './errors.js';
import type { JSONSchemaFormat } from './format.js';
import type { FunctionTool } from './function-tool.js';
import { isObject } from './pointer.js';
import type { ParseAnswer } from './schema.js';
import { copyResponse } from '../http/meta.js';

/** A call of a `functionTool`, with its arguments parsed and validated. */
export interface ParsedFunctionToolCall<Name extends string = string, Args = unknown> extends ChatCompletionMessageFunctionToolCall {
  function: ChatCompletionFunctionCall & {
    name: Name;
    /** The arguments, parsed and validated by the tool's schema. */
    parsed_arguments: Args;
  };
}

/** The call type of one tool: parsed for a `functionTool`, as the API sends it otherwise. */
export type ParsedToolCallOf<Tool> =
  Tool extends FunctionTool<infer Name, infer Args>
    ? ParsedFunctionToolCall<Name, Args>
    : Tool extends ChatCompletionCustomTool
      ? ChatCompletionMessageCustomToolCall
      : ChatCompletionMessageFunctionToolCall;

/** The call types of a `tools` list (narrow one by `function.name`); any call without one. */
export type ParsedToolCalls<Tools> = Tools extends readonly (infer Tool)[] ? ParsedToolCallOf<Tool> : ChatCompletionMessageToolCall;

/** A message with its content parsed (`T | null`), or `undefined` without a parseable format. */
export interface ParsedChatCompletionMessage<T = undefined, Tools = undefined> extends Omit<ChatCompletionMessage, 'tool_calls'> {
  /** The content, parsed and validated; `null` on a refusal (see `refusal`) or without content. */
  parsed: [T] extends [undefined] ? undefined : T | null;
  /**
   * The tool calls; a `functionTool`'s carry `function.parsed_arguments`. Typed without the
   * `null` of stored completions, so the message goes back into `messages` as it is.
   */
  tool_calls?: ParsedToolCalls<Tools>[];
}

/** A choice with its message parsed. */
export interface ParsedChatCompletionChoice<T = undefined, Tools = undefined> extends Omit<ChatCompletionChoice, 'message'> {
  /** The generated message, parsed. */
  message: ParsedChatCompletionMessage<T, Tools>;
}

/**
 * A chat completion with every choice's content parsed as `T` (the format's output type)
 * and the calls of `Tools` (the body's `tools` list) parsed.
 */
export interface ParsedChatCompletion<T = undefined, Tools = undefined> extends Omit<ChatCompletion, 'choices'> {
  /** The choices, parsed. */
  choices: ParsedChatCompletionChoice<T, Tools>[];
}

/** The output type of a body's `response_format`, or `undefined` when it is not parseable. */
export type FormatOutput<Format> = Format extends JSONSchemaFormat<infer T> ? T : undefined;

/** The `tools` of a request as `ParsedChatCompletion` takes them: `undefined` when it has none. */
export type ToolsOf<Tools> = unknown extends Tools ? undefined : NonNullable<Tools>;

/** What `parseCompletion` reads from the request: its format and its tools. */
export interface ParseRequest<Format = unknown, Tools = unknown> {
  response_format?: Format;
  tools?: Tools;
}

type Parseable = { parse: ParseAnswer<unknown>; function: { name: string } };

/**
 * Parses a completion already received (one request's, or a stream's fold) for the request
 * that asked for it: `message.parsed` for a `jsonSchemaFormat` (`null` on a refusal), and
 * `function.parsed_arguments` for each call of a `functionTool`. With nothing parseable it
 * returns `completion` as it is; otherwise a parsed copy (`completion` is not changed).
 *
 * @throws LengthFinishReasonError, ContentFilterFinishReasonError when a choice stopped early;
 * OutputValidationError when an answer or arguments are not JSON or fail validation.
 */
export async function parseCompletion<Format, Tools>(
  completion: ChatCompletion,
  { response_format, tools }: ParseRequest<Format, Tools>,
): Promise<ParsedChatCompletion<FormatOutput<Format>, ToolsOf<Tools>>> {
  const format = (response_format as Parseable | undefined)?.parse;
  // Only a functionTool carries `parse`.
  const parseable = (tools as Parseable[] | undefined)?.filter((tool) => tool.parse) ?? [];
  if (!format && parseable.length === 0) return completion as never;
  // What a server sent is checked before it is read: a crash deep inside explains nothing.
  if (!Array.isArray(completion?.choices) || !completion.choices.every((choice) => isObject(choice?.message))) {
    throw new OpenAIError('The completion to parse has no list of choices with messages.');
  }
  for (const { finish_reason } of completion.choices) {
    if (finish_reason === 'length') throw new LengthFinishReasonError(INCOMPLETE + finish_reason, completion);
    if (finish_reason === 'content_filter') throw new ContentFilterFinishReasonError(INCOMPLETE + finish_reason, completion);
  }
  const parsed: ParsedChatCompletion<unknown, unknown> = structuredClone(completion) as never;
  copyResponse(completion, parsed);
  for (const { index, message } of parsed.choices) {
    if (format)
      message.parsed = message.refusal || message.content === null ? null : await check(completion, format, message.content, `The answer of choice ${index}`);
    for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
      const tool = call?.type === 'function' && parseable.find((candidate) => candidate.function.name === call.function?.name);
      if (tool)
        (call as ParsedFunctionToolCall).function.parsed_arguments = await check(
          completion,
          tool.parse,
          call.function.arguments,
          `The arguments of tool call ${call.id}`,
        );
    }
  }
  return parsed as never;
}

const INCOMPLETE = 'The answer is incomplete: finish_reason ';

/** The value `parse` finds in `text`, or an OutputValidationError naming `what` failed. */
async function check(completion: ChatCompletion, parse: ParseAnswer<unknown>, text: string, what: string): Promise<unknown> {
  const result = await parse(text);
  if (result.issues) throw new OutputValidationError(what, completion, result.issues);
  return result.value;
}

/**
 * `createChatCompletion` (never streaming), then `parseCompletion`: the completion with
 * `message.parsed` typed from the body's `jsonSchemaFormat` and each `functionTool` call's
 * `function.parsed_arguments`.
 *
 * @example
 * const Person = z.object({ name: z.string(), age: z.number().optional() });
 * const { choices } = await parseChatCompletion({ model: 'gpt-4o-mini', messages, response_format: jsonSchemaFormat(Person, { name: 'person' }) });
 * if (choices[0].message.parsed) greet(choices[0].message.parsed.name); else console.log(choices[0].message.refusal);
 */
export async function parseChatCompletion<Body extends ChatCompletionCreateParamsNonStreaming>(
  body: Body,
  options?: RequestOptions,
): Promise<ParsedChatCompletion<FormatOutput<Body['response_format']>, ToolsOf<Body['tools']>>> {
  return parseCompletion<Body['response_format'], Body['tools']>(await createChatCompletion(body, options), body);
}
