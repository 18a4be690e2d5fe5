import { OpenAIError } from '../errors.js';
import type { FunctionTool } from '../structured/function-tool.js';
import { argumentsOf, checkChoices, finishError, formatParser, isFunctionCall, parseContent, parsedCopy } from '../structured/parse.js';
import type { ParsedChatCompletion, ParsedChatCompletionMessage, ParseRequest } from '../structured/parse.js';
import type { ParseAnswer } from '../structured/schema.js';
import type { Validate } from '../structured/validations.js';
import type { ChatCompletion, ChatCompletionMessageFunctionToolCall, ChatCompletionMessageToolCall } from '../types/index.js';
import { describeIssues, describeThrown } from './describe.js';

type Tools = readonly FunctionTool<string, unknown>[];

/** What the loop does with one call of the followed choice: run `tool` with `args`, or tell the model `error`. */
export type CallPlan =
  | { toolCall: ChatCompletionMessageFunctionToolCall; tool: FunctionTool<string, unknown>; args: unknown }
  | { toolCall: ChatCompletionMessageToolCall; error: string };

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
 * `parseCompletion` does: cut short with a format to fill, or failing it, it throws.
 */
export async function parseStep(completion: ChatCompletion, request: ParseRequest & { tools: Tools }, validate: Validate): Promise<ParsedStep> {
  checkChoices(completion);
  if (completion.choices.length === 0) throw new OpenAIError('The model answered with no choice: the tool loop has nothing to follow.');
  const format = formatParser(request);
  const parsed = parsedCopy(completion);
  const plans: CallPlan[][] = [];
  for (const { index, message, finish_reason } of parsed.choices) {
    const calls = await planCalls(message, request.tools, validate);
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

/** Each call of a message, in order: its tool and arguments (set as `parsed_arguments`), or what to tell the model. */
async function planCalls(message: ParsedChatCompletionMessage<unknown, unknown>, tools: Tools, validate: Validate): Promise<CallPlan[]> {
  const calls: unknown[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const plans: CallPlan[] = [];
  for (const [position, call] of calls.entries()) {
    if (typeof call !== 'object' || call === null || typeof (call as { id?: unknown }).id !== 'string') {
      throw new OpenAIError(`The model's tool call ${position} is not an object with an id: the tool loop cannot answer it.`);
    }
    if (!isFunctionCall(call)) {
      plans.push({ toolCall: call as ChatCompletionMessageToolCall, error: otherType(call, tools) });
      continue;
    }
    // A call without a type is a function call, in both modes (a stream's fold says so already).
    call.type = 'function';
    plans.push(await planCall(call, tools, validate));
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

/** A call of a type the loop cannot run (`custom`, or one it does not know). */
function otherType(call: object, tools: Tools): string {
  const { type, custom } = call as { type?: unknown; custom?: { name?: unknown } };
  const name = typeof custom === 'object' && custom !== null ? ` ${JSON.stringify(custom.name)}` : '';
  return `Error: this is a ${JSON.stringify(type)} tool call${name}; only function tools can be called here. The tools are: ${namesOf(tools)}.`;
}

const namesOf = (tools: Tools): string => tools.map((tool) => tool.function.name).join(', ');
