import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  InvalidResponseError,
  OpenAIError,
  RateLimitError,
} from '../../src/errors.js';
import { parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import { toServerSentEvents } from '../../src/stream/to-sse.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';
import { bodyOf, fixture, fixtureNames, readAll } from '../helpers/streams.js';

// ---------------------------------------------------------------------------------------------
// Helpers: a chunk source that counts its pulls.

interface Source {
  stream: ReadableStream<ChatCompletionChunk>;
  pulls: number;
  cancelled: boolean;
  cancelReason: unknown;
}

/** Hands out one chunk a pull, nothing ahead; then closes, or fails with `error` if given. */
function source(chunks: unknown[], error?: unknown): Source {
  let next = 0;
  const s: Source = {
    pulls: 0,
    cancelled: false,
    cancelReason: undefined,
    stream: new ReadableStream<ChatCompletionChunk>(
      {
        pull(controller) {
          s.pulls++;
          if (next < chunks.length) controller.enqueue(chunks[next++] as ChatCompletionChunk);
          else if (error !== undefined) controller.error(error);
          else controller.close();
        },
        cancel(reason) {
          s.cancelled = true;
          s.cancelReason = reason;
        },
      },
      { highWaterMark: 0 },
    ),
  };
  return s;
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  const { values, error } = await readAll(stream);
  expect(error).toBeUndefined();
  return new TextDecoder().decode(Buffer.concat(values));
}

async function fixtureChunks(name: string): Promise<ChatCompletionChunk[]> {
  const { values, error } = await readAll(parseServerSentEvents(bodyOf(fixture(name))));
  expect(error).toBeUndefined();
  return values;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const chunk = (content: string | null, finish_reason: string | null = null) => ({
  id: 'chatcmpl-t',
  object: 'chat.completion.chunk',
  created: 1727000000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason }],
});

// ---------------------------------------------------------------------------------------------

describe('the bytes', () => {
  it('writes one data event a chunk and ends with [DONE]', async () => {
    const out = await text(toServerSentEvents(source([chunk('Hé 👋'), chunk(null, 'stop')]).stream));
    expect(out).toBe(
      'data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hé 👋"},"logprobs":null,"finish_reason":null}]}\n\n' +
        'data: {"id":"chatcmpl-t","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":null},"logprobs":null,"finish_reason":"stop"}]}\n\n' +
        'data: [DONE]\n\n',
    );
  });

  it('writes only [DONE] for a stream with no chunks', async () => {
    expect(await text(toServerSentEvents(source([]).stream))).toBe('data: [DONE]\n\n');
  });

  it('gives one UTF-8 piece per chunk, and one for [DONE]', async () => {
    const { values } = await readAll(toServerSentEvents(source([chunk('a'), chunk('b', 'stop')]).stream));
    expect(values).toHaveLength(3);
    for (const value of values) expect(value).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(values[2])).toBe('data: [DONE]\n\n');
  });
});

describe('the round trip through parseServerSentEvents', () => {
  for (const name of fixtureNames) {
    it(`gives back the chunks of ${name}`, async () => {
      const chunks = await fixtureChunks(name);
      expect(chunks.length).toBeGreaterThan(0);
      const { values, error } = await readAll(parseServerSentEvents(toServerSentEvents(source(chunks).stream)));
      expect(error).toBeUndefined();
      expect(values).toStrictEqual(chunks);
    });
  }
});

describe('a failing source', () => {
  const hidden = ['sk-secret-key', 'cookie=abc', 'internal-detail', '10.0.0.5', 'http://'];

  it("becomes an error event with the error's name, status, request id and the API's own fields; the other side raises an APIError", async () => {
    const failure = new APIError(
      { status: 429, headers: { 'x-request-id': 'req_seen', 'set-cookie': 'cookie=abc', authorization: 'Bearer sk-secret-key' }, requestId: 'req_seen' },
      { message: 'Rate limit reached for gpt-4o-mini.', type: 'requests', code: 'rate_limit_exceeded', param: null, internal: 'internal-detail' },
    );
    const bytes = await text(toServerSentEvents(source([chunk('Hi')], failure).stream));

    const event =
      'event: error\ndata: {"error":{"message":"Rate limit reached for gpt-4o-mini.","type":"requests","code":"rate_limit_exceeded","param":null},"name":"APIError","status":429,"request_id":"req_seen"}\n\n';
    expect(bytes.endsWith(event)).toBe(true);
    expect(bytes).not.toContain('[DONE]');
    for (const secret of hidden) expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain('    at '); // a stack frame

    const { values, error } = await readAll(parseServerSentEvents(bodyOf(new TextEncoder().encode(bytes))));
    expect(values).toStrictEqual([chunk('Hi')]);
    expect(error).toBeInstanceOf(APIError);
    const api = error as APIError;
    expect(api.error).toStrictEqual({ message: 'Rate limit reached for gpt-4o-mini.', type: 'requests', code: 'rate_limit_exceeded', param: null });
    expect(api.message).toBe('200 Rate limit reached for gpt-4o-mini.');
    expect([api.type, api.code, api.param]).toEqual(['requests', 'rate_limit_exceeded', null]);
  });

  it('says only a plain word for any other failure: never its message (which names the upstream URL), stack or cause', async () => {
    const failure = new APIConnectionError('Connection error (POST http://10.0.0.5:8080/v1/chat/completions).', { cause: new Error('internal-detail') });
    const bytes = await text(toServerSentEvents(source([], failure).stream));
    expect(bytes).toBe(
      'event: error\ndata: {"error":{"message":"Connection error.","type":null,"code":null,"param":null},"name":"APIConnectionError","status":null,"request_id":null}\n\n',
    );

    const { error } = await readAll(parseServerSentEvents(bodyOf(new TextEncoder().encode(bytes))));
    expect((error as APIError).error).toStrictEqual({ message: 'Connection error.', type: null, code: null, param: null });
    expect((error as APIError).status).toBe(200);
  });

  it("names a status class by its own name, and keeps the API's message", async () => {
    const failure = new RateLimitError({ status: 429, headers: {}, requestId: 'req_429' }, { message: 'Slow down.', type: 'requests' });
    const bytes = await text(toServerSentEvents(source([], failure).stream));
    expect(JSON.parse(bytes.slice(bytes.indexOf('data: ') + 6))).toEqual({
      error: { message: 'Slow down.', type: 'requests', code: null, param: null },
      name: 'RateLimitError',
      status: 429,
      request_id: 'req_429',
    });
  });

  it.each([
    [
      'a cut stream',
      new InvalidResponseError({ status: 200, headers: {}, requestId: 'req_cut' }, 'The stream ended (POST http://10.0.0.5/v1/chat/completions).'),
      'InvalidResponseError',
      'The upstream answer was cut or malformed.',
    ],
    [
      'a time-out',
      new APIConnectionTimeoutError('Request timed out: nothing received for 5 ms (POST http://10.0.0.5/v1).'),
      'APIConnectionTimeoutError',
      'Request timed out.',
    ],
    ['an abort', new APIUserAbortError(), 'APIUserAbortError', 'Request was aborted.'],
    ["the app's own error, secret and all", new Error('vault at http://10.0.0.5 says sk-secret-key'), 'Error', 'The stream failed.'],
    ['a thrown non-Error', 'sk-secret-key', 'Error', 'The stream failed.'],
    ['an error named like a secret', Object.assign(new Error('x'), { name: 'sk-secret-key' }), 'Error', 'The stream failed.'],
  ])('%s: %s, in plain words', async (_, failure, name, message) => {
    const bytes = await text(toServerSentEvents(source([], failure).stream));
    const data = JSON.parse(bytes.slice(bytes.indexOf('data: ') + 6));
    expect(data).toMatchObject({ error: { message }, name });
    for (const secret of hidden) expect(bytes).not.toContain(secret);
  });

  it('drops fields of an error object that are not strings or numbers', async () => {
    const failure = { error: { message: 'Bad', type: { headers: 'sk-secret-key' }, code: 400, param: ['x'] }, requestId: { leak: 1 } };
    expect(await text(toServerSentEvents(source([], failure).stream))).toBe(
      'event: error\ndata: {"error":{"message":"Bad","type":null,"code":400,"param":null},"name":"Error","status":null,"request_id":null}\n\n',
    );
  });

  it('reports a chunk JSON cannot encode, and releases the source', async () => {
    const s = source([chunk('a'), { ...chunk('b'), big: 1n }, chunk('c')]);
    const bytes = await text(toServerSentEvents(s.stream));
    expect(bytes.split('\n\n')[1]).toBe(
      'event: error\ndata: {"error":{"message":"The stream failed.","type":null,"code":null,"param":null},"name":"Error","status":null,"request_id":null}',
    );
    expect(bytes).not.toContain('"c"');
    expect(s.cancelled).toBe(true);
  });
});

describe('the consumer is in charge', () => {
  it('pulls a chunk from the source only when the consumer reads', async () => {
    let served = 0;
    let pulls = 0;
    const endless = new ReadableStream<ChatCompletionChunk>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(chunk(String(served++)) as ChatCompletionChunk);
        },
      },
      { highWaterMark: 0 },
    );
    const reader = toServerSentEvents(endless).getReader();
    await settle();
    expect(pulls).toBe(0);
    for (let read = 1; read <= 3; read++) {
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toContain(`"content":"${read - 1}"`);
      await settle();
      expect(pulls).toBe(read);
    }
    await reader.cancel();
  });

  it('cancels the source, with the reason, when the bytes are cancelled', async () => {
    const s = source([chunk('a'), chunk('b'), chunk(null, 'stop')]);
    const reader = toServerSentEvents(s.stream).getReader();
    await reader.read();
    await reader.cancel('client went away');
    expect(s.cancelled).toBe(true);
    expect(s.cancelReason).toBe('client went away');
    expect(s.pulls).toBe(1);
  });

  it('cancels the source even before anything was read', async () => {
    const s = source([chunk('a')]);
    await toServerSentEvents(s.stream).cancel();
    expect(s.cancelled).toBe(true);
    expect(s.pulls).toBe(0);
  });
});

describe('usage mistakes', () => {
  it.each([
    [
      'a locked stream',
      () => {
        const { stream } = source([]);
        stream.getReader();
        return stream;
      },
      /^toServerSentEvents: the stream is locked, another reader is reading it/,
    ],
    ['null', () => null, /^toServerSentEvents takes a ReadableStream of chunks, got null\.$/],
    ['an async iterable', () => (async function* () {})(), /got an async iterable that is no ReadableStream\.$/],
    ['a number', () => 42, /got number\.$/],
  ])('%s is an OpenAIError at once', (_, make, message) => {
    let thrown: unknown;
    try {
      toServerSentEvents(make() as ReadableStream<ChatCompletionChunk>);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OpenAIError);
    expect((thrown as Error).message).toMatch(message);
  });
});
