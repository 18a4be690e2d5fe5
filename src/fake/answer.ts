import type { ChatCompletion, ChatCompletionCreateParams, ChatCompletionFinishReason, ChatCompletionMessageToolCall } from '../types/index.js';
import { isObject } from '../structured/pointer.js';
import { instanceOf } from './instance.js';
import { completionOf, echo } from './replies.js';

/** A tool call the fake model makes: `arguments` default to JSON that fits the tool's parameters. */
export interface FakeToolCall {
  /** The function to call (one of the request's `tools`). */
  name: string;
  /** The arguments, as JSON text or a value to serialise. Default: a value fitting the tool's `parameters`. */
  arguments?: string | Record<string, unknown>;
  /** Default `call_fake<n>`. */
  id?: string;
}

/**
 * A reply described by what the model does rather than by its wire form:
 * - `content`: the text. Default: for a `json_schema` request, JSON that fits its schema;
 *   otherwise the echo. Cut in half with `finish_reason: 'length'`; none with
 *   `content_filter`, a `refusal` or `tool_calls`.
 * - `refusal`: refuse with this text (`content` is then `null`).
 * - `finish_reason`: default `stop` (`tool_calls` with tool calls); `length` and
 *   `content_filter` stop the answer early, as the token limit and the filter do.
 * - `tool_calls`: call these functions.
 */
export interface FakeAnswer {
  content?: string | null;
  refusal?: string;
  finish_reason?: ChatCompletionFinishReason;
  tool_calls?: FakeToolCall[];
}

/** What the fake answers unscripted: JSON fitting a `json_schema` format, or the echo. */
export function defaultContent(body: ChatCompletionCreateParams): string {
  const format = body.response_format;
  if (format?.type === 'json_schema' && isObject(format.json_schema)) return JSON.stringify(instanceOf(format.json_schema.schema));
  return echo(body.messages);
}

/** The completion of an answer: every choice (`n` of them) says the same. */
export function completionOfAnswer(body: ChatCompletionCreateParams, id: string, created: number, answer: FakeAnswer): ChatCompletion {
  const tool_calls = answer.tool_calls?.map((call, i) => toolCall(body, call, i));
  const finish_reason = answer.finish_reason ?? (tool_calls ? 'tool_calls' : 'stop');
  const silent = answer.refusal !== undefined || tool_calls !== undefined || finish_reason === 'content_filter';
  let content = answer.content === undefined ? (silent ? null : defaultContent(body)) : answer.content;
  if (answer.content === undefined && finish_reason === 'length' && content !== null) content = content.slice(0, Math.ceil(content.length / 2));
  const completion = completionOf(body, id, created, content ?? answer.refusal ?? '');
  for (const choice of completion.choices) {
    choice.finish_reason = finish_reason;
    choice.message.content = content;
    choice.message.refusal = answer.refusal ?? null;
    if (tool_calls) choice.message.tool_calls = tool_calls;
  }
  return completion;
}

function toolCall(body: ChatCompletionCreateParams, call: FakeToolCall, index: number): ChatCompletionMessageToolCall {
  const tool = body.tools?.find((candidate) => candidate.type === 'function' && candidate.function?.name === call.name);
  const parameters = tool?.type === 'function' ? tool.function.parameters : undefined;
  const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? instanceOf(parameters) ?? {});
  return { id: call.id ?? `call_fake${index + 1}`, type: 'function', function: { name: call.name, arguments: args } };
}
