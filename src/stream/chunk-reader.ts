import { OpenAIError } from '../errors.js';
import { secretsOf } from '../http/meta.js';
import { maskValue } from '../redact.js';
import { assertReadable } from './iterable.js';
import type { ChatCompletion, ChatCompletionChunk } from '../types/index.js';

/** What the layers above the wire read: a chunk stream, or any async iterable of chunks. */
export type ChunkStreamLike = ReadableStream<ChatCompletionChunk> | AsyncIterable<ChatCompletionChunk>;

/** Chunks one at a time, and a way to let go of the rest. */
export interface ChunkReader {
  read(): Promise<IteratorResult<ChatCompletionChunk>>;
  cancel(reason: unknown): Promise<unknown>;
}

/**
 * Reads `stream` for `user` (the function named in its usage errors). A ReadableStream is read
 * by hand, never through its async iterator: WebKit's (up to Safari 26) has none.
 */
export function readChunks(stream: ChunkStreamLike, user: string): ChunkReader {
  if (typeof (stream as ReadableStream | null)?.getReader === 'function') {
    assertReadable(stream, user, 'a stream of chunks');
    const reader = (stream as ReadableStream<ChatCompletionChunk>).getReader();
    return { read: () => reader.read() as Promise<IteratorResult<ChatCompletionChunk>>, cancel: (reason) => reader.cancel(reason) };
  }
  if (typeof (stream as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] !== 'function') {
    throw new OpenAIError(`${user} takes a ReadableStream or an AsyncIterable of chunks.`);
  }
  const iterator = (stream as AsyncIterable<ChatCompletionChunk>)[Symbol.asyncIterator]();
  return { read: () => iterator.next(), cancel: async () => iterator.return?.() };
}

/** The stream ended before its first chunk: most often a stream read to its end already. */
export function noChunkError(user: string): OpenAIError {
  return new OpenAIError(`${user}: no chunk arrived; the stream ended before its first one (a stream can be read only once: was it read to its end already?).`);
}

/**
 * Gives an error the completion folded before it, where the error is an object that can take it;
 * the request's secrets (known when `partial` remembers its response) masked.
 */
export function attachPartial(error: unknown, partial: ChatCompletion): void {
  if (typeof error !== 'object' || error === null || !Object.isExtensible(error)) return;
  try {
    const value = maskValue(partial, secretsOf(partial));
    Object.defineProperty(error, 'partial', { value, enumerable: false, writable: false, configurable: true });
  } catch {
    // A proxy or an exotic object refused it: the error itself still reaches the caller.
  }
}
