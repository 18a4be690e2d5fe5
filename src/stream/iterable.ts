import { OpenAIError } from '../errors.js';
import type { ChatCompletionChunk } from '../types/index.js';

/**
 * A web `ReadableStream` that `for await` can read in every runtime and every tsconfig: the
 * shape of every stream this SDK returns. Its `tee()` gives two streams of the same shape, so
 * each branch can be read with `for await` too (in Safari as well).
 *
 * @example
 * const [forUi, forLog] = stream.tee();
 * for await (const chunk of forUi) render(chunk);
 */
export type IterableStream<T> = IterableTee<T> & ReadableStream<T> & AsyncIterable<T>;

/**
 * `tee()` returning iterable branches. Listed first in `IterableStream`: of an intersection's
 * call signatures the first that fits is the one TypeScript picks.
 */
export interface IterableTee<T> {
  /** Two branches that each read every value of this stream (the web `tee()`), each one an `IterableStream`. */
  tee(): [IterableStream<T>, IterableStream<T>];
}

/** What `createChatCompletion({ stream: true })` and `parseServerSentEvents` return. */
export type ChatCompletionChunkStream = IterableStream<ChatCompletionChunk>;

/** @deprecated Use `ChatCompletionChunkStream`; removed in the next minor version. */
export type ChatCompletionStream = ChatCompletionChunkStream;

/**
 * Gives `stream` an async iterator where the runtime lacks one (WebKit up to Safari 26 and every
 * iOS browser have no `ReadableStream.prototype[Symbol.asyncIterator]`), and a `tee()` whose
 * branches get one too, and returns it, typed so that `for await` compiles without the
 * `DOM.AsyncIterable` lib. Where the runtime has its own iterator nothing is added (its `tee()`
 * branches are iterable already): a consumer that uses `getReader()` pays nothing either way.
 */
export function iterable<T>(stream: ReadableStream<T>): IterableStream<T> {
  if (!(Symbol.asyncIterator in stream)) {
    Object.defineProperty(stream, Symbol.asyncIterator, { value: iterate, configurable: true, writable: true });
    Object.defineProperty(stream, 'tee', { value: tee, configurable: true, writable: true });
  }
  return stream as IterableStream<T>;
}

/**
 * The web `tee()`, its branches made iterable. The prototype's own `tee` is called, not this
 * realm's `ReadableStream.prototype.tee`: a stream made in another realm (an iframe) fails the
 * latter's brand check.
 */
function tee<T>(this: ReadableStream<T>): [IterableStream<T>, IterableStream<T>] {
  const [first, second] = (Object.getPrototypeOf(this) as ReadableStream<T>).tee.call(this);
  return [iterable(first), iterable(second)];
}

/**
 * The native iterator's behaviour: leaving the loop (`break`, `return`, a `throw` in its body)
 * cancels the stream, which releases the response body; an error of the stream propagates.
 */
async function* iterate<T>(this: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
  const reader = this.getReader();
  let finished = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) break;
      yield result.value;
    }
    finished = true;
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    // Left early: a generator's `return()` runs this with the stream still open.
    if (!finished) await reader.cancel();
    reader.releaseLock();
  }
}

/**
 * Throws an `OpenAIError` naming `user` unless `stream` is a `ReadableStream` nobody is reading
 * (`what` says what it should hold): a usage mistake fails at once, before any reader, listener
 * or timer exists, never as the runtime's `TypeError` from deep inside.
 */
export function assertReadable(stream: unknown, user: string, what: string): asserts stream is ReadableStream {
  if (typeof (stream as ReadableStream | null)?.getReader !== 'function') throw new OpenAIError(`${user} takes ${what}, got ${describe(stream)}.`);
  if ((stream as ReadableStream).locked) {
    throw new OpenAIError(`${user}: the stream is locked, another reader is reading it (use stream.tee() to read one stream twice).`);
  }
}

/** What was given instead of a stream, for a usage error. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof Response === 'function' && value instanceof Response) return 'a Response (pass its body)';
  if (typeof (value as AsyncIterable<unknown> | undefined)?.[Symbol.asyncIterator] === 'function') return 'an async iterable that is no ReadableStream';
  return typeof value;
}
