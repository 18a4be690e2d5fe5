import { createChatCompletion } from '../chat.js';
import { APIUserAbortError, OpenAIError } from '../errors.js';
import { toChatCompletionEvents } from '../events/to-events.js';
import { iterable } from '../stream/iterable.js';
import type { IterableStream } from '../stream/iterable.js';
import type { FunctionTool } from '../structured/function-tool.js';
import type { ChatCompletionEvent } from '../events/types.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  RequestOptions,
} from '../types/index.js';
import { watch } from '../http/watch.js';

const DEFAULT_MAX_STEPS = 10;

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
  toolCall: ChatCompletionMessageFunctionToolCall;
  /** The `tool` message's content: the result as it was (a string) or as JSON, or the error text. */
  content: string;
  /** Set when the call failed (unknown tool, invalid arguments, `execute` threw): what the model was told. */
  error?: string;
}

/** One model call and the tool calls it asked for. */
export interface ToolStep {
  completion: ChatCompletion;
  results: ToolResult[];
}

/** A tool call of step `step` has run; `error` is set when it failed (what the model was told). */
export interface ToolResultEvent extends ToolResult {
  type: 'tool.result';
  step: number;
}

/** Step `step` (from 0) has ended: its completion, and its tools' results. */
export interface StepDoneEvent extends ToolStep {
  type: 'step.done';
  step: number;
}

/** The last event of the streaming loop: what the non-streaming loop resolves to. */
export interface RunToolsDoneEvent extends RunToolsResult {
  type: 'done';
}

/**
 * An event of the streaming loop: each step's events as `toChatCompletionEvents` gives them
 * (less their own `done`; `step.done` carries the step's completion), each tool result, each
 * step's end, and one last `done`.
 */
export type RunToolsEvent = Exclude<ChatCompletionEvent<unknown, unknown>, { type: 'done' }> | ToolResultEvent | StepDoneEvent | RunToolsDoneEvent;

/** How the loop ended: the last completion, the whole transcript, every step. */
export interface RunToolsResult {
  /** The last model answer: one that called no tool, or the last of `maxSteps`. */
  completion: ChatCompletion;
  /** The conversation: the request's messages, then each assistant message and its `tool` messages, ready for the next turn. */
  messages: ChatCompletionMessageParam[];
  steps: ToolStep[];
}

/**
 * The tool-calling loop: calls the model, runs every tool call of its answer (at once, or one
 * after the other with `parallel_tool_calls: false`), appends the assistant message and one
 * `tool` message per call, and repeats until an answer calls no tool or `maxSteps` steps were
 * made. Unknown tools, arguments that fail validation and an `execute` that throws go back to
 * the model as that call's answer, so it can correct itself. Aborting `signal` (also given to
 * every `execute`) stops everything at once with `APIUserAbortError`, and no further request
 * is made. The first choice is the one followed. With `stream: true` it returns, at once, a
 * stream of the events of every step (see `RunToolsEvent`), ending with `done`.
 *
 * @example
 * const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookUp(city) });
 * const { completion, messages } = await runTools({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather] });
 * for await (const event of runTools({ model: 'gpt-4o-mini', messages, tools: [weather], stream: true })) if (event.type === 'content.delta') show(event.delta);
 */
export function runTools(body: RunToolsStreamingParams, options?: RunToolsOptions): IterableStream<RunToolsEvent>;
export function runTools(body: RunToolsParams, options?: RunToolsOptions): Promise<RunToolsResult>;
export function runTools(
  body: RunToolsParams | RunToolsStreamingParams,
  options: RunToolsOptions = {},
): Promise<RunToolsResult> | IterableStream<RunToolsEvent> {
  if (body?.stream === true) return streamTools(body, options);
  return loop(body as RunToolsParams, options);
}

/** What one step needs: the transcript so far, the loop's abort, and the request as the user gave it. */
interface Run {
  body: RunToolsParams | RunToolsStreamingParams;
  options: RunToolsOptions;
  maxSteps: number;
  messages: ChatCompletionMessageParam[];
  steps: ToolStep[];
  stop: Stop;
}

function startRun(body: RunToolsParams | RunToolsStreamingParams, options: RunToolsOptions): Run {
  const maxSteps = checkRun(body, options);
  return { body, options, maxSteps, messages: [...body.messages], steps: [], stop: linkedAbort(options.signal) };
}

/** The request of the next step: the whole transcript, the tools without what is not sent. */
function nextRequest<S extends boolean>(run: Run, stream: S) {
  return { ...run.body, tools: [...run.body.tools], messages: [...run.messages], stream };
}

/** A step's answer is in: runs its tools, extends the transcript; whether the loop goes on. */
async function finishStep(run: Run, completion: ChatCompletion, onResult?: (result: ToolResult) => void): Promise<boolean> {
  const message = completion.choices[0]?.message;
  if (!message) throw new OpenAIError('The model answered with no choice: the tool loop has nothing to follow.');
  run.messages.push(toAssistantMessage(message));
  const calls = functionCalls(message);
  const results = await runCalls(calls, run.body, run.messages, run.stop);
  for (const result of results) {
    run.messages.push({ role: 'tool', tool_call_id: result.toolCall.id, content: result.content });
    onResult?.(result);
  }
  run.steps.push({ completion, results });
  return calls.length > 0 && run.steps.length < run.maxSteps;
}

async function loop(body: RunToolsParams, options: RunToolsOptions): Promise<RunToolsResult> {
  const run = startRun(body, options);
  try {
    for (;;) {
      const completion = await createChatCompletion(nextRequest(run, false), { ...options, signal: run.stop.signal });
      if (!(await finishStep(run, completion))) return { completion, messages: run.messages, steps: run.steps };
    }
  } finally {
    run.stop.release();
  }
}

/**
 * The loop as a pull-based stream: a read of it reads one event of the current step, or runs
 * the step's tools once its answer is complete. Cancelling it stops the request and the tools.
 */
function streamTools(body: RunToolsStreamingParams, options: RunToolsOptions): IterableStream<RunToolsEvent> {
  const run = startRun(body, options);
  let events: ReadableStreamDefaultReader<ChatCompletionEvent<unknown, unknown>> | undefined;
  let completion: ChatCompletion | undefined;
  const end = (controller: ReadableStreamDefaultController<RunToolsEvent>) => {
    controller.enqueue({ type: 'done', completion: completion!, messages: run.messages, steps: run.steps });
    controller.close();
    run.stop.release();
  };
  /** One step forward: an event of the step, or the step's tools and end; whether it enqueued anything. */
  const nextEvent = async (controller: ReadableStreamDefaultController<RunToolsEvent>): Promise<boolean> => {
    if (!events) {
      const chunks = await createChatCompletion(nextRequest(run, true), { ...options, signal: run.stop.signal });
      events = toChatCompletionEvents(chunks, { response_format: body.response_format, tools: body.tools }).getReader();
    }
    const { done, value } = await events.read();
    if (!done) {
      if (value.type !== 'done') controller.enqueue(value);
      else completion = value.completion;
      return value.type !== 'done';
    }
    events = undefined;
    const step = run.steps.length;
    const more = await finishStep(run, completion!, (result) => controller.enqueue({ type: 'tool.result', step, ...result }));
    controller.enqueue({ type: 'step.done', step, ...run.steps[step]! });
    if (!more) end(controller);
    return true;
  };
  const source: UnderlyingDefaultSource<RunToolsEvent> = {
    async pull(controller) {
      try {
        // Until this pull gives an event: a pull that enqueues nothing is not called again.
        for (let given = false; !given;) given = await nextEvent(controller);
      } catch (error) {
        run.stop.release();
        controller.error(error);
      }
    },
    async cancel(reason) {
      // The step's stream first (the request goes with it), then whatever tools are running.
      await events?.cancel(reason).catch(() => {});
      run.stop.abort();
      run.stop.release();
    },
  };
  return iterable(new ReadableStream(source, { highWaterMark: 0 }));
}

/** Usage mistakes, at once: a tool without `execute`, a `maxSteps` that is not a whole number ≥ 1. */
function checkRun(body: RunToolsParams | RunToolsStreamingParams, options: RunToolsOptions): number {
  if (!body || typeof body !== 'object' || !Array.isArray(body.tools) || !body.tools.length)
    throw new OpenAIError('runTools needs body.tools: functionTool()s with execute.');
  for (const tool of body.tools) {
    if (typeof tool?.execute !== 'function')
      throw new OpenAIError(`runTools: the tool ${JSON.stringify(tool?.function?.name)} has no execute function (make it with functionTool({ …, execute })).`);
  }
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new OpenAIError(`maxSteps must be a whole number of 1 or more, got ${String(maxSteps)}.`);
  return maxSteps;
}

/** The calls of function tools in an answer (custom tools have no `execute` to run). */
function functionCalls(message: ChatCompletionMessage): ChatCompletionMessageFunctionToolCall[] {
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  return calls.filter((call): call is ChatCompletionMessageFunctionToolCall => call?.type === 'function');
}

/** The answer as the next request's assistant message: what the API sent, less what the SDK added (`parsed`, `parsed_arguments`). */
function toAssistantMessage(message: ChatCompletionMessage): ChatCompletionMessageParam {
  const { parsed: _parsed, ...wire } = message as ChatCompletionMessage & { parsed?: unknown };
  if (Array.isArray(wire.tool_calls)) {
    wire.tool_calls = wire.tool_calls.map((call) => {
      if (call?.type !== 'function') return call;
      const { parsed_arguments: _args, ...fn } = call.function as typeof call.function & { parsed_arguments?: unknown };
      return { ...call, function: fn };
    });
  }
  return wire as ChatCompletionMessageParam;
}

/** Every call of the step, in the order asked: concurrently, or one by one without parallel tool calls. */
async function runCalls(
  calls: ChatCompletionMessageFunctionToolCall[],
  body: RunToolsParams | RunToolsStreamingParams,
  messages: ChatCompletionMessageParam[],
  stop: Stop,
): Promise<ToolResult[]> {
  const run = (call: ChatCompletionMessageFunctionToolCall) => stop.race(runCall(call, body.tools, messages, stop.signal));
  if (body.parallel_tool_calls !== false) return Promise.all(calls.map(run));
  const results: ToolResult[] = [];
  for (const call of calls) results.push(await run(call));
  return results;
}

/** One call: find the tool, validate its arguments, execute it; any failure becomes the model's answer. */
async function runCall(
  toolCall: ChatCompletionMessageFunctionToolCall,
  tools: RunToolsParams['tools'],
  messages: ChatCompletionMessageParam[],
  signal: AbortSignal,
): Promise<ToolResult> {
  const name = toolCall.function?.name;
  const tool = tools.find((candidate) => candidate.function.name === name);
  if (!tool) return failed(toolCall, `Error: there is no tool named ${JSON.stringify(name)}. The tools are: ${tools.map((t) => t.function.name).join(', ')}.`);
  const parsed = await tool.parse(toolCall.function.arguments ?? '');
  if (parsed.issues)
    return failed(toolCall, `Error: invalid arguments for ${name}: ${describeIssues(parsed.issues)}. Call it again with arguments that fit its parameters.`);
  let result: unknown;
  try {
    result = await tool.execute!(parsed.value, { signal, toolCall, messages: [...messages] });
  } catch (error) {
    if (signal.aborted) throw error;
    return failed(toolCall, `Error: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { toolCall, content: asContent(result) };
}

function failed(toolCall: ChatCompletionMessageFunctionToolCall, error: string): ToolResult {
  return { toolCall, content: error, error };
}

/** A string as it is; anything else as JSON (`undefined` as an empty answer). */
function asContent(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return '';
  try {
    return JSON.stringify(result) ?? '';
  } catch (error) {
    return `Error: the tool's result cannot be sent as JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Standard Schema issues, one line: `city: Required; unit: Invalid enum value`. */
function describeIssues(issues: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] | undefined }[]): string {
  return issues
    .map(({ message, path }) => {
      const where = path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
      return where ? `${where}: ${message}` : message;
    })
    .join('; ');
}

/** The loop's own abort: the caller's signal, passed to every request and `execute`, and raced against tools that ignore it. */
interface Stop {
  signal: AbortSignal;
  race<T>(work: Promise<T>): Promise<T>;
  /** The consumer left the stream: stop the request and the tools. */
  abort(): void;
  release(): void;
}

function linkedAbort(callerSignal: AbortSignal | undefined): Stop {
  const controller = new AbortController();
  const unwatch = watch(callerSignal, () => controller.abort(callerSignal!.reason));
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(new APIUserAbortError()), { once: true });
  });
  // A loop that ends unaborted leaves this promise pending: nobody waits on it.
  aborted.catch(() => {});
  return {
    signal: controller.signal,
    race: (work) => Promise.race([work, aborted]),
    abort: () => controller.abort(new APIUserAbortError()),
    release: unwatch,
  };
}
