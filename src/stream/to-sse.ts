import { publicErrorFields } from '../errors.js';
import { assertReadable, iterable } from './iterable.js';
import type { IterableStream } from './iterable.js';
import type { ChatCompletionChunk } from '../types/index.js';

/**
 * Turns a chunk stream back into `text/event-stream` bytes: one `data: <json>` event a chunk,
 * then `data: [DONE]`, as the API sends them, so `parseServerSentEvents` on the other side
 * gives the same chunks. Pull-based: a chunk is read only when the bytes before it have been
 * read, and cancelling the bytes cancels the chunks (and so the request upstream).
 * If the chunks fail, one `event: error` carrying only the error's message, type, code and
 * param ends the stream (never headers or a stack); the other side raises it as an `APIError`.
 * Throws an `OpenAIError` at once for anything but a `ReadableStream` nobody is reading yet.
 *
 * @example
 * // An edge function that keeps the API key on the server.
 * export async function POST(request: Request): Promise<Response> {
 *   const { messages } = await request.json();
 *   const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, stream: true });
 *   return new Response(toServerSentEvents(stream), { headers: { 'content-type': 'text/event-stream' } });
 * }
 */
export function toServerSentEvents(stream: ReadableStream<ChatCompletionChunk>): IterableStream<Uint8Array> {
  assertReadable(stream, 'toServerSentEvents', 'a ReadableStream of chunks');
  const reader = stream.getReader();
  const encoder = new TextEncoder();
  const bytes = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let event: string;
        try {
          const { done, value } = await reader.read();
          if (done) {
            controller.enqueue(encoder.encode('data: [DONE]\n\n'));
            return controller.close();
          }
          event = `data: ${JSON.stringify(value)}\n\n`;
        } catch (error) {
          // A chunk JSON cannot encode leaves the source open: release it. An errored one ignores this.
          reader.cancel(error).catch(() => {});
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ error: publicErrorFields(error) })}\n\n`));
          // No [DONE]: the other side must not take a failed answer for a finished one.
          return controller.close();
        }
        controller.enqueue(encoder.encode(event));
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Nothing is read ahead: a chunk is pulled only for a read of the bytes.
    { highWaterMark: 0 },
  );
  return iterable(bytes);
}
