import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServerSentEvents } from '../../src/index.js';
import { iterable } from '../../src/stream/iterable.js';

// WebKit (Safari up to 26, every iOS browser) has no ReadableStream async iterator. Node has
// one, so these tests take it away for their duration to run the SDK's own.
const proto = ReadableStream.prototype as unknown as Record<symbol, unknown>;
const native = proto[Symbol.asyncIterator];
beforeEach(() => {
  delete proto[Symbol.asyncIterator];
});
afterEach(() => {
  proto[Symbol.asyncIterator] = native;
});

/** A stream of `values` that records whether, and why, it was cancelled. */
function source(values: number[], failAfter?: unknown) {
  const seen = { cancelled: false, reason: undefined as unknown };
  let next = 0;
  const stream = new ReadableStream<number>({
    pull(controller) {
      if (next < values.length) controller.enqueue(values[next++]);
      else if (failAfter !== undefined) controller.error(failAfter);
      else controller.close();
    },
    cancel(reason) {
      seen.cancelled = true;
      seen.reason = reason;
    },
  });
  return { stream, seen };
}

describe('streams are async-iterable where the runtime has no iterator', () => {
  it('reads every value with for await, then releases the stream', async () => {
    const { stream } = source([1, 2, 3]);
    const read: number[] = [];
    for await (const value of iterable(stream)) read.push(value);
    expect(read).toEqual([1, 2, 3]);
    expect(stream.locked).toBe(false);
  });

  it('cancels the stream when the loop is left with break', async () => {
    const { stream, seen } = source([1, 2, 3]);
    for await (const value of iterable(stream)) if (value === 1) break;
    expect(seen.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('cancels the stream when the loop body throws, and the throw propagates', async () => {
    const { stream, seen } = source([1, 2, 3]);
    const run = async () => {
      for await (const value of iterable(stream)) if (value === 2) throw new Error('consumer failed');
    };
    await expect(run()).rejects.toThrow('consumer failed');
    expect(seen.cancelled).toBe(true);
  });

  it("propagates the stream's own error after the values before it", async () => {
    const { stream } = source([1], new Error('cut'));
    const read: number[] = [];
    const run = async () => {
      for await (const value of iterable(stream)) read.push(value);
    };
    await expect(run()).rejects.toThrow('cut');
    expect(read).toEqual([1]);
  });

  it('gives parseServerSentEvents a for-await-able result, and break cancels the body', async () => {
    let cancelled = false;
    const text = 'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"index":0,"delta":{"content":"b"}}]}\n\n';
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
      },
      cancel() {
        cancelled = true;
      },
    });
    const stream = parseServerSentEvents(body);
    expect(Symbol.asyncIterator in stream).toBe(true);
    for await (const chunk of stream) {
      expect(chunk.choices[0]?.delta.content).toBe('a');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('tee() keeps both branches iterable where the runtime has no iterator', () => {
  it('gives two branches that each read every value with for await', async () => {
    const { stream } = source([1, 2, 3]);
    const [first, second] = iterable(stream).tee();
    const read = async (branch: AsyncIterable<number>) => {
      const values: number[] = [];
      for await (const value of branch) values.push(value);
      return values;
    };
    expect(await Promise.all([read(first), read(second)])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(stream.locked).toBe(true);
  });

  it('keeps a branch of a branch iterable, and break in every branch cancels the source', async () => {
    // Longer than the branches read ahead: the source is still open when they leave.
    const { stream, seen } = source(Array.from({ length: 50 }, (_, i) => i + 1));
    const [first, second] = iterable(stream).tee();
    const [inner, other] = second.tee();
    // As with the native iterator, leaving one branch waits until every branch has left (the
    // web tee() cancels its source only then): the loops run side by side.
    const firstOf = async (branch: AsyncIterable<number>) => {
      for await (const value of branch) return value;
    };
    expect(await Promise.all([firstOf(first), firstOf(inner), firstOf(other)])).toEqual([1, 1, 1]);
    expect(seen.cancelled).toBe(true);
  });

  it('branches a chunk stream of the SDK, and every branch sees the same chunks', async () => {
    const text =
      'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: {"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    const body = new Response(text).body!;
    const [forUi, forLog] = parseServerSentEvents(body).tee();
    const contents = async (branch: typeof forUi) => {
      let joined = '';
      for await (const chunk of branch) joined += chunk.choices[0]?.delta.content ?? '';
      return joined;
    };
    expect(await Promise.all([contents(forUi), contents(forLog)])).toEqual(['ab', 'ab']);
  });

  it('tees a stream of another realm through its own prototype', async () => {
    const { stream } = source([1]);
    // A stream whose prototype is not this realm's ReadableStream.prototype, as an iframe's is.
    const foreignProto = Object.create(ReadableStream.prototype, { tee: { value: ReadableStream.prototype.tee } });
    Object.setPrototypeOf(stream, foreignProto);
    const [first] = iterable(stream).tee();
    const values: number[] = [];
    for await (const value of first) values.push(value);
    expect(values).toEqual([1]);
  });
});

describe('where the runtime has an iterator', () => {
  it('adds nothing of its own', () => {
    proto[Symbol.asyncIterator] = native;
    const { stream } = source([1]);
    expect(Object.hasOwn(iterable(stream), Symbol.asyncIterator)).toBe(false);
    expect(Object.hasOwn(stream, 'tee')).toBe(false);
  });
});
