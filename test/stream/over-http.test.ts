import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIError, APIUserAbortError, InvalidResponseError, accumulateChatCompletion, createChatCompletion } from '../../src/index.js';
import type { ChatCompletionChunk } from '../../src/index.js';
import { createLocalAPI } from '../server/handler.js';
import { useLocalAPI } from '../server/setup.js';
import { readAll, valuesOf } from '../helpers/streams.js';

// createChatCompletion({ stream: true }) end to end: real HTTP to the local API, unless a
// test needs to see exactly how far the body was pulled (then the handler runs in process).
const { api, server, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: 'sk-stream' });

const ask = (content: string, extra: object = {}) => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user' as const, content }],
  stream: true as const,
  ...extra,
});

/** Reads until the stream fails, returning what came before and the error. */
async function readUntilError(stream: ReadableStream<ChatCompletionChunk>): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const { values, error } = await readAll(stream);
  return error ? { chunks: values, error } : expect.unreachable('the stream should have failed');
}

const text = (chunks: ChatCompletionChunk[]) => chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');

describe('streaming over HTTP', () => {
  it('resolves to a ReadableStream of parsed chunks, asking for text/event-stream', async () => {
    const stream = await createChatCompletion(ask('stream me please'), options);
    expect(stream).toBeInstanceOf(ReadableStream);
    const chunks = await valuesOf(stream);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(text(chunks)).toBe('Echo: stream me please');
    expect(api.requests[0].headers.accept).toBe('text/event-stream');
    expect(api.requests[0].body).toMatchObject({ stream: true });
  });

  it('keeps multi-byte characters whole', async () => {
    const content = 'café ☕ 日本語 🎉 Grüße';
    expect(text(await valuesOf(await createChatCompletion(ask(content), options)))).toBe(`Echo: ${content}`);
  });

  it('accumulates into what the same request without stream returns', async () => {
    const streamed = await accumulateChatCompletion(
      await createChatCompletion(ask('one two three', { n: 2, stream_options: { include_usage: true } }), options),
    );
    const plain = await createChatCompletion({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one two three' }], n: 2 }, options);
    expect(streamed.object).toBe('chat.completion');
    expect(streamed.usage).toEqual(plain.usage);
    expect(streamed.choices).toHaveLength(2);
    for (const [i, choice] of streamed.choices.entries()) {
      expect(choice).toMatchObject({
        index: i,
        finish_reason: 'stop',
        message: { role: 'assistant', content: plain.choices[i].message.content, refusal: null },
      });
    }
  });

  it('rejects the promise, not the stream, for a non-2xx answer', async () => {
    api.faults.push({ status: 429, headers: { 'retry-after': '0' } });
    const error = await createChatCompletion(ask('hi'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 429 });
  });

  it('errors the stream, after the chunks before it, when the body ends before the answer finished', async () => {
    api.faults.push({ cutAfterChunks: 3, cutMode: 'close' });
    const { chunks, error } = await readUntilError(await createChatCompletion(ask('a b c d e f'), options));
    expect(chunks).toHaveLength(3);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/stream ended before the answer finished/);
  });

  it('errors the stream with a connection error when the connection drops mid-body', async () => {
    api.faults.push({ cutAfterChunks: 2, cutMode: 'error' });
    const { error } = await readUntilError(await createChatCompletion(ask('a b c d e f'), options));
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  it('closes the connection when the consumer cancels', async () => {
    api.faults.push({ stallAfterChunks: 2 });
    const reader = (await createChatCompletion(ask('a b c d e f'), options)).getReader();
    await reader.read();
    const before = server.closedConnections();
    await reader.cancel();
    // Node's fetch closes the socket of a cancelled body only ~3 s later.
    await vi.waitFor(() => expect(api.streams[0].cancelled).toBe(true), { timeout: 10_000, interval: 50 });
    expect(server.closedConnections()).toBeGreaterThan(before);
  });

  it('errors the stream with an abort error and closes the connection when the signal aborts', async () => {
    api.faults.push({ stallAfterChunks: 2 });
    const controller = new AbortController();
    const reader = (await createChatCompletion(ask('a b c d e f'), { ...options, signal: controller.signal })).getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toBeInstanceOf(APIUserAbortError);
    await vi.waitFor(() => expect(api.streams[0].cancelled).toBe(true), { timeout: 10_000, interval: 50 });
  });
});

describe('streaming in process', () => {
  it('reads the body only as fast as the consumer reads chunks', async () => {
    const local = createLocalAPI();
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const reader = (await createChatCompletion(ask(long), { fetch: local.fetch, maxRetries: 0 })).getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    // Let any read-ahead happen before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(local.streams[0].sent).toBeLessThanOrEqual(4);
    await reader.cancel();
    expect(local.streams[0].cancelled).toBe(true);
  });

  it('refuses a JSON answer to a stream request with its error, or says what came back', async () => {
    const json = (body: unknown) => async () => Response.json(body);
    await expect(createChatCompletion(ask('x'), { fetch: json({ error: { message: 'nope', type: 't' } }), maxRetries: 0 })).rejects.toMatchObject({
      name: 'APIError',
      message: '200 nope',
    });
    const error = await createChatCompletion(ask('x'), { fetch: json({ id: 'x' }), maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(
      /^Expected a text\/event-stream response to POST https:\/\/api\.openai\.com\/v1\/chat\/completions, got application\/json/,
    );
  });
});
