import { APIConnectionError, APIError, InvalidResponseError } from './errors.js';
import type { ResponseInfo } from './errors.js';
import { errorObject, excerpt } from './response.js';
import { watch } from './watch.js';
import { createSSEParser } from './sse-parser.js';
import { iterable } from './iterable.js';
import type { IterableStream } from './iterable.js';
import type { ChatCompletionChunk } from './types/index.js';

/** How the request layer ties the chunk stream to its response; all optional. */
export interface SSEOptions {
  /** Status, headers and request id that the stream's errors carry; default a bare 200. */
  info?: ResponseInfo;
  /**
   * The error a failed body read (dropped connection, abort, time-out) raises; default an
   * `APIConnectionError` with the failure as its `cause`.
   */
  mapError?: (error: unknown) => unknown;
  /** Called after every read of the body (the request layer restarts its idle timer). */
  onRead?: () => void;
  /** Called once when the body is no longer read: closed, errored or cancelled. */
  onFinish?: () => void;
  /**
   * Aborting it errors the stream at once with `mapError(reason)`: a body may hold data that
   * arrived before the abort, and the consumer asked to stop, not to read that first.
   */
  signal?: AbortSignal;
}

/** Hoisted: `decode` is called once a network read, and needs no fresh options object. */
const STREAM = { stream: true };

/**
 * Turns the bytes of a `text/event-stream` chat completion (a response body, or what
 * `toServerSentEvents` sent) into its chunks, ending at `data: [DONE]`.
 * Pull-based: the body is read only as fast as the chunks are, and cancelling the chunks
 * cancels the body. The stream errors, and never ends quietly, when the body is cut before
 * every choice has its `finish_reason`, when an event is not JSON, and with an `APIError`
 * when the server streams an error.
 *
 * @example
 * const response = await fetch('/api/chat', { method: 'POST', body });
 * for await (const chunk of parseServerSentEvents(response.body!)) console.log(chunk.choices[0]?.delta.content);
 */
export function parseServerSentEvents(
  body: ReadableStream<Uint8Array>,
  {
    info = { status: 200, headers: {} } as ResponseInfo,
    mapError = (cause) => new APIConnectionError('Connection lost while reading the stream.', { cause }),
    onRead,
    onFinish,
    signal,
  }: SSEOptions = {},
): IterableStream<ChatCompletionChunk> {
  const reader = body.getReader();
  // One decoder for the whole body: in `stream` mode it holds a character split across reads.
  // It drops a leading byte order mark, the one the SSE spec allows.
  const decoder = new TextDecoder();
  // Choice index → whether its `finish_reason` arrived: what tells a cut stream from an ended one.
  const finished = new Map<number, boolean>();
  let produced: boolean | undefined;
  let sawDone: boolean | undefined;
  let ended: boolean | undefined;
  let failure: [unknown] | undefined;
  let controller: ReadableStreamDefaultController<ChatCompletionChunk>;
  let unwatch: () => void;
  const invalid = (message: string) => new InvalidResponseError(info, message);

  const parser = createSSEParser(
    (data, type) => {
      const error = type == 'error';
      // An empty `data:` line carries nothing to parse or drop (some proxies' keep-alive).
      if (sawDone || (!error && (data == '[DONE]' ? (sawDone = true) : !data))) return;
      // The one JSON.parse of the event; everything after reads the parsed value.
      let value: any;
      try {
        value = JSON.parse(data);
      } catch {}
      // An `error` event, or `{"error": {...}}`, is how a server reports a failure after the 200.
      if (error || value?.error) throw new APIError(info, errorObject(value?.error || value, data, 100));
      if (!value || typeof value != 'object' || Array.isArray(value)) throw invalid(`A stream event is not a JSON object: ${excerpt(data, 100)}`);
      if (Array.isArray(value.choices)) {
        for (const choice of value.choices) {
          // Written when first seen and when finished, no more: once finished, a choice stays so.
          // Chunks without choices (usage, Azure's prompt filter) count for none.
          const index = +choice?.index || 0;
          const done = finished.get(index);
          if (!done && (done == undefined || choice?.finish_reason)) finished.set(index, !!choice?.finish_reason);
        }
      }
      controller.enqueue(value);
      produced = true;
    },
    (max) => {
      throw invalid(`A line of the stream grew past ${max} characters without ending.`);
    },
  );

  /** Stops reading the body, for good: the chunks were closed or errored just before. */
  function stop(reason?: unknown): Promise<void> {
    ended = true;
    // Undefined when the signal had aborted before the stream started.
    unwatch?.();
    onFinish?.();
    // After [DONE] the server may keep the connection open: release it. A body that ended or
    // failed meanwhile ignores this, and nobody waits for its answer.
    return reader.cancel(reason).catch(() => {});
  }

  /** `error()` empties the queue: unless `now`, chunks that came before the failure are read first. */
  function fail(error: unknown, now?: boolean): void {
    if (now || !produced) controller.error(error);
    else failure = [error];
    stop(error);
  }

  function aborted(): void {
    if (!ended) fail(mapError(signal!.reason), true);
  }

  const chunks = new ReadableStream<ChatCompletionChunk>(
    {
      start(c) {
        controller = c;
        unwatch = watch(signal, aborted);
      },
      async pull() {
        // Only a failure waiting behind the chunks before it gets here once the stream has ended.
        if (failure) return controller.error(failure[0]);
        for (produced = false; !produced && !sawDone; ) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (error) {
            return ended ? undefined : fail(mapError(error));
          }
          // Cancelled while the read was pending: the consumer is gone, and so is `onFinish`.
          if (ended) return;
          onRead?.();
          try {
            if (result.done) {
              parser.feed(decoder.decode());
              parser.end();
              // Why the body's end is not the answer's end, if it is not: never pass a cut answer on.
              const open = [...finished].flatMap(([index, done]) => (done ? [] : index));
              if (!sawDone && (open.length || !finished.size)) {
                return fail(invalid(`The stream ended before the answer finished (${open.length ? `choice ${open} has no finish_reason` : 'no choice arrived'}), and no [DONE] arrived.`));
              }
              sawDone = true;
            } else parser.feed(decoder.decode(result.value, STREAM));
          } catch (error) {
            return fail(error);
          }
        }
        if (sawDone) {
          controller.close();
          stop();
        }
      },
      cancel(reason) {
        // A body that failed meanwhile rejects its cancel; the consumer, who is leaving, need not hear.
        if (!ended) return stop(reason);
      },
    },
    // Nothing is read ahead: a read of the body happens only for a read of the chunks.
    { highWaterMark: 0 },
  );
  return iterable(chunks);
}
