import { APIConnectionError, APIError, InvalidResponseError } from './errors.js';
import type { APIErrorObject, ResponseInfo } from './errors.js';
import { createSSEParser } from './sse-parser.js';
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

/** How much of an unparsable event an error message quotes. */
const EXCERPT = 100;
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
export function parseServerSentEvents(body: ReadableStream<Uint8Array>, options: SSEOptions = {}): ReadableStream<ChatCompletionChunk> {
  const { info = { status: 200, headers: {}, requestId: undefined }, mapError = connectionLost, onRead, onFinish, signal } = options;
  const reader = body.getReader();
  // One decoder for the whole body: in `stream` mode it holds a character split across reads.
  // `ignoreBOM` hands a leading BOM to the parser, which drops the one the spec allows.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // Choice index → whether its `finish_reason` arrived: what tells a cut stream from an ended one.
  const finished = new Map<number, boolean>();
  let unfinished = 0;
  let events = 0;
  let produced = false;
  let sawDone = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let controller!: ReadableStreamDefaultController<ChatCompletionChunk>;

  const parser = createSSEParser({
    onEvent(data, type) {
      if (sawDone) return;
      events++;
      if (type !== 'error') {
        if (data === '[DONE]') return void (sawDone = true);
        // An empty `data:` line carries nothing to parse or drop (some proxies' keep-alive).
        if (data === '') return;
      }
      let value: { choices?: unknown; error?: unknown } | null;
      try {
        value = JSON.parse(data);
      } catch {
        if (type === 'error') throw new APIError(info, { message: data || 'The server sent an error event without data.' });
        throw new InvalidResponseError(info, `A stream event could not be parsed as JSON: ${excerpt(data)}`);
      }
      // `{"error": {...}}` mid-stream is how the API reports a failure after the 200 was sent.
      if (type === 'error' || value?.error) throw new APIError(info, errorObject(value?.error || value, data));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InvalidResponseError(info, `A stream event is not a JSON object: ${excerpt(data)}`);
      }
      if (Array.isArray(value.choices)) track(value.choices);
      controller.enqueue(value as ChatCompletionChunk);
      produced = true;
    },
    onOverflow(max) {
      throw new InvalidResponseError(info, `A line of the stream grew past ${max} characters without ending.`);
    },
  });

  function finish(): void {
    signal?.removeEventListener('abort', aborted);
    onFinish?.();
  }

  function aborted(): void {
    if (ended) return;
    ended = true;
    const error = mapError(signal!.reason);
    controller.error(error);
    reader.cancel(error).catch(() => {});
    finish();
  }

  function track(choices: { index?: unknown; finish_reason?: unknown }[]): void {
    for (const choice of choices) {
      const index = typeof choice?.index === 'number' ? choice.index : 0;
      const known = finished.get(index);
      if (choice?.finish_reason) {
        if (known === false) unfinished--;
        if (known !== true) finished.set(index, true);
      } else if (known === undefined) {
        finished.set(index, false);
        unfinished++;
      }
    }
  }

  /** Why the body's end is not the answer's end, if it is not: never pass a cut answer on. */
  function cut(): string | undefined {
    if (finished.size === 0) return events === 0 ? 'the body held no events' : 'no choice arrived';
    if (unfinished > 0) {
      const open = [...finished].filter(([, done]) => !done).map(([index]) => index);
      return `choice ${open.join(', ')} has no finish_reason`;
    }
  }

  function close(): void {
    ended = true;
    controller.close();
    // After [DONE] the server may keep the connection open: release it. Once the body has
    // ended this does nothing.
    reader.cancel().catch(() => {});
    finish();
  }

  function fail(error: unknown): void {
    ended = true;
    // `error()` empties the queue: chunks that came before the failure are read first.
    if (produced) failure = { error };
    else controller.error(error);
    reader.cancel(error).catch(() => {});
    finish();
  }

  async function pull(): Promise<void> {
    // Only a failure waiting behind the chunks before it gets here once the stream has ended.
    if (failure) return controller.error(failure.error);
    produced = false;
    while (!produced) {
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
          const reason = sawDone ? undefined : cut();
          return reason ? fail(new InvalidResponseError(info, `The stream ended before the answer finished: ${reason}, and no [DONE] arrived.`)) : close();
        }
        parser.feed(decoder.decode(result.value, STREAM));
      } catch (error) {
        return fail(error);
      }
      if (sawDone) return close();
    }
  }

  return new ReadableStream<ChatCompletionChunk>(
    {
      start(c) {
        controller = c;
        if (signal?.aborted) aborted();
        else signal?.addEventListener('abort', aborted);
      },
      pull,
      cancel(reason) {
        if (ended) return;
        ended = true;
        finish();
        // A body that failed meanwhile rejects this; the consumer, who is leaving, need not hear.
        return reader.cancel(reason).catch(() => {});
      },
    },
    // Nothing is read ahead: a read of the body happens only for a read of the chunks.
    { highWaterMark: 0 },
  );
}

function connectionLost(error: unknown): APIConnectionError {
  return new APIConnectionError('Connection lost while reading the stream.', { cause: error });
}

function excerpt(data: string): string {
  return data.length > EXCERPT ? data.slice(0, EXCERPT) + '…' : data;
}

/** The API's `error` object, or the best message a non-conforming server's error gives. */
function errorObject(value: unknown, data: string): APIErrorObject {
  if (typeof value === 'string' && value) return { message: value };
  if (value && typeof value === 'object') {
    const object = value as APIErrorObject;
    return typeof object.message === 'string' && object.message ? object : { ...object, message: excerpt(data) };
  }
  return { message: excerpt(data) };
}
