import { InvalidResponseError } from './errors.js';
import { withRetries, toSDKError } from './request.js';
import type { APIRequest } from './request.js';
import { parseJSONBody, readText, responseInfo } from './response.js';
import { parseServerSentEvents } from './sse.js';
import type { ChatCompletionChunk, RequestOptions } from './types/index.js';

/**
 * Sends a streaming request and resolves, once a 2xx response's headers arrive, to its chunks.
 * Retries happen only before that: nothing is retried once chunks may have been delivered.
 */
export function requestStream(request: APIRequest, options: RequestOptions | undefined): Promise<ReadableStream<ChatCompletionChunk>> {
  return withRetries(request, options, async (response, attempt, o) => {
    const info = responseInfo(response, o.apiKey);
    const type = info.headers['content-type'];
    // Only a body that is plainly not an event stream is refused: compatible servers and
    // proxies label real streams loosely (text/plain, octet-stream, nothing at all).
    if (!response.body || /json|html/i.test(type ?? '')) {
      // A server that ignored `stream: true`, or a gateway's page: surface its error, or say so.
      const what = `${request.method} ${request.path}`;
      parseJSONBody(info, await readText(response, attempt.touch).finally(attempt.done), what, o.apiKey);
      throw new InvalidResponseError(info, `${what}: expected a text/event-stream response, got ${type ?? 'no content type'}`);
    }
    return parseServerSentEvents(response.body, {
      info,
      onRead: attempt.touch,
      onFinish: attempt.done,
      signal: attempt.signal(),
      mapError: (error) => toSDKError(error, attempt, o),
    });
  });
}
