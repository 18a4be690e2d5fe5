import { secretsOf } from '../http/meta.js';
import { maskText } from '../redact.js';
import type { Secrets } from '../redact.js';
import { assertReadable, iterable } from './iterable.js';
import type { IterableStream } from './iterable.js';
import type { ChatCompletionChunk } from '../types/index.js';
import { noop } from '../own.js';

/**
 * Turns a chunk stream back into `text/event-stream` bytes: one `data: <json>` event a chunk,
 * then `data: [DONE]`, as the API sends them, so `parseServerSentEvents` on the other side
 * gives the same chunks. Pull-based: a chunk is read only when the bytes before it have been
 * read, and cancelling the bytes cancels the chunks (and so the request upstream).
 * If the chunks fail, one `event: error` ends the stream, holding only what a page may see: the
 * error's name, status and request id, and the API's own message, type, code and param, the
 * request's secrets masked (see `RelayedError`); never a URL, a host, headers, a cause or a
 * stack. The other side raises it as an `APIError` carrying the API's `error` object.
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
          reader.cancel(error).catch(noop);
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify(relayedError(error, secretsOf(stream)))}\n\n`));
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

/** What a page is told of an error that ended a relayed stream: `toServerSentEvents` writes it as `event: error`. */
export interface RelayedError {
  /** The API's own error object: its message, masked, or a plain word for a failure of another kind. */
  error: { message: string; type: string | number | null; code: string | number | null; param: string | number | null };
  /** The error's class name (`APIError`, `APIConnectionError`, …); `Error` for any error not of this SDK. */
  name: string;
  /** The HTTP status of the upstream answer, when there was one. */
  status: number | null;
  /** The upstream's `x-request-id`, to quote to its support. */
  request_id: string | null;
}

/** The SDK's own names, the only ones passed on: an app's own error name could say anything. */
const SDK_NAME =
  /^(?:OpenAI|API|InvalidResponse|APIConnection|APIConnectionTimeout|APIUserAbort|BadRequest|Authentication|PermissionDenied|NotFound|Conflict|UnprocessableEntity|RateLimit|InternalServer)Error$/;
/** What a page reads for a failure that is not the API's own: never the message, which names hosts and URLs. */
const PLAIN_MESSAGES: Record<string, string> = {
  InvalidResponseError: 'The upstream answer was cut or malformed.',
  APIConnectionError: 'Connection error.',
  APIConnectionTimeoutError: 'Request timed out.',
  APIUserAbortError: 'Request was aborted.',
};
const PLAIN_MESSAGE = 'The stream failed.';

/**
 * What a page may see of `error`: its name, status and request id, and the API's own message,
 * type, code and param, with `secrets` masked; never a URL, a host, headers, a cause or a stack.
 * Duck-typed on `.error`, so an `APIError` from another copy of this package, or from the
 * official SDK, is read too.
 */
export function relayedError(error: any, secrets: Secrets | undefined): RelayedError {
  const api = error?.error;
  const own = api && typeof api === 'object' && typeof api.message === 'string' && api.message ? api : undefined;
  const name = typeof error?.name === 'string' && SDK_NAME.test(error.name) ? (error.name as string) : 'Error';
  const status = error?.status;
  const requestId = error?.requestId ?? error?.requestID ?? error?.request_id;
  const field = (value: unknown) => primitive(typeof value === 'string' ? maskText(value, secrets) : value);
  return {
    error: {
      message: own ? maskText(own.message, secrets) : (PLAIN_MESSAGES[name] ?? PLAIN_MESSAGE),
      type: field(own?.type),
      code: field(own?.code),
      param: field(own?.param),
    },
    name,
    status: Number.isInteger(status) ? status : null,
    request_id: typeof requestId === 'string' ? maskText(requestId, secrets) : null,
  };
}

/** Strings and numbers only: an object here could carry anything. */
function primitive(value: unknown): string | number | null {
  return typeof value === 'string' || typeof value === 'number' ? value : null;
}
