import { describe, expect, it } from 'vitest';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';

// The fold is linear by construction: each chunk's fields are read once when it arrives, and no
// chunk or earlier state is read again. Counted here as reads of the chunks (proxies), not timed;
// times are printed by test/bench/fold.ts.

/** Chunks as a server sends them, each behind a proxy counting every property read and key listing. */
function countedChunks(count: number, tally: { reads: number }): ChatCompletionChunk[] {
  const watch = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        tally.reads++;
        const value = Reflect.get(t, key, receiver);
        return typeof value === 'object' && value !== null ? watch(value) : value;
      },
      ownKeys(t) {
        tally.reads++;
        return Reflect.ownKeys(t);
      },
    });
  return Array.from(
    { length: count },
    (_, i) =>
      watch({
        id: 'chatcmpl-w',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [
          {
            index: 0,
            delta: { content: `t${i % 10} `, tool_calls: [{ index: i % 3, function: { arguments: 'x' } }] },
            logprobs: { content: [{ token: 't', logprob: -1 }] },
            finish_reason: i === count - 1 ? 'stop' : null,
          },
        ],
      }) as unknown as ChatCompletionChunk,
  );
}

async function readsFor(count: number): Promise<number> {
  const tally = { reads: 0 };
  const completion = await accumulateChatCompletion(
    (async function* () {
      yield* countedChunks(count, tally);
    })(),
  );
  expect(completion.choices[0].logprobs!.content).toHaveLength(count);
  return tally.reads;
}

describe('work grows with the stream, not faster', () => {
  it('costs the same reads for every chunk: 100k chunks cost 10× what 10k cost, up to a constant', async () => {
    const [small, medium, large] = [await readsFor(1_000), await readsFor(10_000), await readsFor(100_000)];
    // reads(n) = a·n + b exactly: the 90,000 chunks from 10k to 100k cost 10× the 9,000 from 1k to 10k.
    expect(large - medium).toBe(10 * (medium - small));
    expect(large / medium).toBeCloseTo(10, 3);
  }, 60_000);
});
