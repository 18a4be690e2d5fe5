import { OpenAIError } from '../errors.js';
import { describeIssues } from '../structured/errors.js';
import type { FunctionTool } from '../structured/function-tool.js';
import { argumentsOf, checkChoices, finishError, formatParser, isFunctionCall, parseContent, parsedCopy } from '../structured/parse.js';
import type { ParsedChatCompletion, ParsedChatCompletionMessage, ParseRequest } from '../structured/parse.js';
import type { ParseAnswer } from '../structured/schema.js';
import type { Validate } from '../structured/validations.js';
import type { ChatCompletion, ChatCompletionMessageFunctionToolCall } from '../types/index.js';
import { describeThrown } from './describe.js';

type Tools = readonly FunctionTool<string, unknown>[];

/** What the loop does with one call of the followed choice: run `tool` with `args`, or tell the model `error`. */
export type CallPlan =
  | { toolCall: ChatCompletionMessageFunctionToolCall; tool: FunctionTool<string, unknown>; args: unknown }
  | { toolCall: ChatCompletionMessageFunctionToolCall; error: string };

/** A step's completion, parsed, and what to do with each call of its first choice (the one followed). */
export interface ParsedStep {
  completion: ParsedChatCompletion<unknown, unknown>;
  calls: CallPlan[];
}

/**
 * Parses a step's answer the same way in both modes, each text validated once by `validate`
 * (the streaming loop hands over what the events' done events began). A choice that calls
 * tools is not an answer yet: its calls' failures are told to the model, and its content is
 * `parsed` only if it passes (else `null`). A choice that calls none is the answer, parsed as
 * `toParsedChatCompletion` does: cut short with a format to fill, or failing it, it throws.
 */
export async function parseStep(completion: ChatCompletion, request: ParseRequest & { tools: Tools }, validate: Validate): Promise<ParsedStep> {
  checkChoices(completion);
  if (completion.choices.length === 0) throw new OpenAIError('The model answered with no choice: the tool loop has nothing to follow.');
  const format = formatParser(request);
  const parsed = parsedCopy(completion);
  const plans: CallPlan[][] = [];
  for (const { index, message, finish_reason } of parsed.choices) {
    const calls = await planCalls(message, request.tools, validate, plans.length === 0);
    plans.push(calls);
    if (!format) continue;
    if (calls.length > 0) message.parsed = await parseContent(completion, message, index, format, validate).catch(() => null);
    else message.parsed = await parseAnswer(completion, message, index, finish_reason, format, validate);
  }
  return { completion: parsed, calls: plans[0]! };
}

/** The content of a choice that called no tool: the answer its format must fit. */
async function parseAnswer(
  completion: ChatCompletion,
  message: ParsedChatCompletionMessage<unknown, unknown>,
  index: number,
  finishReason: unknown,
  format: ParseAnswer<unknown>,
  validate: Validate,
): Promise<unknown> {
  const cut = finishError(completion, finishReason);
  if (cut) throw cut;
  return parseContent(completion, message, index, format, validate);
}

/**
 * Each function call of a message, in order: its tool and arguments (set as `parsed_arguments`),
 * or what to tell the model. In the followed choice, a call the loop cannot answer is an error.
 */
async function planCalls(message: ParsedChatCompletionMessage<unknown, unknown>, tools: Tools, validate: Validate, followed: boolean): Promise<CallPlan[]> {
  const calls: unknown[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const plans: CallPlan[] = [];
  for (const [position, call] of calls.entries()) {
    if (isFunctionCall(call) && typeof call.id === 'string') {
      // A call without a type is a function call, in both modes (a stream's fold says so already).
      call.type = 'function';
      plans.push(await planCall(call, tools, validate));
    } else if (followed) throw new OpenAIError(`runTools cannot answer the model's tool call ${position}: ${unrunnable(call)}`);
  }
  return plans;
}

async function planCall(toolCall: ChatCompletionMessageFunctionToolCall, tools: Tools, validate: Validate): Promise<CallPlan> {
  const name = toolCall.function.name;
  const tool = tools.find((candidate) => candidate.function.name === name);
  if (!tool) return { toolCall, error: `Error: there is no tool named ${JSON.stringify(name)}. The tools are: ${namesOf(tools)}.` };
  const retry = 'Call it again with arguments that fit its parameters.';
  let result;
  try {
    result = await validate(tool.parse, argumentsOf(toolCall));
  } catch (thrown) {
    return { toolCall, error: `Error: invalid arguments for ${name}: ${describeThrown(thrown)}. ${retry}` };
  }
  if (result.issues) return { toolCall, error: `Error: invalid arguments for ${name}: ${describeIssues(result.issues)}. ${retry}` };
  (toolCall.function as { parsed_arguments?: unknown }).parsed_arguments = result.value;
  return { toolCall, tool, args: result.value };
}

/** Call types the API defines, the only ones an error names (what else a server sends is not quoted). */
const KNOWN_TYPES = new Set(['custom']);

/** Why a call cannot be answered: not an object with an id, or of a type the loop cannot run (`custom`). */
function unrunnable(call: unknown): string {
  if (typeof call !== 'object' || call === null || typeof (call as { id?: unknown }).id !== 'string') return 'it is not an object with an id.';
  const { type } = call as { type?: unknown };
  if (type === undefined || type === 'function') return 'it has no function (a name and arguments).';
  const kind = typeof type === 'string' && KNOWN_TYPES.has(type) ? `a ${type} tool call` : 'a tool call of an unknown type';
  return `it is ${kind}, and the loop runs functionTool()s only.`;
}

const namesOf = (tools: Tools): string => tools.map((tool) => tool.function.name).join(', ');
