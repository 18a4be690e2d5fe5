import { createChatCompletion } from './chat.js';
import { APIUserAbortError, OpenAIError } from './errors.js';
import type { FunctionTool } from './structured/function-tool.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  RequestOptions,
} from './types/index.js';
import { watch } from './watch.js';

const DEFAULT_MAX_STEPS = 10;

/** The body of `runTools`: a chat request whose `tools` are `functionTool`s with `execute`. */
export type RunToolsParams = Omit<ChatCompletionCreateParamsNonStreaming, 'tools'> & { tools: readonly FunctionTool<string, any>[] };

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
 * is made. The first choice is the one followed.
 *
 * @example
 * const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookUp(city) });
 * const { completion, messages } = await runTools({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather] });
 * console.log(completion.choices[0].message.content);
 */
export async function runTools(body: RunToolsParams, options: RunToolsOptions = {}): Promise<RunToolsResult> {
  const maxSteps = checkRun(body, options);
  const stop = linkedAbort(options.signal);
  const messages: ChatCompletionMessageParam[] = [...body.messages];
  const steps: ToolStep[] = [];
  try {
    for (;;) {
      const request = { ...body, tools: [...body.tools], messages: [...messages], stream: false as const };
      const completion = await createChatCompletion(request, { ...options, signal: stop.signal });
      const message = completion.choices[0]?.message;
      if (!message) throw new OpenAIError('The model answered with no choice: the tool loop has nothing to follow.');
      messages.push(toAssistantMessage(message));
      const calls = functionCalls(message);
      const results = await runCalls(calls, body, messages, stop);
      for (const { toolCall, content } of results) messages.push({ role: 'tool', tool_call_id: toolCall.id, content });
      steps.push({ completion, results });
      if (!calls.length || steps.length >= maxSteps) return { completion, messages, steps };
    }
  } finally {
    stop.release();
  }
}

/** Usage mistakes, at once: a tool without `execute`, a `maxSteps` that is not a whole number ≥ 1. */
function checkRun(body: RunToolsParams, options: RunToolsOptions): number {
  if (!body || typeof body !== 'object' || !Array.isArray(body.tools) || !body.tools.length) throw new OpenAIError('runTools needs body.tools: functionTool()s with execute.');
  for (const tool of body.tools) {
    if (typeof tool?.execute !== 'function') throw new OpenAIError(`runTools: the tool ${JSON.stringify(tool?.function?.name)} has no execute function (make it with functionTool({ …, execute })).`);
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

/** The answer as the next request's assistant message: what the API sent, less what the SDK added. */
function toAssistantMessage(message: ChatCompletionMessage): ChatCompletionMessageParam {
  const { parsed: _parsed, ...wire } = message as ChatCompletionMessage & { parsed?: unknown };
  return wire as ChatCompletionMessageParam;
}

/** Every call of the step, in the order asked: concurrently, or one by one without parallel tool calls. */
async function runCalls(calls: ChatCompletionMessageFunctionToolCall[], body: RunToolsParams, messages: ChatCompletionMessageParam[], stop: Stop): Promise<ToolResult[]> {
  const run = (call: ChatCompletionMessageFunctionToolCall) => stop.race(runCall(call, body.tools, messages, stop.signal));
  if (body.parallel_tool_calls !== false) return Promise.all(calls.map(run));
  const results: ToolResult[] = [];
  for (const call of calls) results.push(await run(call));
  return results;
}

/** One call: find the tool, validate its arguments, execute it; any failure becomes the model's answer. */
async function runCall(toolCall: ChatCompletionMessageFunctionToolCall, tools: RunToolsParams['tools'], messages: ChatCompletionMessageParam[], signal: AbortSignal): Promise<ToolResult> {
  const name = toolCall.function?.name;
  const tool = tools.find((candidate) => candidate.function.name === name);
  if (!tool) return failed(toolCall, `Error: there is no tool named ${JSON.stringify(name)}. The tools are: ${tools.map((t) => t.function.name).join(', ')}.`);
  const parsed = await tool.parse(toolCall.function.arguments ?? '');
  if (parsed.issues) return failed(toolCall, `Error: invalid arguments for ${name}: ${describeIssues(parsed.issues)}. Call it again with arguments that fit its parameters.`);
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
    release: unwatch,
  };
}
