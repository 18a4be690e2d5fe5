import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChatCompletion } from '../../src/chat.js';
import { APIConnectionError, OpenAIError } from '../../src/errors.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import type { FakeReply } from '../../src/fake/index.js';
import { ContentFilterFinishReasonError, LengthFinishReasonError, OutputValidationError, functionTool, jsonSchemaFormat } from '../../src/structured/index.js';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from '../../src/types/index.js';
import type { ChatCompletionEvent } from '../../src/events/types.js';
import { chunkStream, deltaChunk } from '../helpers/fold-streams.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

// What fails, fails after the events before it, as the stream's error, carrying the completion
// folded so far as `partial`: a cut stream, an answer that fails its schema, an early stop with
// a schema to fill, a chunk no server sends, a stream that cannot be read.

let script: FakeReply[] = [];
const { fake, server } = useScriptedFake(() => script.shift());

const messages = [{ role: 'user' as const, content: 'Fill in the form.' }];
const Essay = z.object({ title: z.string().min(30), words: z.array(z.string()).min(3) });
const essay = jsonSchemaFormat(Essay, { name: 'essay' });

type Failure = Error & { partial?: any; completion?: any };

/** Every event until the stream ends or fails, and its error. */
async function collect(
  events: AsyncIterable<ChatCompletionEvent<unknown, unknown>>,
): Promise<{ events: ChatCompletionEvent<unknown, unknown>[]; error: Failure | undefined }> {
  const got: ChatCompletionEvent<unknown, unknown>[] = [];
  try {
    for await (const event of events) got.push(event);
  } catch (error) {
    return { events: got, error: error as Failure };
  }
  return { events: got, error: undefined };
}

async function streamed(body: Omit<ChatCompletionCreateParamsStreaming, 'model' | 'messages' | 'stream'>) {
  const stream = await createChatCompletion(
    { model: 'gpt-4o-mini', messages, ...body, stream: true },
    { baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 },
  );
  return collect(toChatCompletionEvents(stream, body) as never);
}

const types = (events: { type: string }[]) => events.filter((event) => event.type !== 'chunk').map((event) => event.type);
const joined = (events: ChatCompletionEvent<unknown, unknown>[]) => events.map((event) => (event.type === 'content.delta' ? event.delta : '')).join('');

describe('a stream cut mid-answer', () => {
  it('gives the events before the cut, then the cut as the error, carrying the partial completion', async () => {
    fake.faults.push({ cutAfterChunks: 5, cutMode: 'error' });
    const { events, error } = await streamed({ response_format: essay });
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(types(events)).toEqual(Array(4).fill('content.delta'));
    expect(events.filter((event) => event.type === 'chunk')).toHaveLength(5);
    expect(error!.partial.choices[0].message.content).toBe(joined(events));
    expect(error!.partial.choices[0].finish_reason).toBeNull();
    expect(Object.keys(error!)).not.toContain('partial');
  });

  it("keeps the stream's own error, in-process too", async () => {
    const cut = new TypeError('network');
    const { events, error } = await collect(
      toChatCompletionEvents(chunkStream([deltaChunk({ role: 'assistant', content: 'Hel' }), deltaChunk({ content: 'lo' })], cut)),
    );
    expect(error).toBe(cut);
    expect(types(events)).toEqual(['content.delta', 'content.delta']);
    expect(error!.partial.choices[0].message).toEqual({ role: 'assistant', content: 'Hello', refusal: null });
  });
});

describe('an answer that fails its schema', () => {
  it('gives every delta, then OutputValidationError instead of content.done, with the completion', async () => {
    script = ['{"title":"Too short","words":[]}'];
    const { events, error } = await streamed({ response_format: essay });
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error!.message).toMatch(/^The answer of choice 0 failed validation: title: /);
    expect((error as OutputValidationError).issues.map((issue) => issue.path?.[0])).toEqual(['title', 'words']);
    expect(types(events)).toEqual(Array(4).fill('content.delta'));
    // The finish chunk's own event came before the error.
    expect(events.at(-1)?.type).toBe('chunk');
    expect(error!.completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: '{"title":"Too short","words":[]}' } });
    expect(error!.partial).toBe(error!.completion);
  });

  it('stops the partial values at the first piece that is not JSON, and fails with "not valid JSON"', async () => {
    script = ['{"title": oops, not JSON at all'];
    const { events, error } = await streamed({ response_format: essay });
    const parsed = events.flatMap((event) => (event.type === 'content.delta' ? [event.parsed] : []));
    expect(parsed).toEqual([{}, undefined, undefined, undefined]);
    expect(error).toBeInstanceOf(OutputValidationError);
    expect((error as OutputValidationError).issues).toEqual([{ message: 'not valid JSON' }]);
  });

  it("fails a tool call's arguments when the next call begins, and cancels the chunks", async () => {
    const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }) });
    const call = (index: number, args: string) =>
      deltaChunk({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: 'weather', arguments: args } }] });
    let cancelled: unknown;
    const chunks = [call(0, '{"town":"Oslo"}'), call(1, '{"city":"Bergen"}'), deltaChunk({}, 'tool_calls')];
    let next = 0;
    const source = new ReadableStream<ChatCompletionChunk>(
      {
        pull: (controller) => controller.enqueue(chunks[next++] as ChatCompletionChunk),
        cancel: (reason) => {
          cancelled = reason;
        },
      },
      { highWaterMark: 0 },
    );
    const { events, error } = await collect(toChatCompletionEvents(source, { tools: [weather] }) as never);
    expect(types(events)).toEqual(['tool_calls.function.arguments.delta']);
    expect(events.map((event) => event.type)).toEqual(['chunk', 'tool_calls.function.arguments.delta', 'chunk']);
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error!.message).toMatch(/^The arguments of tool call call_0 failed validation/);
    expect(cancelled).toBe(error);
    expect(next).toBe(2);
  });
});

describe('an early stop with a schema to fill', () => {
  it('finish_reason length: the deltas, then LengthFinishReasonError instead of done, with the usage', async () => {
    script = [{ finish_reason: 'length' }];
    const { events, error } = await streamed({ response_format: essay, stream_options: { include_usage: true } });
    expect(error).toBeInstanceOf(LengthFinishReasonError);
    expect(types(events).every((type) => type === 'content.delta')).toBe(true);
    expect(error!.completion.choices[0].finish_reason).toBe('length');
    expect(error!.completion.usage).toMatchObject({ total_tokens: expect.any(Number) });
    expect(error!.partial.choices[0].message.content).toBe(joined(events));
  });

  it('finish_reason content_filter: ContentFilterFinishReasonError', async () => {
    script = [{ finish_reason: 'content_filter', content: '{"title":' }];
    const { error } = await streamed({ response_format: essay });
    expect(error).toBeInstanceOf(ContentFilterFinishReasonError);
  });

  it('without a schema, length is an answer like any: content.done and done', async () => {
    script = [{ finish_reason: 'length', content: 'Half an ans' }];
    const { events, error } = await streamed({});
    expect(error).toBeUndefined();
    expect(types(events).slice(-2)).toEqual(['content.done', 'done']);
  });
});

describe('chunks no server sends', () => {
  const hello = deltaChunk({ role: 'assistant', content: 'Hel' });

  it('a chunk that is not an object: an OpenAIError, with the partial completion', async () => {
    const { events, error } = await collect(toChatCompletionEvents(chunkStream([hello, 'junk'])));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error!.message).toMatch(/A stream chunk is not a JSON object \(got a string\)/);
    expect(types(events)).toEqual(['content.delta']);
    expect(error!.partial.choices[0].message.content).toBe('Hel');
  });

  it('content after its choice finished: an OpenAIError, after the events before it', async () => {
    const { events, error } = await collect(toChatCompletionEvents(chunkStream([hello, deltaChunk({}, 'stop'), deltaChunk({ content: 'lo' })])));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error!.message).toMatch(/adds to a text already done/);
    // The offending chunk's own event came first.
    expect(events.map((event) => event.type)).toEqual(['chunk', 'content.delta', 'chunk', 'content.done', 'chunk']);
  });

  it('arguments for a tool call that was whole when the next one began: an OpenAIError', async () => {
    const call = (index: number, args: string) => deltaChunk({ tool_calls: [{ index, function: { name: 'f', arguments: args } }] });
    const { events, error } = await collect(toChatCompletionEvents(chunkStream([call(0, '{"a":1}'), call(1, '{}'), call(0, ' ')])));
    expect(error!.message).toMatch(/adds to a text already done/);
    const [delta, done] = ['tool_calls.function.arguments.delta', 'tool_calls.function.arguments.done'];
    expect(types(events)).toEqual([delta, done, delta, done]);
    // The offending chunk's own events came first: its chunk, and the done of the call it left.
    expect(events.slice(-2).map((event) => event.type)).toEqual(['chunk', done]);
  });
});

describe('a stream that gives nothing, or cannot be read', () => {
  it('no chunk at all: an OpenAIError saying so, without partial', async () => {
    const { events, error } = await collect(toChatCompletionEvents(chunkStream([])));
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error!.message).toMatch(/no chunk arrived/);
    expect(error!.partial).toBeUndefined();
  });

  it('a locked stream or something else: an OpenAIError at once', () => {
    const locked = chunkStream([]);
    locked.getReader();
    expect(() => toChatCompletionEvents(locked)).toThrow(/the stream is locked/);
    expect(() => toChatCompletionEvents(null as never)).toThrow(OpenAIError);
    expect(() => toChatCompletionEvents({} as never)).toThrow(/takes a ReadableStream or an AsyncIterable of chunks/);
  });
});
