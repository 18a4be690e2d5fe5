import type { ChatCompletion, ChatCompletionChunk } from './types/index.js';

// The fold is schema-free on purpose: whatever a compatible server adds (Azure's content filter
// results, DeepSeek's `reasoning_content`, ...) survives without a type for it here.
type Node = Record<string, any>;

/**
 * Strings in a delta that name a thing rather than add to it: a server may repeat them
 * (some resend `role` or a tool call's first entry), and joining would double them.
 */
const NAMES = new Set(['role', 'id', 'type', 'name']);

/**
 * Folds a streamed chat completion into the `ChatCompletion` the same request without
 * `stream` returns: `content` and `refusal` joined (`null` when none arrived), tool calls
 * merged by `index`, legacy `function_call`, logprobs, `usage` (with
 * `stream_options.include_usage`), every choice in index order when `n` > 1, and audio. Fields
 * it does not know are kept. Rejects with the stream's own error if the stream fails.
 *
 * @example
 * const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
 * const [forUi, forLog] = stream.tee();
 * accumulateChatCompletion(forLog).then((completion) => save(completion));
 */
export async function accumulateChatCompletion(stream: ReadableStream<ChatCompletionChunk> | AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletion> {
  const completion: Node = { id: '', object: 'chat.completion', created: 0, model: '', choices: [] };
  // A ReadableStream is read by hand: Safari's has no async iterator.
  if ('getReader' in stream) {
    const reader = stream.getReader();
    try {
      for (let result; !(result = await reader.read()).done; ) merge(completion, result.value, false);
    } catch (error) {
      // Release the body when the fold itself failed; on an errored stream this is a no-op.
      reader.cancel(error).catch(() => {});
      throw error;
    }
  } else for await (const chunk of stream) merge(completion, chunk, false);
  // Indices a server skipped leave holes: the non-streamed lists have none.
  const choices = (completion.choices = completion.choices.filter(Boolean));
  for (const { message } of choices) if (message.tool_calls) message.tool_calls = message.tool_calls.filter(Boolean);
  return completion as ChatCompletion;
}

/**
 * Adds `source` to `target`. Inside a delta or logprobs (`pieces`), strings and arrays are
 * pieces to join; elsewhere a value is the same in every chunk (or the latest counts, as with
 * a server that repeats `citations` or counts `usage` as it goes), so it replaces.
 */
function merge(target: Node, source: Node, pieces: boolean): void {
  for (const key in source) {
    const value = source[key];
    const prev = target[key];
    // `index` is where a piece goes, not data; `object` and `obfuscation` describe the chunk.
    if (key === 'index' || key === 'object' || key === 'obfuscation') continue;
    if (key === 'delta') merge(target.message, value, true);
    // A `null` says "nothing in this chunk", never "erase what came before".
    else if (value == null) {
      if (!(key in target)) target[key] = value;
    } else if (key === 'choices' || key === 'tool_calls') {
      const list: Node[] = prev || (target[key] = []);
      for (const item of value) {
        const index = item.index | 0;
        merge(list[index] || (list[index] = key === 'choices' ? choice(index) : {}), item, pieces);
      }
    } else if (key === 'logprobs') merge(prev || (target[key] = {}), value, true);
    else if (pieces && typeof value === 'string' && typeof prev === 'string' && !NAMES.has(key)) target[key] = prev + value;
    else if (Array.isArray(value)) {
      // Copied and then appended to in place: concat per chunk would be quadratic.
      if (pieces && Array.isArray(prev)) for (const item of value) prev.push(item);
      else target[key] = value.slice();
    } else if (typeof value === 'object') merge(prev && typeof prev === 'object' && !Array.isArray(prev) ? prev : (target[key] = {}), value, pieces);
    else target[key] = value;
  }
}

/** A choice before its first delta: what the non-streamed API returns when nothing arrives. */
function choice(index: number): Node {
  return { index, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason: null };
}
