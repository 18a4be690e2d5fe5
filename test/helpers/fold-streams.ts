import { readFileSync } from 'node:fs';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { parseServerSentEvents } from '../../src/stream/chunk-stream.js';
import type { ChatCompletion, ChatCompletionChunk } from '../../src/types/index.js';

/** Streams recorded from live APIs by other projects (see recorded/README.md). */
export const RECORDED = new URL('../fixtures/streams/recorded/', import.meta.url);

export const recorded = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, RECORDED)));

/** A body handing out `pieces` one a pull, nothing read ahead. */
export function bodyOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next < pieces.length) controller.enqueue(pieces[next++]);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Cuts `bytes` into pieces of 1 to `max` bytes, sized by `random` (a number in [0, 1) a call). */
export function randomPieces(bytes: Uint8Array, random: () => number, max = 64): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    const size = 1 + Math.floor(random() * max);
    pieces.push(bytes.subarray(start, start + size));
    start += size;
  }
  return pieces;
}

/** A small seeded generator (mulberry32), so a failing split can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Folds SSE bytes arriving in the given pieces, through the SDK's own parser. */
export const foldBytes = (pieces: Uint8Array[]): Promise<ChatCompletion> => accumulateChatCompletion(parseServerSentEvents(bodyOf(pieces)));

/** A stream of the given chunks, one a pull; with `error`, it fails after them instead of closing. */
export function chunkStream(chunks: unknown[], error?: unknown): ReadableStream<ChatCompletionChunk> {
  let next = 0;
  return new ReadableStream<ChatCompletionChunk>(
    {
      pull(controller) {
        if (next < chunks.length) controller.enqueue(chunks[next++] as ChatCompletionChunk);
        else if (error !== undefined) controller.error(error);
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** One chunk of choice 0 with the given delta; `extra` adds fields to the choice. */
export function deltaChunk(delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-fold',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, logprobs: null, finish_reason, ...extra }],
  };
}

/** Folds chunks given in memory. */
export const foldChunks = (chunks: unknown[]): Promise<ChatCompletion> => accumulateChatCompletion(chunkStream(chunks));
