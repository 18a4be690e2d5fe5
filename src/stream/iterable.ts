import type { ChatCompletionChunk } from '../types/index.js';

/**
 * A web `ReadableStream` that `for await` can read in every runtime and every tsconfig: the
 * shape of every stream this SDK returns.
 */
export type IterableStream<T> = ReadableStream<T> & AsyncIterable<T>;

/** What `createChatCompletion({ stream: true })` and `parseServerSentEvents` return. */
export type ChatCompletionStream = IterableStream<ChatCompletionChunk>;

/**
 * Gives `stream` an async iterator where the runtime lacks one (WebKit up to Safari 26 and every
 * iOS browser have no `ReadableStream.prototype[Symbol.asyncIterator]`), and returns it, typed
 * so that `for await` compiles without the `DOM.AsyncIterable` lib. Where the runtime has its own
 * iterator nothing is added: a consumer that uses `getReader()` pays nothing either way.
 */
export function iterable<T>(stream: ReadableStream<T>): IterableStream<T> {
  if (!(Symbol.asyncIterator in stream)) {
    Object.defineProperty(stream, Symbol.asyncIterator, { value: iterate, configurable: true, writable: true });
  }
  return stream as IterableStream<T>;
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
