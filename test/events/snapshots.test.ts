import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import { functionTool, jsonSchemaFormat } from '../../src/structured/index.js';
import type { ChatCompletionEvent } from '../../src/events/types.js';
import { chunkStream } from '../helpers/fold-streams.js';

// Snapshots never change once handed out: for any JSON answers cut anywhere, streamed in two
// interleaved choices (content with logprobs in one, a tool call's arguments in the other), every
// event cloned when it arrived (its lazy values read then) still equals itself at the end; and
// lazy values read only at the end equal those read on arrival.

const format = jsonSchemaFormat({ type: 'object' }, { name: 'any', strict: false });
const tool = functionTool({ name: 'fill', parameters: { type: 'object' }, strict: false });
const options = { response_format: format, tools: [tool] };

type Event = ChatCompletionEvent<unknown, (typeof tool)[]>;

/** The event as a plain value, its lazy fields (getters on the prototype) read now. */
function plain(event: Event): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...event };
  for (const key of ['parsed', 'parsed_arguments', 'snapshot']) if (key in event) copy[key] = (event as unknown as Record<string, unknown>)[key];
  return copy;
}

const chunk = (index: number, delta: object, extra: object = {}) => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index, delta, logprobs: null, finish_reason: null, ...extra }],
});
const token = (text: string) => ({ token: text, logprob: -1, bytes: null, top_logprobs: [] });

/** Cuts `text` at the given fractions of its length. */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((fraction) => Math.floor(fraction * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of [...points, text.length]) {
    if (point > start) pieces.push(text.slice(start, point));
    start = Math.max(start, point);
  }
  return pieces;
}

/** Choice 0 streams `answer` with a token per piece, choice 1 a call with `args`, interleaved by `order`. */
function chunksOf(answer: string[], args: string[], order: boolean[]): object[] {
  const first = answer.map((content) => chunk(0, { content }, { logprobs: { content: [token(content)], refusal: null } }));
  const second = [
    chunk(1, { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'fill', arguments: '' } }] }),
    ...args.map((piece) => chunk(1, { tool_calls: [{ index: 0, function: { arguments: piece } }] })),
  ];
  const chunks: object[] = [chunk(0, { role: 'assistant', content: '' }), chunk(1, { role: 'assistant', content: null })];
  for (let i = 0; first.length + second.length > 0; i++)
    chunks.push((order[i % order.length] && first.length > 0) || second.length === 0 ? first.shift()! : second.shift()!);
  chunks.push(chunk(0, {}, { finish_reason: 'stop' }), chunk(1, {}, { finish_reason: 'tool_calls' }));
  return chunks;
}

const document = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }).map((value) => JSON.stringify(value));
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

describe('snapshots already handed out never change', () => {
  it('for any answers, cuts and interleavings', async () => {
    await fc.assert(
      fc.asyncProperty(
        document,
        cuts,
        document,
        cuts,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (answer, answerCuts, args, argsCuts, order) => {
          const chunks = chunksOf(cut(answer, answerCuts), cut(args, argsCuts), order);

          // Read on arrival, cloned at once; compared with the same events at the end.
          const kept: Event[] = [];
          const clones: unknown[] = [];
          for await (const event of toChatCompletionEvents(chunkStream(chunks), options)) {
            kept.push(event);
            clones.push(structuredClone(plain(event)));
          }
          expect(kept.map(plain)).toEqual(clones);

          // Read only at the end: the lazy values are those of their moment.
          const late: Event[] = [];
          for await (const event of toChatCompletionEvents(chunkStream(chunks), options)) late.push(event);
          expect(late.map(plain)).toEqual(clones);

          // And they grow into the answers.
          const done = late.find((event) => event.type === 'content.done');
          const call = late.find((event) => event.type === 'tool_calls.function.arguments.done');
          expect(done?.type === 'content.done' && done.parsed).toEqual(JSON.parse(answer));
          expect(call?.type === 'tool_calls.function.arguments.done' && call.parsed_arguments).toEqual(JSON.parse(args));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a lazy value is the same object on every read', async () => {
    for await (const event of toChatCompletionEvents(chunkStream(chunksOf(['{"a":[1', ',2]}'], ['{"b":', '{}}'], [true, false])), options)) {
      if (event.type === 'content.delta') expect(event.parsed).toBe(event.parsed);
      if (event.type === 'tool_calls.function.arguments.delta') expect(event.parsed_arguments).toBe(event.parsed_arguments);
      if (event.type === 'logprobs.content.delta') expect(event.snapshot).toBe(event.snapshot);
    }
  });

  it('JSON.stringify includes the lazy values; spread reads them only by name', async () => {
    const events: Event[] = [];
    for await (const event of toChatCompletionEvents(chunkStream(chunksOf(['{"a":1}'], ['{}'], [true])), options)) events.push(event);
    const delta = events.find((event) => event.type === 'content.delta')!;
    expect(JSON.parse(JSON.stringify(delta))).toEqual({ type: 'content.delta', choice_index: 0, delta: '{"a":1}', snapshot: '{"a":1}', parsed: { a: 1 } });
    expect({ ...delta }).not.toHaveProperty('parsed');
  });
});
