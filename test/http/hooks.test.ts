import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  APIUserAbortError,
  OpenAIError,
  createChatCompletion,
  createClient,
  getChatCompletionMessages,
  getResponseMeta,
  jsonSchemaFormat,
  listChatCompletions,
  createParsedChatCompletion,
} from '../../src/index.js';
import type { RequestHookInfo, ResponseHookInfo } from '../../src/index.js';
import { everyFormOf } from '../helpers/hostile.js';
import { useLocalAPI } from '../server/setup.js';
import { caught, valuesOf } from '../helpers/streams.js';
import { waitUntil } from '../runtimes/process.js';
import { defineOwn } from '../../src/own.js';

// Hooks, key functions and response metadata, over real HTTP against the local API.
const { api, requestOptions } = useLocalAPI();
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const fast = { 'retry-after-ms': '1' };

describe('onRequest and onResponse', () => {
  it('see every attempt, retries included, set once in createClient', async () => {
    const requests: RequestHookInfo[] = [];
    const responses: ResponseHookInfo[] = [];
    const client = createClient(
      requestOptions({ apiKey: 'sk-hooks', maxRetries: 2, onRequest: (info) => requests.push(info), onResponse: (info) => responses.push(info) }),
    );
    api.faults.push({ status: 429, headers: fast });
    await client.createChatCompletion(body);
    expect(requests.map(({ method, attempt }) => [method, attempt])).toEqual([
      ['POST', 1],
      ['POST', 2],
    ]);
    expect(requests[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions$/);
    expect(responses.map(({ status, attempt }) => [status, attempt])).toEqual([
      [429, 1],
      [200, 2],
    ]);
    for (const response of responses) {
      expect(response.requestId).toMatch(/^req_fake/);
      expect(response.headers['x-request-id']).toBe(response.requestId);
      expect(response.elapsedMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('logs every call in one line', async () => {
    const lines: string[] = [];
    await listChatCompletions(
      {},
      requestOptions({ onResponse: ({ method, url, status, requestId, elapsedMs }) => lines.push(`${method} ${url} ${status} ${requestId} ${elapsedMs}ms`) }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions 200 req_fake\w+ \d+ms$/);
  });

  it('a hook that throws fails the call at once as an OpenAIError, never retried', async () => {
    const error = await caught(
      listChatCompletions(
        {},
        requestOptions({
          maxRetries: 2,
          onResponse: () => {
            throw new Error('logger down');
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toBe('The onResponse hook threw: logger down');
    expect(api.requests).toHaveLength(1);
  });
});

describe('hooks that fail, or take their time', () => {
  const failing = {
    throws: () => {
      throw new Error('logger down');
    },
    rejects: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw new Error('logger down');
    },
  };

  it.each(Object.entries(failing))('an onRequest that %s fails the call, naming it, and sends nothing', async (_, hook) => {
    const error = await caught(listChatCompletions({}, requestOptions({ maxRetries: 2, onRequest: hook })));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toBe('The onRequest hook threw: logger down');
    expect((error as Error & { cause: Error }).cause.message).toBe('logger down');
    expect(api.requests).toHaveLength(0);
  });

  it.each(Object.entries(failing))('an onResponse that %s fails the call once, never retried', async (_, hook) => {
    const error = await caught(createChatCompletion(body, requestOptions({ maxRetries: 2, onResponse: hook })));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toBe('The onResponse hook threw: logger down');
    expect(api.requests).toHaveLength(1);
  });

  it.each(Object.entries(failing))('an onResponse that %s on a stream closes it: the server stops generating', async (_, hook) => {
    api.faults.push({ stallAfterChunks: 2 });
    const error = await caught(createChatCompletion({ ...body, stream: true }, requestOptions({ onResponse: hook })));
    expect(error.message).toBe('The onResponse hook threw: logger down');
    await waitUntil(async () => api.streams[0]?.cancelled === true, `the server never saw the stream cancelled: ${JSON.stringify(api.streams)}`, 8_000);
    expect(api.streams[0]).toMatchObject({ cancelled: true, finished: true });
  });

  it('awaits an async hook before going on: the request waits for onRequest, the answer for onResponse', async () => {
    const order: string[] = [];
    const completion = await createChatCompletion(
      body,
      requestOptions({
        onRequest: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(`onRequest done, ${api.requests.length} requests seen`);
        },
        onResponse: async ({ status }) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          order.push(`onResponse done, ${status}`);
        },
      }),
    );
    order.push(`answer: ${completion.choices[0]!.message.content}`);
    expect(order).toEqual(['onRequest done, 0 requests seen', 'onResponse done, 200', 'answer: Echo: hi']);
  });

  it("stops waiting for a hook that never settles when the caller's signal aborts", async () => {
    const controller = new AbortController();
    const call = listChatCompletions({}, requestOptions({ signal: controller.signal, onRequest: () => new Promise<void>(() => {}) }));
    setTimeout(() => controller.abort(), 20);
    const error = await caught(call);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(api.requests).toHaveLength(0);
  });
});

describe('apiKey as a function', () => {
  it('is called before every attempt, so a retry gets a fresh token', async () => {
    let issued = 0;
    api.faults.push({ status: 503, headers: fast });
    await createChatCompletion(body, requestOptions({ maxRetries: 1, apiKey: async () => `token-${++issued}` }));
    expect(api.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('masks whatever it returned when the server echoes it', async () => {
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.rotating';
    api.faults.push({ status: 401, echoAuthorization: true });
    const error = await caught(listChatCompletions({}, requestOptions({ apiKey: () => token })));
    expect(await everyFormOf(error)).not.toContain(token);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('vault sealed');
      },
      'The apiKey function threw: vault sealed',
    ],
    ['rejects', () => Promise.reject(new Error('no token')), 'The apiKey function threw: no token'],
    ['gives no string', () => undefined as unknown as string, 'The apiKey function must give a non-empty string, got undefined.'],
    ['gives an empty string', () => '', "The apiKey function must give a non-empty string, got ''."],
  ])('that %s is a usage error naming it, and nothing is sent', async (_, apiKey, message) => {
    const error = await caught(listChatCompletions({}, requestOptions({ apiKey, maxRetries: 2 })));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toBe(message);
    expect(api.requests).toHaveLength(0);
  });

  it('leaves an Authorization header the caller set alone', async () => {
    await listChatCompletions({}, requestOptions({ apiKey: () => 'from-function', headers: { Authorization: 'Bearer mine' } }));
    expect(api.requests[0]!.headers.authorization).toBe('Bearer mine');
  });
});

describe('getResponseMeta', () => {
  it('gives status, headers, request id and rate limits for a completion, a list, a page, a stream and a parsed result', async () => {
    const options = requestOptions({ apiKey: 'sk-meta' });
    const stored = await createChatCompletion({ ...body, store: true }, options);
    const list = await listChatCompletions({}, options);
    const page = await getChatCompletionMessages(stored.id, {}, options);
    const stream = await createChatCompletion({ ...body, stream: true }, options);
    const streamMeta = getResponseMeta(stream);
    await valuesOf(stream);
    const parsed = await createParsedChatCompletion(
      { ...body, response_format: jsonSchemaFormat(z.object({ answer: z.string() }), { name: 'answer' }) },
      options,
    );
    const metas = [stored, list, page, parsed].map(getResponseMeta).concat(streamMeta);
    const ids = new Set(metas.map((meta) => meta?.requestId));
    expect(ids.size).toBe(5);
    for (const meta of metas) {
      expect(meta).toMatchObject({ status: 200, requestId: expect.stringMatching(/^req_fake/) });
      expect(meta!.headers['x-request-id']).toBe(meta!.requestId);
      expect(meta!.rateLimits.requests).toMatchObject({ limit: 10000, resetMs: 8640 });
      expect(meta!.rateLimits.tokens).toMatchObject({ limit: 200000, resetMs: 360_000 });
    }
  });

  it('keeps each result its own when calls overlap', async () => {
    const options = requestOptions();
    const results = await Promise.all(Array.from({ length: 8 }, () => listChatCompletions({}, options)));
    const ids = results.map((result) => getResponseMeta(result)!.requestId);
    expect(new Set(ids).size).toBe(8);
    expect(ids.sort()).toEqual(api.requests.map((_, i) => `req_fake${String(i + 1).padStart(6, '0')}`).sort());
  });

  it('gives a stream from a Response made in memory the headers one from the network gets: combined, masked, the last set-cookie, Latin-1 and __proto__ as sent', async () => {
    const key = 'sk-meta-0123456789abcdefghij';
    const headers = (type: string): [string, string][] => [
      ['content-type', type],
      ['x-request-id', 'req_memory'],
      ['x-a', '1'],
      ['X-A', '2'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-echo', `Bearer ${key}`],
      ['x-latin', 'caf\u00e9 \u00ff%20+'],
      ['__proto__', 'data'],
    ];
    const sse = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    const json = '{"id":"c","choices":[]}';
    const inMemory = (type: string, text: string) => async () => new Response(text, { headers: headers(type) });
    const stream = await createChatCompletion({ ...body, stream: true }, { apiKey: key, fetch: inMemory('text/event-stream', sse) });
    const completion = await createChatCompletion(body, { apiKey: key, fetch: inMemory('application/json', json) });
    const { 'content-type': streamType, ...fromStream } = getResponseMeta(stream)!.headers;
    const { 'content-type': jsonType, ...fromJSON } = getResponseMeta(completion)!.headers;
    expect([streamType, jsonType]).toEqual(['text/event-stream', 'application/json']);
    expect(fromStream).toEqual(fromJSON);
    const expected = { 'x-request-id': 'req_memory', 'x-a': '1, 2', 'set-cookie': 'b=2', 'x-echo': 'Bearer [REDACTED]', 'x-latin': 'caf\u00e9 \u00ff%20+' };
    defineOwn(expected, '__proto__', 'data');
    expect(fromStream).toEqual(expected);
    expect(Object.keys(fromStream)).toEqual(Object.keys(fromJSON));
    expect(Object.getPrototypeOf(fromStream)).toBe(Object.prototype);
    expect(getResponseMeta(stream)!.requestId).toBe('req_memory');
    await valuesOf(stream);
  });

  it('says undefined for anything the SDK did not return', () => {
    expect(getResponseMeta({})).toBeUndefined();
    expect(getResponseMeta(null)).toBeUndefined();
    expect(getResponseMeta('x')).toBeUndefined();
  });
});
