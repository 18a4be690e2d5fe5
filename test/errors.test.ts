import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  InvalidResponseError,
  OpenAIError,
  createChatCompletion,
  getChatCompletion,
  listChatCompletions,
} from '../src/index.js';
import type { RequestOptions } from '../src/index.js';
import { useLocalAPI } from './server/setup.js';
import { caught, readAll } from './helpers/streams.js';
import { serve } from './server/http.js';
import type { Served } from './server/http.js';

const KEY = 'sk-proj-SECRET-0123456789';
const { api, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: KEY });

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
/** A fetch that answers every request with the given response, in process. */
const answer = (make: () => Response): RequestOptions => ({ ...options, fetch: async () => make() });

/** Every place an error could carry the key: message, stack, toString, JSON, own fields. */
function expectNoKey(error: unknown) {
  const e = error as Error;
  for (const text of [e.message, e.stack ?? '', String(e), JSON.stringify(e), JSON.stringify(Object.entries(e))]) {
    expect(text).not.toContain(KEY);
  }
}

describe('API errors', () => {
  it('carries status, headers, request id and the error object; the message reads "400 <message>"', async () => {
    const error = await caught(createChatCompletion({ messages: body.messages } as never, options));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(OpenAIError);
    const apiError = error as APIError;
    expect(apiError.name).toBe('BadRequestError');
    expect(apiError.status).toBe(400);
    expect(apiError.message).toBe(`400 ${apiError.error.message}`);
    expect(apiError.error).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    expect(apiError.param).toBe('model');
    expect(apiError.type).toBe('invalid_request_error');
    expect(apiError.requestId).toMatch(/\S/);
    expect(apiError.requestId).toBe(apiError.headers['x-request-id']);
    expect(apiError.headers['content-type']).toMatch(/application\/json/);
  });

  it('gives a 404 for an unknown id with the code', async () => {
    const error = (await caught(getChatCompletion('chatcmpl-nope', options))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/^404 .*chatcmpl-nope/);
  });

  it('turns an HTML 502 page into an APIError with the status and a short excerpt', async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${'<p>upstream unavailable</p>'.repeat(200)}</body></html>`;
    api.faults.push({ status: 502, body: page, headers: { 'content-type': 'text/html' } });
    const error = (await caught(listChatCompletions({}, options))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^502 <!DOCTYPE html><html><head><title>502 Bad Gateway/);
    expect(error.message.length).toBeLessThan(300);
  });

  it('gives an APIError for an empty error body', async () => {
    const error = (await caught(
      listChatCompletions(
        {},
        answer(() => new Response(null, { status: 503 })),
      ),
    )) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe('503 status code (no body)');
  });

  it('gives an APIError for a 200 whose JSON is an error object', async () => {
    const error = (await caught(
      listChatCompletions(
        {},
        answer(() => Response.json({ error: { message: 'quota', type: 'insufficient_quota', code: 'q' } })),
      ),
    )) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 200, code: 'q', message: '200 quota' });
  });

  it('gives an InvalidResponseError, not a SyntaxError, for a 200 that is not JSON', async () => {
    for (const text of ['<html>oops</html>', '', '{"id": "trunc', '[1,2]', 'null']) {
      const error = await caught(
        listChatCompletions(
          {},
          answer(() => new Response(text, { status: 200 })),
        ),
      );
      expect(error, text).toBeInstanceOf(InvalidResponseError);
      expect(error.message, text).toMatch(/^The 200 response to GET http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions is not a JSON object: /);
    }
  });
});

describe('connection failures and aborts', () => {
  it('gives an APIConnectionError carrying its cause when nothing listens', async () => {
    const port = await closedPort();
    const error = await caught(listChatCompletions({}, { ...options, baseURL: `http://127.0.0.1:${port}/v1` }));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.name).toBe('APIConnectionError');
    expect(error.cause).toBeInstanceOf(Error);
    expectNoKey(error);
  });

  it('gives an APIUserAbortError when the signal aborts, distinct from a time-out', async () => {
    api.faults.push({ delayMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await caught(listChatCompletions({}, { ...options, signal: controller.signal }));
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect(error.name).toBe('APIUserAbortError');
  });

  it('gives an APIConnectionTimeoutError when no headers arrive in time', async () => {
    api.faults.push({ delayMs: 5_000 });
    const error = await caught(listChatCompletions({}, { ...options, timeout: 50 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.name).toBe('APIConnectionTimeoutError');
  });

  it('rejects at once for an already aborted signal', async () => {
    const error = await caught(listChatCompletions({}, { ...options, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(APIUserAbortError);
  });
});

describe('the API key never leaks', () => {
  it('is redacted when the server echoes it in the error body and headers', async () => {
    api.faults.push({ status: 401, echoAuthorization: true });
    const error = (await caught(listChatCompletions({}, options))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(api.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(error.message).toContain('[REDACTED]');
    expectNoKey(error);
    expect(JSON.stringify(error.headers)).not.toContain(KEY);
    expect(JSON.stringify(error.error)).not.toContain(KEY);
  });

  it('is redacted from a non-JSON body and from a 200 error object', async () => {
    const html = await caught(
      listChatCompletions(
        {},
        answer(() => new Response(`<p>bad key ${KEY}</p>`, { status: 401 })),
      ),
    );
    expectNoKey(html);
    const inBody = await caught(
      listChatCompletions(
        {},
        answer(() => Response.json({ error: { message: `key ${KEY}`, param: KEY } })),
      ),
    );
    expectNoKey(inBody);
    const notJSON = await caught(
      listChatCompletions(
        {},
        answer(() => new Response(`oops ${KEY}`, { status: 200 })),
      ),
    );
    expectNoKey(notJSON);
  });
});

describe('error fields are what their types say', () => {
  // OpenRouter and vLLM write `code` as a number; the types say `string | null`.
  const served = {} as Served;
  beforeAll(async () => {
    Object.assign(
      served,
      await serve(async (request) => {
        if (new URL(request.url).searchParams.has('stream')) {
          const event = `data: ${JSON.stringify({ error: { message: 'Upstream failed', code: 502, type: null } })}\n\n`;
          return new Response(event, { headers: { 'content-type': 'text/event-stream' } });
        }
        return Response.json({ error: { message: 'Rate limit exceeded', code: 429, type: 7, param: ['messages', 0], extra: 1 } }, { status: 429 });
      }),
    );
  });
  afterAll(() => served.close());
  const over = (query?: Record<string, string>): RequestOptions => ({ baseURL: served.baseURL, apiKey: 'sk-test', maxRetries: 0, query });

  it('gives a number, or any other non-string, as its JSON text; null and absent stay', async () => {
    const error = (await caught(createChatCompletion(body, over()))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(429);
    expect({ code: error.code, type: error.type, param: error.param }).toEqual({ code: '429', type: '7', param: '["messages",0]' });
    expect(error.error).toEqual({ message: 'Rate limit exceeded', code: '429', type: '7', param: '["messages",0]', extra: 1 });
  });

  it('does the same for an error event in a stream', async () => {
    const stream = await createChatCompletion({ ...body, stream: true }, over({ stream: '1' }));
    const error = (await readAll(stream)).error as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.code).toBe('502');
    expect(error.type).toBeNull();
    expect(error.param).toBeUndefined();
    expect(Object.hasOwn(error.error, 'param')).toBe(false);
  });
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
