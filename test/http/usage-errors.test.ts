import { beforeEach, describe, expect, it } from 'vitest';
import { OpenAIError, createChatCompletion, createClient, getChatCompletion, listChatCompletions } from '../../src/index.js';
import type { ChatCompletionCreateParams, RequestOptions } from '../../src/index.js';
import { everyFormOf, json, useHostileServer } from '../helpers/hostile.js';
import { caught } from '../helpers/streams.js';

// A usage mistake is an OpenAIError naming it, at once: no request sent, no retry, no timer
// left behind, never a retried "Connection error.".
const server = useHostileServer();
beforeEach(() => {
  server.reset();
  server.answer = () => json({ object: 'list', data: [], has_more: false, first_id: null, last_id: null });
});

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const base = (extra: Record<string, unknown>): RequestOptions =>
  ({ baseURL: server.server.baseURL, apiKey: 'sk-usage-0123456789abcdef', maxRetries: 2, ...extra }) as RequestOptions;
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** The call's error, checked for what every usage error must be; `message` is what it must say. */
async function usageError(call: () => Promise<unknown>, message: RegExp): Promise<Error> {
  const before = timers();
  const started = performance.now();
  const error = await caught(call());
  expect(error).toBeInstanceOf(OpenAIError);
  expect(error.name).toBe('OpenAIError');
  expect(error.message).toMatch(message);
  // Not a speed test: a retried connection error takes ~1.3 s; a usage error is immediate.
  expect(performance.now() - started).toBeLessThan(200);
  expect(server.seen).toHaveLength(0);
  expect(timers()).toBe(before);
  return error;
}

describe('options', () => {
  it.each([
    ['a non-ASCII key (the README placeholder pasted as is)', { apiKey: 'sk-…' }, /API key holds a character fetch cannot send/],
    ['a key with a newline', { apiKey: 'sk-abc\n' }, /API key holds a character/],
    ['a header value with a newline', { headers: { 'x-trace': 'a\r\nx-evil: 1' } }, /header x-trace holds a character/],
    ['a header name that is not a token', { headers: { 'bad name': '1' } }, /not a valid HTTP header name/],
    ['a baseURL without a scheme', { baseURL: 'api.openai.com/v1' }, /absolute URL with its scheme/],
    ['a baseURL with a fragment', { baseURL: 'https://api.openai.com/v1#x' }, /#fragment/],
    ['timeout NaN', { timeout: NaN }, /timeout must be a positive number/],
    ['timeout -1', { timeout: -1 }, /timeout must be a positive number/],
    ['timeout 0', { timeout: 0 }, /timeout must be a positive number/],
    ['timeout as a string', { timeout: '1000' }, /timeout must be a positive number/],
    ['maxRetries NaN', { maxRetries: NaN }, /maxRetries must be a whole number/],
    ['maxRetries 1.5', { maxRetries: 1.5 }, /maxRetries must be a whole number/],
    ['maxRetries -1', { maxRetries: -1 }, /maxRetries must be a whole number/],
    ['a signal that is not an AbortSignal', { signal: { aborted: 'no' } }, /signal must be an AbortSignal/],
    ['a fetch that is not a function', { fetch: 'fetch' }, /fetch must be a function/],
    ['an apiKey that is not a string', { apiKey: 42 }, /apiKey must be a string/],
  ])('%s', async (_, extra, message) => {
    await usageError(() => listChatCompletions({}, base(extra)), message);
  });

  it('never quotes a key the runtime would refuse, in the error or its cause', async () => {
    const key = 'sk-proj-ABCDEFGHIJKLMNOP…0123456789';
    const error = await usageError(() => createChatCompletion(body, base({ apiKey: key })), /API key/);
    expect(await everyFormOf(error)).not.toContain('ABCDEFGHIJKLMNOP');
    expect(error.cause).toBeUndefined();
  });

  it('fails the same way through a client', async () => {
    const client = createClient({ baseURL: server.server.baseURL, timeout: -5 } as RequestOptions);
    await usageError(() => client.listChatCompletions(), /timeout must be a positive number/);
  });
});

describe('request bodies', () => {
  const circular: Record<string, unknown> = { ...body };
  circular.self = circular;
  it.each([
    ['circular', circular, /cannot be sent as JSON: .*circular/i],
    ['a BigInt', { ...body, seed: 1n }, /cannot be sent as JSON: .*BigInt/i],
    [
      'a throwing toJSON',
      {
        ...body,
        toJSON: () => {
          throw new Error('no JSON for you');
        },
      },
      /cannot be sent as JSON: no JSON for you/,
    ],
    ['undefined', undefined, /request body must be an object/],
    ['null', null, /request body must be an object/],
    ['a string', 'hello', /request body must be an object/],
  ])('%s', async (_, value, message) => {
    await usageError(() => createChatCompletion(value as unknown as ChatCompletionCreateParams, base({})), message);
  });
});

describe('completion ids', () => {
  it.each([
    ['', /completionId must be a completion's id/],
    ['.', /completionId must be a completion's id/],
    ['..', /completionId must be a completion's id/],
    [undefined, /completionId must be a completion's id .*, got undefined/],
    ['\ud800', /lone surrogate/],
  ])('%j', async (id, message) => {
    await usageError(() => getChatCompletion(id as string, base({})), message);
  });
});

describe('baseURL is parsed, not concatenated', () => {
  it("keeps the baseURL's query, appends the path to its path and merges the call's query", async () => {
    await listChatCompletions({ limit: 2 }, base({ baseURL: `  ${server.server.baseURL}/?api-version=2024-10-21  `, query: { extra: '1' } }));
    const url = new URL(server.seen[0]!.url);
    expect(url.pathname).toBe('/v1/chat/completions');
    expect([...url.searchParams]).toEqual([
      ['api-version', '2024-10-21'],
      ['limit', '2'],
      ['extra', '1'],
    ]);
  });
});
