import { describe, expect, it, vi } from 'vitest';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, createChatCompletion, listChatCompletions } from '../../src/index.js';
import type { ChatCompletionChunk } from '../../src/index.js';
import { createLocalAPI } from '../server/handler.js';
import { serve } from '../server/http.js';
import { useLocalAPI } from '../server/setup.js';
import { caught, readAll } from '../helpers/streams.js';

// The fault suite: a real HTTP server on 127.0.0.1 that misbehaves on purpose, one scenario
// per test. Vitest fails the run on any unhandled rejection, and the server's close() drops
// every connection, so a scenario that leaked either would show up.
const { api, requestOptions } = useLocalAPI();
const options = requestOptions({ apiKey: 'sk-faults', maxRetries: 2 });

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'one two three four five six' }] };
const streamBody = { ...body, stream: true as const };
const attempts = () => api.requests.length;
/** A retry wait of 1 ms, so retry scenarios do not sit out the real backoff. */
const fast = { 'retry-after-ms': '1' };

async function readChunks(stream: ReadableStream<ChatCompletionChunk>) {
  const { values, error } = await readAll(stream);
  return { chunks: values, error };
}

describe('retries', () => {
  it.each([
    ['retry-after-ms', { 'retry-after-ms': '20' }],
    ['retry-after in seconds', { 'retry-after': '0' }],
    ['retry-after as an HTTP date', { 'retry-after': new Date(Date.now() + 1000).toUTCString() }],
  ])('retries a 429 with %s and then succeeds', async (_, headers) => {
    api.faults.push({ status: 429, headers });
    const list = await listChatCompletions({}, options);
    expect(list.object).toBe('list');
    expect(attempts()).toBe(2);
  });

  it('gets through 500 then 503 to a 200, retrying the same request', async () => {
    api.faults.push({ status: 500, headers: fast }, { status: 503, headers: fast });
    const completion = await createChatCompletion(body, options);
    expect(completion.choices[0].message.content).toBe('Echo: one two three four five six');
    expect(attempts()).toBe(3);
    expect(new Set(api.requests.map((r) => JSON.stringify(r.body))).size).toBe(1);
  });

  it('gives up after exactly maxRetries + 1 attempts with the last error', async () => {
    api.faults.push({ status: 500, headers: fast }, { status: 502, headers: fast }, { status: 503, headers: fast }, { status: 504, headers: fast });
    const error = (await caught(listChatCompletions({}, { ...options, maxRetries: 2 }))) as APIError;
    expect(error).toBeInstanceOf(APIError);
    expect(error.status).toBe(503);
    expect(attempts()).toBe(3);
  });

  it('does not retry a 400, and carries every field of its error', async () => {
    api.faults.push({
      status: 400,
      body: { error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } },
      headers: { 'x-should-retry': 'maybe' },
    });
    const error = (await caught(createChatCompletion(body, options))) as APIError;
    expect(attempts()).toBe(1);
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe('400 Invalid value for temperature');
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' });
    expect(error.error).toEqual({ message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' });
    expect(error.requestId).toBe('req_fake000001');
    expect(error.headers['x-request-id']).toBe('req_fake000001');
  });

  it('lets x-should-retry: false stop a retry, and x-should-retry: true force one', async () => {
    api.faults.push({ status: 503, headers: { 'x-should-retry': 'false' } });
    await caught(listChatCompletions({}, options));
    expect(attempts()).toBe(1);
    api.reset();
    api.faults.push({ status: 400, headers: { 'x-should-retry': 'true', ...fast } });
    await listChatCompletions({}, options);
    expect(attempts()).toBe(2);
  });

  it('never retries once a stream has started delivering', async () => {
    api.faults.push({ cutAfterChunks: 2, cutMode: 'error' });
    const { chunks, error } = await readChunks(await createChatCompletion(streamBody, options));
    expect(chunks).toHaveLength(2);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(attempts()).toBe(1);
  });

  it('aborts the backoff wait at once when the signal aborts', async () => {
    api.faults.push({ status: 500, headers: { 'retry-after-ms': '30000' } });
    const controller = new AbortController();
    const started = Date.now();
    const pending = caught(listChatCompletions({}, { ...options, signal: controller.signal }));
    await vi.waitFor(() => expect(attempts()).toBe(1));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(APIUserAbortError);
    // Far below the 30 s the server asked for: the wait did not run out.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(attempts()).toBe(1);
  });
});

describe('time-outs', () => {
  it('gives up on a server that never answers, retrying the time-out like a connection failure', async () => {
    api.faults.push({ delayMs: 60_000 }, { delayMs: 60_000 });
    const error = await caught(listChatCompletions({}, { ...options, timeout: 200, maxRetries: 1 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.name).toBe('APIConnectionTimeoutError');
    expect(attempts()).toBe(2);
  });

  it('errors a stream that stalls mid-body after `timeout` ms of silence', async () => {
    api.faults.push({ stallAfterChunks: 2 });
    const { chunks, error } = await readChunks(await createChatCompletion(streamBody, { ...options, timeout: 300 }));
    expect(chunks).toHaveLength(2);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await vi.waitFor(() => expect(api.streams[0].cancelled).toBe(true), { timeout: 10_000, interval: 50 });
  });

  it('does not time out a stream that trickles slowly but steadily', async () => {
    api.faults.push({ trickleMs: 100 });
    // 11 events 100 ms apart: the whole answer takes far longer than the 400 ms time-out.
    const { chunks, error } = await readChunks(await createChatCompletion(streamBody, { ...options, timeout: 400 }));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: one two three four five six');
  });
});

describe('dropped connections and cancellation', () => {
  it('gives a connection error when the socket closes mid-body', async () => {
    api.faults.push({ cutAfterChunks: 1, cutMode: 'error' });
    const { chunks, error } = await readChunks(await createChatCompletion(streamBody, options));
    expect(chunks).toHaveLength(1);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('closes the connection, as the server sees it, when a stream is cancelled or aborted', async () => {
    api.faults.push({ stallAfterChunks: 1 }, { stallAfterChunks: 1 });
    const cancelled = (await createChatCompletion(streamBody, options)).getReader();
    await cancelled.read();
    await cancelled.cancel();
    const controller = new AbortController();
    const aborted = (await createChatCompletion(streamBody, { ...options, signal: controller.signal })).getReader();
    await aborted.read();
    controller.abort();
    await expect(aborted.read()).rejects.toBeInstanceOf(APIUserAbortError);
    await vi.waitFor(() => expect(api.streams.map((s) => s.cancelled)).toEqual([true, true]), { timeout: 10_000, interval: 50 });
  });
});

describe('redirects', () => {
  it('does not carry the key to another origin', async () => {
    const other = createLocalAPI();
    const elsewhere = await serve((request) => other.handle(request));
    try {
      api.faults.push({ status: 307, headers: { location: `${elsewhere.baseURL}/chat/completions` } });
      const list = await listChatCompletions({}, options);
      expect(list.object).toBe('list');
      expect(other.requests).toHaveLength(1);
      expect(other.requests[0].headers.authorization).toBeUndefined();
    } finally {
      await elsewhere.close();
    }
  });
});
