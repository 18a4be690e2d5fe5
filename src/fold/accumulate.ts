import { attachPartial, noChunkError, readChunks } from '../stream/chunk-reader.js';
import type { ChunkStreamLike } from '../stream/chunk-reader.js';
import { copyResponse } from '../http/meta.js';
import { createFold } from './chunk.js';
import type { Fold } from './chunk.js';
import type { ChatCompletion } from '../types/index.js';
import { noop } from '../own.js';

/**
 * Folds a streamed chat completion into the `ChatCompletion` the same request without
 * `stream` returns, schema-free: fields it does not know are kept, by one rule — **in a delta,
 * strings are pieces joined in order and lists grow, except a field that has only ever repeated
 * one same value, which is a label kept once; elsewhere the latest value counts; and anywhere
 * `null` or `""` adds nothing and erases nothing.** So `content`, `refusal`, `reasoning_content`,
 * tool-call `arguments` and audio join; `role`, `type`, `id`, `name`, Groq's `channel` do not
 * double. (The price: a text made only of one repeated piece, `"ha"` then `"ha"`, folds to one.)
 *
 * - List elements that carry an `index` merge into the element at that index (choices, tool
 *   calls, Groq's `executed_tools`, OpenRouter's `reasoning_details`), in index order; a choice
 *   without one is index 0. Any index is kept as given — negative, fractional, huge or a
 *   string — and costs one map entry, never a sparse array; numeric indices sort first. A tool
 *   call's `index` is dropped, as the non-streamed tool calls have none. Tool calls without an
 *   `index` (Mistral's) are told apart by `id`: a new id is a new call, a piece without one
 *   continues the call before it. A tool call without `type` is a `function` call.
 * - `content` sent as a list of parts (Mistral's thinking) ends as that list, parts of the same
 *   `type` in a row merged; strings around it become text parts. A model that streams only
 *   strings gets a plain string. An empty refusal is `null`.
 * - Keys `__proto__`, `constructor` and `prototype` are kept as own data properties, as
 *   `JSON.parse` of the non-streamed answer keeps them; nothing is written to a prototype.
 *   A chunk nested deeper than 100 levels rejects with an `OpenAIError`.
 *
 * Rejects with an `OpenAIError` when no chunk arrived (a stream already read to its end) or the
 * stream is locked. When the stream fails (cut, abort, time-out, an error event, a throw of
 * your source), rejects with that same error, carrying the completion folded so far as its
 * non-enumerable `partial` property once a chunk has arrived.
 *
 * @example
 * const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
 * const [forUi, forLog] = stream.tee();
 * accumulateChatCompletion(forLog).then(save, (e) => e.partial && save(e.partial));
 */
export async function accumulateChatCompletion(stream: ChunkStreamLike): Promise<ChatCompletion> {
  const fold = createFold();
  // The folded completion (every snapshot is the same object) remembers the stream's response:
  // `getResponseMeta` reads it, and the layers above mask the request's secrets in what errors carry.
  copyResponse(stream, fold.snapshot());
  try {
    await readInto(fold, stream);
  } catch (error) {
    if (fold.count > 0) attachPartial(error, fold.snapshot());
    throw error;
  }
  if (fold.count === 0) throw noChunkError('accumulateChatCompletion');
  return fold.snapshot();
}

async function readInto(fold: Fold, stream: ChunkStreamLike): Promise<void> {
  const source = readChunks(stream, 'accumulateChatCompletion');
  try {
    for (let result = await source.read(); !result.done; result = await source.read()) fold.add(result.value);
  } catch (error) {
    // Release the body when the fold itself failed; on a failed stream this is a no-op.
    source.cancel(error).catch(noop);
    throw error;
  }
}
