import { OpenAIError } from '../errors.js';
import { copyResponse } from '../http/meta.js';
import { resolveOptions } from '../http/options.js';
import { isFunctionCall } from '../structured/parse.js';
import type { ChatCompletionMessage, ChatCompletionMessageParam } from '../types/index.js';
import { runCalls } from './calls.js';
import type { ParsedStep } from './step.js';
import { linkedAbort } from './stop.js';
import type { Stop } from './stop.js';
import type { RunToolsOptions, RunToolsParams, RunToolsResult, RunToolsStopReason, RunToolsStreamingParams, ToolResult, ToolStep } from './types.js';

const DEFAULT_MAX_STEPS = 10;

/** What every step reads and extends: the request as the user gave it, the transcript, the steps, the loop's abort. */
export interface Run {
  body: RunToolsParams | RunToolsStreamingParams;
  options: RunToolsOptions;
  maxSteps: number;
  messages: ChatCompletionMessageParam[];
  steps: ToolStep[];
  stop: Stop;
}

/** The run of one `runTools` call; a usage mistake throws here, before any request. */
export function startRun(body: RunToolsParams | RunToolsStreamingParams, options: RunToolsOptions): Run {
  checkBody(body);
  // Every option is checked now (a bad signal, key or baseURL), not at the first request.
  const { signal } = resolveOptions(options);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new OpenAIError(`maxSteps must be a whole number of 1 or more, got ${String(maxSteps)}.`);
  return { body, options, maxSteps, messages: [...body.messages], steps: [], stop: linkedAbort(signal) };
}

/** Usage mistakes in the body: no messages, no tools, a tool that is not a `functionTool` with `execute`. */
function checkBody(body: RunToolsParams | RunToolsStreamingParams): void {
  if (!body || typeof body !== 'object') throw new OpenAIError(`runTools takes a request body (an object), got ${body === null ? 'null' : typeof body}.`);
  if (!Array.isArray(body.messages)) throw new OpenAIError('runTools needs body.messages: a list of messages.');
  if (!Array.isArray(body.tools) || body.tools.length === 0) throw new OpenAIError('runTools needs body.tools: functionTool()s with execute.');
  for (const tool of body.tools) {
    const name = JSON.stringify(tool?.function?.name);
    if (typeof tool?.parse !== 'function') throw new OpenAIError(`runTools: the tool ${name} is not a functionTool().`);
    if (typeof tool.execute !== 'function')
      throw new OpenAIError(`runTools: the tool ${name} has no execute function (make it with functionTool({ …, execute })).`);
  }
}

/** The request of the next step: the whole transcript, the tools without what is not sent. */
export function nextRequest<S extends boolean>(run: Run, stream: S) {
  return { ...run.body, tools: [...run.body.tools], messages: [...run.messages], stream };
}

/**
 * A step's answer is in, parsed: appends it to the transcript, runs its calls and appends their
 * answers (`onResult` sees each); why the loop stops here, or undefined to go on.
 */
export async function finishStep(run: Run, step: ParsedStep, onResult?: (result: ToolResult) => void): Promise<RunToolsStopReason | undefined> {
  run.messages.push(toAssistantMessage(step.completion.choices[0]!.message as ChatCompletionMessage));
  const results = await runCalls(step.calls, run.messages, run.stop, run.body.parallel_tool_calls !== false);
  for (const result of results) {
    run.messages.push({ role: 'tool', tool_call_id: result.toolCall.id, content: result.content });
    onResult?.(result);
  }
  run.steps.push({ completion: step.completion, results });
  if (step.calls.length === 0) return 'no_tool_calls';
  return run.steps.length < run.maxSteps ? undefined : 'max_steps';
}

/** What the loop resolves to; `getResponseMeta` of it reads the last response, as of its completion. */
export function resultOf(run: Run, stopReason: RunToolsStopReason): RunToolsResult {
  const completion = run.steps.at(-1)!.completion;
  const result: RunToolsResult = { completion, messages: run.messages, steps: run.steps, stopReason };
  copyResponse(completion, result);
  return result;
}

/**
 * The answer as the next request's assistant message: what the API sent, less what the SDK added
 * (`parsed`, `parsed_arguments`); a call without `type` (Mistral's) says `function`, as the API wants.
 */
function toAssistantMessage(message: ChatCompletionMessage): ChatCompletionMessageParam {
  const { parsed: _parsed, ...wire } = message as ChatCompletionMessage & { parsed?: unknown };
  if (Array.isArray(wire.tool_calls)) {
    wire.tool_calls = wire.tool_calls.map((call) => {
      if (!isFunctionCall(call)) return call;
      const { parsed_arguments: _args, ...fn } = call.function as typeof call.function & { parsed_arguments?: unknown };
      return { ...call, type: 'function', function: fn };
    });
  }
  return wire as ChatCompletionMessageParam;
}
