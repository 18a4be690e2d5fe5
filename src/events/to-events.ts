import { attachPartial, readChunks } from '../stream/chunk-reader.js';
import type { ChunkStreamLike } from '../stream/chunk-reader.js';
import { createEventMaker } from './maker.js';
import type { EventMaker, EventMakerOptions, Outgoing } from './maker.js';
import { iterable } from '../stream/iterable.js';
import type { IterableStream } from '../stream/iterable.js';
import type { FormatOutput, ParseRequest, ToolsOf } from '../structured/parse.js';
import type { ChatCompletionEvent } from './types.js';
import { noop } from '../own.js';

/**
 * Turns a chunk stream (`createChatCompletion({ ...body, stream: true })`) into typed events,
 * narrowed by `type`: a `chunk` event per chunk, then what it adds to each choice
 * (`content.delta` with the `snapshot` so far and, for a `jsonSchemaFormat`, the answer
 * `parsed` so far; `refusal.delta`; `tool_calls.function.arguments.delta` with
 * `parsed_arguments` so far for a `functionTool`; `logprobs.*.delta`); each part's `*.done`
 * event when its choice's `finish_reason` arrives (a tool call's already when the next one
 * begins, if its arguments are whole JSON), with the value validated by its schema; and last
 * `done`, with the completion `toParsedChatCompletion` makes of the fold (each answer and arguments
 * validated once: `done` holds the very values of the `*.done` events; `getResponseMeta` of its
 * completion reads the response the stream came from). Every event of a choice says its
 * `choice_index`.
 *
 * - Pull-based: a read of the events reads one chunk at most, nothing ahead; cancelling them
 *   (or leaving a `for await` early) cancels the chunk stream, and so the request.
 * - Partial values cost nothing unless read: each event's `parsed` is built on first read
 *   (one shallow copy of the containers still open), then the same object. Snapshots never
 *   change once handed out; treat them as read-only.
 * - Errors arrive after the events before them: the chunk stream's own (cut, abort,
 *   time-out), `OutputValidationError` when a done value fails its schema,
 *   `LengthFinishReasonError` / `ContentFilterFinishReasonError` (instead of `done`) when a
 *   choice stopped early with a schema to fill, an `OpenAIError` for a chunk no server sends.
 *   Once a chunk has arrived, the error carries the completion folded so far as its
 *   non-enumerable `partial` property.
 *
 * @throws OpenAIError at once when `stream` is locked or not a stream of chunks.
 * @example
 * const format = jsonSchemaFormat(Person, { name: 'person' });
 * const stream = await createChatCompletion({ model, messages, response_format: format, stream: true });
 * for await (const event of toChatCompletionEvents(stream, { response_format: format })) {
 *   if (event.type === 'content.delta') render(event.parsed); // { name?: string; age?: number }
 *   if (event.type === 'done') save(event.completion.choices[0].message.parsed);
 * }
 */
export function toChatCompletionEvents<Format = unknown, Tools = unknown>(
  stream: ChunkStreamLike,
  options: ParseRequest<Format, Tools> = {},
): IterableStream<ChatCompletionEvent<FormatOutput<Format>, ToolsOf<Tools>>> {
  return eventStream(stream, options, { stream }) as never;
}

/** The events of `stream` as `toChatCompletionEvents` gives them, the maker configured by `options` (the tool loop's). */
export function eventStream(stream: ChunkStreamLike, request: ParseRequest, options: EventMakerOptions): IterableStream<ChatCompletionEvent<unknown, unknown>> {
  const source = readChunks(stream, 'toChatCompletionEvents');
  const maker = createEventMaker(request, options);
  // A failure after some events of the same pull: they are queued, it waits for the next pull
  // (erroring a stream drops what its queue holds). One chunk's events are enqueued together.
  let failure: { error: unknown } | undefined;
  let cancelled = false;
  return iterable(
    new ReadableStream<ChatCompletionEvent<unknown, unknown>>(
      {
        async pull(controller) {
          if (failure) throw failure.error;
          let emitted = false;
          try {
            const result = await source.read();
            if (cancelled) return;
            const { outgoing, thrown } = eventsOf(maker, result);
            for (const item of outgoing) {
              // A done event waits for its validation; a cancel meanwhile leaves nobody to read.
              const event = item instanceof Promise ? await item : item;
              if (cancelled) return;
              controller.enqueue(event as never);
              emitted = true;
            }
            if (thrown) throw thrown.error;
            if (result.done) controller.close();
          } catch (error) {
            const partial = maker.partial();
            if (partial) attachPartial(error, partial);
            // Our own failure (a validation, a junk chunk) leaves the request open; on a failed stream, a no-op.
            source.cancel(error).catch(noop);
            if (!emitted) throw error;
            failure = { error };
          }
        },
        async cancel(reason) {
          cancelled = true;
          await source.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    ),
  );
}

/** The events of one read (of a chunk, or of the end), and what the maker threw after them. */
function eventsOf(maker: EventMaker, result: IteratorResult<unknown>): { outgoing: Outgoing[]; thrown?: { error: unknown } } {
  const outgoing: Outgoing[] = [];
  const emit = (event: Outgoing) => {
    outgoing.push(event);
  };
  try {
    if (result.done) maker.end(emit);
    else maker.add(result.value, emit);
  } catch (error) {
    return { outgoing, thrown: { error } };
  }
  return { outgoing };
}
