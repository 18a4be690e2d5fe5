import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpenAIError, createChatCompletion, listChatCompletions, parseServerSentEvents } from '../src/index.js';
import { APIError } from '../src/errors.js';
import { parseBody } from '../src/http/response.js';
import { testAttempt } from './helpers/attempt.js';
import { bodyOf, readAll, split } from './helpers/streams.js';

// Whatever a server sends, the SDK ends with data or with one of its own errors: never a
// bare SyntaxError or TypeError, never a hang (a hang fails the test by its time-out).
const encoder = new TextEncoder();

/** Bytes that look like an event stream often enough to reach deep into the parser. */
const sseish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'data: ',
        'data:',
        'event: error\n',
        ': ping\n',
        '\n',
        '\r\n',
        '\r',
        'data: [DONE]\n\n',
        '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
        '{"error":{"message":"x"}}',
        '{"choices":',
        'null',
        '"',
        '\uFEFF',
        'é',
        '🎉',
      ),
      fc.string(),
    ),
    { maxLength: 30 },
  )
  .map((parts) => encoder.encode(parts.join('')));

const anyBytes = fc.oneof(sseish, fc.uint8Array({ maxLength: 300 }));

/** `bytes` cut at `cuts` (taken modulo its length), one piece a pull. */
const body = (bytes: Uint8Array, cuts: number[]) =>
  bodyOf(
    split(
      bytes,
      cuts.map((cut) => cut % (bytes.length + 1)),
    ),
  );

/** The error the stream ends with, or undefined. */
const drain = async (stream: ReadableStream<unknown>) => (await readAll(stream)).error;

describe('fuzzing', () => {
  it('the SSE parser ends every byte sequence, split anywhere, with chunks or an SDK error', async () => {
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.array(fc.nat(), { maxLength: 8 }), async (bytes, cuts) => {
        const error = await drain(parseServerSentEvents(body(bytes, cuts)));
        if (error !== undefined) expect(error).toBeInstanceOf(OpenAIError);
      }),
      { numRuns: 500 },
    );
  });

  it('error bodies of any text give an APIError with the status', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, text) => {
        let error: APIError | undefined;
        try {
          const response = new Response(null, { status });
          parseBody(response, text, testAttempt({ response, secret: 'sk-fuzz' }));
        } catch (thrown) {
          error = thrown as APIError;
        }
        expect(error).toBeInstanceOf(APIError);
        expect(error!.status).toBe(status);
        expect(error!.message).not.toContain('sk-fuzz');
      }),
      { numRuns: 1000 },
    );
  });

  it('2xx bodies of any text give an object or an SDK error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          const response = new Response(null, { status: 200 });
          const value = parseBody(response, text, testAttempt({ response }));
          expect(typeof value).toBe('object');
        } catch (error) {
          expect(error).toBeInstanceOf(OpenAIError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('any status, content type and body through the whole request path end in data or an SDK error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(200, 201, 204, 301, 400, 401, 404, 429, 500, 502),
        fc.constantFrom('application/json', 'text/event-stream', 'text/html', 'text/plain', ''),
        anyBytes,
        fc.boolean(),
        async (status, type, bytes, stream) => {
          const fetch = async () => new Response(status === 204 ? null : bytes, { status, headers: type ? { 'content-type': type } : {} });
          const options = { fetch, apiKey: 'k', maxRetries: 0 };
          const call = stream ? createChatCompletion({ model: 'm', messages: [], stream: true }, options).then(drain) : listChatCompletions({}, options);
          const error = await call.then(
            (result) => (result instanceof Error ? result : undefined),
            (e: unknown) => e,
          );
          if (error !== undefined) expect(error).toBeInstanceOf(OpenAIError);
        },
      ),
      { numRuns: 500 },
    );
  });
});
