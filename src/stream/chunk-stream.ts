import { Attempt } from '../http/attempt.js';
import { OpenAIError } from '../errors.js';
import { checkSignal } from '../http/options.js';
import { ChunkPump } from './chunk-pump.js';
import { assertReadable, iterable } from './iterable.js';
import type { ChatCompletionStream } from './iterable.js';

/**
 * Turns the bytes of a `text/event-stream` chat completion (a response body, or what
 * `toServerSentEvents` sent) into its chunks, ending at `data: [DONE]`.
 * Pull-based: the body is read only as fast as the chunks are, and cancelling the chunks
 * cancels the body. After `[DONE]` no chunk follows, and the rest of the body is read to its
 * end (at most 64 KiB, for at most 1 s, then cancelled), so that its connection can be reused;
 * the chunks close when it ends, or 50 ms after `[DONE]` if it has not. The stream errors, and never ends quietly, when the body is cut before
 * every choice has its `finish_reason`, when an event is not JSON, and with an `APIError`
 * when the server streams an error. Aborting `signal` errors it at once with `APIUserAbortError`.
 * A `body` that is no `ReadableStream` or is locked, or a bad `signal`, is an `OpenAIError` at once.
 *
 * @example
 * const response = await fetch('/api/chat', { method: 'POST', body });
 * for await (const chunk of parseServerSentEvents(response.body!)) console.log(chunk.choices[0]?.delta.content);
 */
export function parseServerSentEvents(body: ReadableStream<Uint8Array>, options: { signal?: AbortSignal | undefined } = {}): ChatCompletionStream {
  // Checked before the attempt exists: a usage mistake leaves no listener on the caller's signal.
  assertReadable(body, 'parseServerSentEvents', 'a ReadableStream of bytes (a response body)');
  if (typeof options !== 'object' || options === null)
    throw new OpenAIError(`parseServerSentEvents: options must be an object, got ${options === null ? 'null' : typeof options}.`);
  const signal = checkSignal(options.signal);
  // No time-out and no key here: the body is the caller's, already received.
  return chunkStream(body, new Attempt(signal, Infinity, 'reading an event stream', undefined));
}

/** The chunks of a response body, tied to the attempt that fetched it: its signal, idle timer, errors and key. */
export function chunkStream(body: ReadableStream<Uint8Array>, attempt: Attempt): ChatCompletionStream {
  // Nothing is read ahead: a read of the body happens only for a read of the chunks.
  return iterable(new ReadableStream(new ChunkPump(body, attempt), { highWaterMark: 0 }));
}
