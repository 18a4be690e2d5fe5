// The fold's time against its size, printed (never asserted): `npx tsx test/bench/fold.ts`.
// A linear fold shows about 10x the time for 10x the chunks, and a flat time per chunk.
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import type { ChatCompletionChunk } from '../../src/types/index.js';

const SIZES = [10_000, 100_000, 1_000_000];

/** Content, reasoning, a tool call's arguments, a repeated label and logprobs: every merge path. */
function chunkAt(i: number, last: boolean): ChatCompletionChunk {
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: 'tok ',
          reasoning: 'r ',
          channel: 'analysis',
          tool_calls: [{ index: i % 2, type: 'function', function: { arguments: 'x' } }],
        },
        logprobs: { content: [{ token: 'tok', logprob: -0.5, bytes: [116], top_logprobs: [] }], refusal: null },
        finish_reason: last ? 'stop' : null,
      },
    ],
  } as unknown as ChatCompletionChunk;
}

async function timeFold(count: number): Promise<number> {
  const chunks = Array.from({ length: count }, (_, i) => chunkAt(i, i === count - 1));
  const started = performance.now();
  await accumulateChatCompletion(
    (async function* () {
      yield* chunks;
    })(),
  );
  return performance.now() - started;
}

await timeFold(10_000); // warm-up
let previous: number | undefined;
for (const count of SIZES) {
  const ms = await timeFold(count);
  const ratio = previous === undefined ? '' : `  ${(ms / previous).toFixed(1)}x the size before`;
  console.log(`${count.toLocaleString('en').padStart(9)} chunks  ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1000) / count).toFixed(2)} µs a chunk${ratio}`);
  previous = ms;
}
