import type { JSONSchema } from '../types/json-schema.js';
import type { ChatCompletionFunctionTool, ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam } from '../types/index.js';
import type { StandardJSONSchemaValidator, StandardSchemaV1 } from '../types/standard-schema.js';
import { checkName } from './name.js';
import { prepareSchema } from './schema.js';
import type { ParseAnswer } from './schema.js';

/** What a tool's `execute` gets besides its arguments. */
export interface ToolContext {
  /** Aborts when the caller gives up: pass it on to `fetch` and the like. */
  signal: AbortSignal;
  /** The call being answered. */
  toolCall: ChatCompletionMessageFunctionToolCall;
  /** The conversation so far, the assistant message with this call last. */
  messages: ChatCompletionMessageParam[];
}

/** Runs a tool: its result (or a promise of it) is sent back to the model as the tool's answer. */
export type ToolExecute<Args> = (args: Args, context: ToolContext) => unknown;

/** The definition `functionTool` takes. */
export interface FunctionToolOptions<Name extends string, Parameters, Args> {
  /** The function's name: a-z, A-Z, 0-9, `_` and `-`, at most 64 characters. */
  name: Name;
  /** What the function does; the model reads it to decide when and how to call it. */
  description?: string;
  /** The arguments' schema: a Standard JSON Schema validator, or a JSON Schema object. */
  parameters: Parameters;
  /** Strict Structured Outputs for the arguments, prepared as for `jsonSchemaFormat`. Default true. */
  strict?: boolean;
  /** Runs the tool (the tool loop calls it); never sent to the API. */
  execute?: ToolExecute<Args>;
}

/**
 * A function tool that knows how to parse and validate its arguments: an element of the
 * body's `tools`, and `createParsedChatCompletion` types each of its calls' `parsed_arguments`.
 */
export interface FunctionTool<Name extends string = string, Args = unknown> extends ChatCompletionFunctionTool {
  function: {
    name: Name;
    description?: string;
    parameters: Record<string, unknown>;
    strict: boolean;
  };
  /** Parses a call's `arguments` and validates them: `{ value }` or `{ issues }`. Not enumerable. */
  readonly parse: ParseAnswer<Args>;
  /** The tool's implementation, if given. Not enumerable: never sent. */
  readonly execute?: ToolExecute<Args>;
}

/**
 * A function tool whose arguments are parsed and validated like a `jsonSchemaFormat` answer:
 * `parameters` is a Standard JSON Schema validator (the arguments' type inferred) or a JSON
 * Schema object typed by the type argument (only `JSON.parse`d). A name the API refuses (see
 * `name`) or a schema JSON cannot encode is an `OpenAIError` at once.
 *
 * @example
 * const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookUp(city) });
 * const completion = await createParsedChatCompletion({ model, messages, tools: [weather] });
 * completion.choices[0].message.tool_calls?.[0].function.parsed_arguments; // { city: string }
 */
export function functionTool<const Name extends string, S extends StandardJSONSchemaValidator>(
  tool: FunctionToolOptions<Name, S, StandardSchemaV1.InferOutput<S>>,
): FunctionTool<Name, StandardSchemaV1.InferOutput<S>>;
export function functionTool<Args = unknown, const Name extends string = string>(tool: FunctionToolOptions<Name, JSONSchema, Args>): FunctionTool<Name, Args>;
export function functionTool({
  name,
  description,
  parameters,
  strict = true,
  execute,
}: FunctionToolOptions<string, JSONSchema | StandardJSONSchemaValidator, unknown>): FunctionTool {
  checkName(name, 'functionTool: the name');
  const prepared = prepareSchema(parameters, strict, `tool '${name}'`);
  // An undefined description is left out by JSON, as the wire wants.
  const definition = { name, description, parameters: prepared.schema, strict };
  return Object.defineProperties(
    { type: 'function' as const, function: definition },
    { parse: { value: prepared.parse }, execute: { value: execute } },
  ) as FunctionTool;
}
