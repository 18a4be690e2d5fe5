import { describe, expect, it } from 'vitest';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, InvalidResponseError, OpenAIError } from '../../src/errors.js';
import { createChatCompletion } from '../../src/index.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';
import { chunkStream, deltaChunk, foldBytes } from '../helpers/fold-streams.js';
import { useLocalAPI } from '../server/setup.js';

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have rejected'),
    (e: unknown) => e as Error & { partial?: any },
  );
const hello = [deltaChunk({ role: 'assistant', content: 'Hel' }), deltaChunk({ content: 'lo' })];

describe('a stream that gives nothing, or cannot be read', () => {
  it('rejects with an OpenAIError saying no chunk arrived for a stream already read to its end', async () => {
    const used = chunkStream(hello);
    for await (const _ of used as unknown as AsyncIterable<unknown>) void _;
    const again = await caught(accumulateChatCompletion(used));
    expect(again).toBeInstanceOf(OpenAIError);
    expect(again.message).toMatch(/no chunk arrived; the stream ended before its first one \(a stream can be read only once/);
  });

  it('rejects the same for an exhausted generator', async () => {
    async function* generate() {
      yield hello[0] as ChatCompletionChunk;
    }
    const iterator = generate();
    await accumulateChatCompletion(iterator);
    await expect(accumulateChatCompletion(iterator)).rejects.toThrow(/no chunk arrived/);
  });

  it("rejects with an OpenAIError saying the stream is locked, not the runtime's TypeError", async () => {
    const stream = chunkStream(hello);
    stream.getReader();
    const error = await caught(accumulateChatCompletion(stream));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/the stream is locked, another reader is reading it/);
  });

  it('rejects with an OpenAIError for something that is not a stream', async () => {
    await expect(accumulateChatCompletion(null as unknown as ReadableStream<ChatCompletionChunk>)).rejects.toThrow(OpenAIError);
  });
});

describe('a failed fold keeps what arrived, as error.partial', () => {
  it("rejects with the stream's own error, carrying the completion so far, not enumerable", async () => {
    const cut = new TypeError('network');
    const error = await caught(accumulateChatCompletion(chunkStream(hello, cut)));
    expect(error).toBe(cut);
    expect(error.partial.choices[0].message).toEqual({ role: 'assistant', content: 'Hello', refusal: null });
    expect(Object.getOwnPropertyDescriptor(error, 'partial')?.enumerable).toBe(false);
    expect(Object.keys(error)).not.toContain('partial');
  });

  it('carries it for a throw of an AsyncIterable source too', async () => {
    const thrown = new Error('source gave up');
    async function* generate() {
      for (const chunk of hello) yield chunk as ChatCompletionChunk;
      throw thrown;
    }
    const error = await caught(accumulateChatCompletion(generate()));
    expect(error).toBe(thrown);
    expect(error.partial.choices[0].message.content).toBe('Hello');
  });

  it('carries it on the APIError of an error event in the bytes', async () => {
    const text = `data: ${JSON.stringify(hello[0])}\n\nevent: error\ndata: {"error":{"message":"Overloaded","type":"server_error"}}\n\n`;
    const error = await caught(foldBytes([new TextEncoder().encode(text)]));
    expect(error).toBeInstanceOf(APIError);
    expect(error.partial.choices[0].message.content).toBe('Hel');
  });

  it('sets no partial when nothing arrived, and leaves frozen errors and thrown strings as they are', async () => {
    const early = new Error('early');
    expect((await caught(accumulateChatCompletion(chunkStream([], early)))).partial).toBeUndefined();
    const frozen = Object.freeze(new Error('frozen'));
    const error = await caught(accumulateChatCompletion(chunkStream(hello, frozen)));
    expect(error).toBe(frozen);
    expect(error.partial).toBeUndefined();
    await expect(accumulateChatCompletion(chunkStream(hello, 'just a string'))).rejects.toBe('just a string');
  });

  it('gives the partial as the stream left it: a fold of the chunks before the failure', async () => {
    const error = await caught(
      accumulateChatCompletion(
        chunkStream(
          [...hello, deltaChunk({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '{"a"' } }] })],
          new Error('cut'),
        ),
      ),
    );
    expect(error.partial).toEqual(
      await accumulateChatCompletion(
        chunkStream([...hello, deltaChunk({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '{"a"' } }] })]),
      ),
    );
  });
});

describe('over real HTTP, a stream failing mid-answer', () => {
  const { api, requestOptions } = useLocalAPI();
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'one two three four five six' }], stream: true as const };

  it('keeps what arrived when the connection drops', async () => {
    api.faults.push({ cutAfterChunks: 3, cutMode: 'error' });
    const error = await caught(accumulateChatCompletion(await createChatCompletion(body, requestOptions())));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.partial.choices[0].finish_reason).toBeNull();
    expect('Echo: one two three four five six').toContain(error.partial.choices[0].message.content);
    expect(error.partial.choices[0].message.content.length).toBeGreaterThan(0);
  });

  it('keeps what arrived when the body ends cleanly before the answer finished', async () => {
    api.faults.push({ cutAfterChunks: 3, cutMode: 'close' });
    const error = await caught(accumulateChatCompletion(await createChatCompletion(body, requestOptions())));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.partial.choices[0].message.role).toBe('assistant');
  });

  it('keeps what arrived when the server stalls past the idle time-out', async () => {
    api.faults.push({ stallAfterChunks: 2 });
    const error = await caught(accumulateChatCompletion(await createChatCompletion(body, requestOptions({ timeout: 300 }))));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.partial.id).toMatch(/^chatcmpl-/);
  });

  it('keeps what arrived when the caller aborts', async () => {
    api.faults.push({ stallAfterChunks: 2 });
    const controller = new AbortController();
    const stream = await createChatCompletion(body, requestOptions({ signal: controller.signal }));
    const [forUi, forFold] = stream.tee();
    const folding = caught(accumulateChatCompletion(forFold));
    const reader = forUi.getReader();
    await reader.read();
    await reader.read();
    controller.abort();
    const error = await folding;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error.partial.choices).toHaveLength(1);
  });
});
