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
import type { StructuredOutputError } from './errors.js';
import type { JSONSchemaFormat } from './format.js';
import type { FunctionTool } from './function-tool.js';
import { isObject } from './pointer.js';
import type { ParseAnswer } from './schema.js';
import { validateNow } from './validations.js';
import type { Validate } from './validations.js';
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
  /** The content, parsed and validated; `null` on a refusal (see `refusal`) or without content (a turn that only calls tools). */
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

/** What `toParsedChatCompletion` reads from the request: its format and its tools. */
export interface ParseRequest<Format = unknown, Tools = unknown> {
  response_format?: Format;
  tools?: Tools;
}

type Parseable = { parse: ParseAnswer<unknown>; function: { name: string } };

/**
 * Parses a completion already received (one request's, or a stream's fold) for the request
 * that asked for it: `message.parsed` for a `jsonSchemaFormat` (`null` on a refusal, and
 * without content: a turn that only calls tools), and `function.parsed_arguments` for each call
 * of a `functionTool`. With nothing parseable it returns `completion` as it is; otherwise a
 * parsed copy (`completion` is not changed).
 *
 * @throws LengthFinishReasonError, ContentFilterFinishReasonError when a choice stopped early;
 * OutputValidationError when an answer or arguments are not JSON or fail validation.
 */
export async function toParsedChatCompletion<Format, Tools>(
  completion: ChatCompletion,
  request: ParseRequest<Format, Tools>,
): Promise<ParsedChatCompletion<FormatOutput<Format>, ToolsOf<Tools>>> {
  return toParsedChatCompletionWith(completion, request, validateNow) as never;
}

/** `toParsedChatCompletion`, each text validated by `validate` (the events hand over what their done events began). */
export async function toParsedChatCompletionWith(
  completion: ChatCompletion,
  request: ParseRequest,
  validate: Validate,
): Promise<ParsedChatCompletion<unknown, unknown>> {
  const format = formatParser(request);
  const parseable = parseableTools(request);
  if (!format && parseable.length === 0) return completion as never;
  checkChoices(completion);
  for (const { finish_reason } of completion.choices) {
    const cut = finishError(completion, finish_reason);
    if (cut) throw cut;
  }
  const parsed = parsedCopy(completion);
  for (const { index, message } of parsed.choices) {
    if (format) message.parsed = await parseContent(completion, message, index, format, validate);
    for (const call of functionCallsOf(message)) {
      const tool = toolFor(parseable, call);
      if (!tool) continue;
      const result = await validate(tool.parse, argumentsOf(call));
      if (result.issues) throw new OutputValidationError(`The arguments of tool call ${call.id}`, completion, result.issues);
      call.function.parsed_arguments = result.value;
    }
  }
  return parsed;
}

/** The format's parser, for a `jsonSchemaFormat`. */
export function formatParser({ response_format }: ParseRequest): ParseAnswer<unknown> | undefined {
  const parse = (response_format as Partial<Parseable> | null | undefined)?.parse;
  return typeof parse === 'function' ? parse : undefined;
}

/** The tools that parse their arguments: `functionTool`s. */
export function parseableTools({ tools }: ParseRequest): Parseable[] {
  return Array.isArray(tools) ? tools.filter((tool): tool is Parseable => typeof tool?.parse === 'function') : [];
}

/** The tool a call is for, among those that parse. */
export function toolFor(tools: Parseable[], call: ChatCompletionMessageFunctionToolCall): Parseable | undefined {
  return tools.find((tool) => tool.function?.name === call.function.name);
}

/** What a server sent is checked before it is read: a crash deep inside explains nothing. */
export function checkChoices(completion: ChatCompletion): void {
  if (!Array.isArray(completion?.choices) || !completion.choices.every((choice) => isObject(choice?.message))) {
    throw new OpenAIError('The completion to parse has no list of choices with messages.');
  }
}

/** The error of a choice that stopped early (`length`, `content_filter`): its answer is incomplete. */
export function finishError(completion: ChatCompletion, finishReason: unknown): StructuredOutputError | undefined {
  if (finishReason === 'length') return new LengthFinishReasonError(INCOMPLETE + finishReason, completion);
  if (finishReason === 'content_filter') return new ContentFilterFinishReasonError(INCOMPLETE + finishReason, completion);
  return undefined;
}

/** A copy to add parsed values to, which `getResponseMeta` reads as the original. */
export function parsedCopy(completion: ChatCompletion): ParsedChatCompletion<unknown, unknown> {
  const parsed: ParsedChatCompletion<unknown, unknown> = structuredClone(completion) as never;
  copyResponse(completion, parsed);
  return parsed;
}

/**
 * A message's content, parsed and validated: `null` on a refusal and without content (`null`,
 * missing or `""`: a turn that only calls tools, as the official SDK gives it).
 */
export async function parseContent(
  completion: ChatCompletion,
  message: ParsedChatCompletionMessage<unknown, unknown>,
  index: number,
  format: ParseAnswer<unknown>,
  validate: Validate,
): Promise<unknown> {
  const { content, refusal } = message;
  if (refusal || content === null || content === undefined || content === '') return null;
  const result = await validate(format, content);
  if (result.issues) throw new OutputValidationError(`The answer of choice ${index}`, completion, result.issues);
  return result.value;
}

/** Whether a call is a function call: `type: 'function'`, or no type and a `function` (Mistral sends none). */
export function isFunctionCall(call: unknown): call is ChatCompletionMessageFunctionToolCall {
  if (!isObject(call) || !isObject(call.function)) return false;
  return call.type === 'function' || call.type === undefined;
}

/** The function calls of a message, in order. */
export function functionCallsOf(message: { tool_calls?: unknown }): ParsedFunctionToolCall[] {
  return Array.isArray(message.tool_calls) ? (message.tool_calls.filter(isFunctionCall) as ParsedFunctionToolCall[]) : [];
}

/** A call's arguments as text (a server may leave them out). */
export function argumentsOf(call: ChatCompletionMessageFunctionToolCall): string {
  const given = call.function.arguments;
  return typeof given === 'string' ? given : '';
}

const INCOMPLETE = 'The answer is incomplete: finish_reason ';

/**
 * `createChatCompletion` (never streaming), then `toParsedChatCompletion`: the completion with
 * `message.parsed` typed from the body's `jsonSchemaFormat` and each `functionTool` call's
 * `function.parsed_arguments`.
 *
 * @example
 * const Person = z.object({ name: z.string(), age: z.number().optional() });
 * const { choices } = await createParsedChatCompletion({ model: 'gpt-4o-mini', messages, response_format: jsonSchemaFormat(Person, { name: 'person' }) });
 * if (choices[0].message.parsed) greet(choices[0].message.parsed.name); else console.log(choices[0].message.refusal);
 */
export async function createParsedChatCompletion<Body extends ChatCompletionCreateParamsNonStreaming>(
  body: Body,
  options?: RequestOptions,
): Promise<ParsedChatCompletion<FormatOutput<Body['response_format']>, ToolsOf<Body['tools']>>> {
  return toParsedChatCompletion<Body['response_format'], Body['tools']>(await createChatCompletion(body, options), body);
}

/** @deprecated Use `createParsedChatCompletion`; removed in the next minor version. */
export const parseChatCompletion = createParsedChatCompletion;

/** @deprecated Use `toParsedChatCompletion`; removed in the next minor version. */
export const parseCompletion = toParsedChatCompletion;
