import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createChatCompletion } from '../../src/chat.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import { createFakeOpenAI } from '../../src/fake/index.js';
import { jsonSchemaFormat } from '../../src/structured/index.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';
import { deltaChunk } from '../helpers/fold-streams.js';
import { serve } from '../server/http.js';
import type { Served } from '../server/http.js';

// The events are pulled: a read of them reads one chunk at most, and leaving them cancels the
// chunks and so the request.

const fake = createFakeOpenAI();
const server = {} as Served;
beforeAll(async () => {
  Object.assign(server, await serve(fake.handle));
});
afterAll(() => server.close());

const messages = [{ role: 'user' as const, content: 'Fill in the form.' }];
// About 100 KB of JSON: 12,500 events of 8 characters, far more than sockets buffer.
const format = jsonSchemaFormat(z.object({ words: z.array(z.string().min(1_000)).min(100) }), { name: 'essay' });
const EVENTS = 12_500;

/** Chunks handed out one a pull, counting pulls, and what cancel received. */
function countedChunks(chunks: unknown[]) {
  const seen = { pulls: 0, cancelled: undefined as unknown };
  const stream = new ReadableStream<ChatCompletionChunk>(
    {
      pull(controller) {
        seen.pulls++;
        if (seen.pulls <= chunks.length) controller.enqueue(chunks[seen.pulls - 1] as ChatCompletionChunk);
        else controller.close();
      },
      cancel(reason) {
        seen.cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

const text = ['{"title":"', 'Pulled', ' events', '"}'];
const chunks = [deltaChunk({ role: 'assistant', content: '' }), ...text.map((content) => deltaChunk({ content })), deltaChunk({}, 'stop')];

describe('nothing is read ahead', () => {
  it('reads no chunk before the first read, and one chunk at most a read', async () => {
    const { stream, seen } = countedChunks(chunks);
    const reader = toChatCompletionEvents(stream).getReader();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen.pulls).toBe(0);
    const trace: [string, number][] = [];
    for (;;) {
      const result = await reader.read();
      if (result.done) break;
      trace.push([result.value.type, seen.pulls]);
    }
    // A chunk's events come from one read of it; the read of the end gives the done events.
    expect(trace).toEqual([
      ['chunk', 1],
      ['chunk', 2],
      ['content.delta', 2],
      ['chunk', 3],
      ['content.delta', 3],
      ['chunk', 4],
      ['content.delta', 4],
      ['chunk', 5],
      ['content.delta', 5],
      ['chunk', 6],
      ['content.done', 6], // with its finish_reason
      ['done', 7],
    ]);
  });

  it('reads only as far as the consumer through createChatCompletion: the fake (in-process) sent one event a chunk read', async () => {
    const stream = await createChatCompletion({ model: 'm', messages, response_format: format, stream: true }, { fetch: fake, apiKey: 'sk-test' });
    const reader = toChatCompletionEvents(stream, { response_format: format }).getReader();
    let deltas = 0;
    while (deltas < 3) if ((await reader.read()).value?.type === 'content.delta') deltas++;
    const record = fake.streams.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(record).toMatchObject({ sent: 4, finished: false }); // the role chunk and three pieces
    await reader.cancel();
    expect(record.cancelled).toBe(true);
  });
});

describe('leaving the events cancels the chunks, and so the request', () => {
  it('cancel() cancels the chunk stream with the same reason', async () => {
    const { stream, seen } = countedChunks(chunks);
    const events = toChatCompletionEvents(stream);
    const reader = events.getReader();
    await reader.read();
    const reason = new Error('the user closed the form');
    await reader.cancel(reason);
    expect(seen.cancelled).toBe(reason);
  });

  it('leaving a for await early cancels the request over HTTP: the fake records the stream as cancelled', async () => {
    // Paced, as a model is: otherwise the whole answer sits in the sockets' buffers before the loop ends.
    fake.faults.push({ trickleMs: 5 });
    const stream = await createChatCompletion(
      { model: 'm', messages, response_format: format, stream: true },
      { baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 },
    );
    let deltas = 0;
    for await (const event of toChatCompletionEvents(stream, { response_format: format })) {
      if (event.type === 'content.delta') deltas++;
      if (deltas === 2) break;
    }
    const record = fake.streams.at(-1)!;
    await vi.waitFor(() => expect(record.cancelled).toBe(true));
    expect(record.sent).toBeLessThan(EVENTS / 2);
  });

  it('cancel() of an AsyncIterable source returns its iterator', async () => {
    let returned = false;
    async function* generate() {
      try {
        for (const chunk of chunks) yield chunk as ChatCompletionChunk;
      } finally {
        returned = true;
      }
    }
    const reader = toChatCompletionEvents(generate()).getReader();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
  });

  it('a cancel while a done event waits for an async validation ends quietly, the chunks cancelled', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const Slow = z.object({ title: z.string() }).refine(async () => {
      await gate;
      return true;
    });
    const slow = jsonSchemaFormat(Slow, { name: 'slow' });
    const { stream, seen } = countedChunks(chunks);
    const reader = toChatCompletionEvents(stream, { response_format: slow }).getReader();
    for (let i = 0; i < 10; i++) expect((await reader.read()).value?.type).not.toBe('content.done');
    const pending = reader.read(); // the finish chunk: content.done waits for the refine
    await new Promise((resolve) => setTimeout(resolve, 10));
    const cancelled = reader.cancel('gone');
    release();
    await cancelled;
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(seen.cancelled).toBe('gone');
  });
});

describe('the events stream', () => {
  it('is a ReadableStream that for await can read', () => {
    const events = toChatCompletionEvents(countedChunks(chunks).stream);
    expect(events).toBeInstanceOf(ReadableStream);
    expect(typeof events[Symbol.asyncIterator]).toBe('function');
  });
});
