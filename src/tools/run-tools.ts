import type { IterableStream } from '../stream/iterable.js';
import type { FormatOutput, ToolsOf } from '../structured/parse.js';
import { loop } from './loop.js';
import { streamTools } from './stream.js';
import type { RunToolsEvent, RunToolsOptions, RunToolsParams, RunToolsResult, RunToolsStreamingParams } from './types.js';

/**
 * The tool-calling loop: calls the model, runs every tool call of its answer (at once, or one
 * after the other with `parallel_tool_calls: false`), appends the assistant message and one
 * `tool` message per call, and repeats until an answer calls no tool or `maxSteps` steps were
 * made (`stopReason` says which). Everything that goes wrong with a call goes back to the model
 * as that call's answer, so it can correct itself: an unknown tool, arguments that are not JSON
 * or fail validation, a validator or an `execute` that throws. A call without `type` (Mistral's)
 * is a function call; one of a type the loop cannot run (`custom`) rejects with an `OpenAIError`
 * naming it. Each completion is parsed as `toParsedChatCompletion` parses it (`parsed`
 * for a `jsonSchemaFormat`, `parsed_arguments`), each text validated once; the last answer must
 * fit the format, or the loop rejects as `createParsedChatCompletion` does. Streamed or not, the loop
 * ends the same way. Aborting `signal` (also given to every `execute`) stops everything at once
 * with `APIUserAbortError`, and no further request is made. The first choice is the one
 * followed. With `stream: true` it returns, at once, a stream of the events of every step (see
 * `RunToolsEvent`), ending with `done`. `getResponseMeta` of the result, the `done` event and
 * each step's completion reads the response of that step.
 *
 * @throws OpenAIError at once (rejects, or throws with `stream: true`) for a usage mistake: no
 * `messages`, no tools, a tool without `execute`, bad options or `maxSteps`.
 * @example
 * const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }), execute: ({ city }) => lookUp(city) });
 * const { completion, messages, stopReason } = await runTools({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weather] });
 * for await (const event of runTools({ model: 'gpt-4o-mini', messages, tools: [weather], stream: true })) if (event.type === 'content.delta') show(event.delta);
 */
export function runTools<Body extends RunToolsStreamingParams>(
  body: Body,
  options?: RunToolsOptions,
): IterableStream<RunToolsEvent<FormatOutput<Body['response_format']>, ToolsOf<Body['tools']>>>;
export function runTools<Body extends RunToolsParams>(
  body: Body,
  options?: RunToolsOptions,
): Promise<RunToolsResult<FormatOutput<Body['response_format']>, ToolsOf<Body['tools']>>>;
export function runTools(
  body: RunToolsParams | RunToolsStreamingParams,
  options: RunToolsOptions = {},
): Promise<RunToolsResult> | IterableStream<RunToolsEvent> {
  if (body?.stream === true) return streamTools(body, options);
  return loop(body as RunToolsParams, options);
}
