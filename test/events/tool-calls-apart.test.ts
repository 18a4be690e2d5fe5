import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion, functionTool, runTools, toChatCompletionEvents } from '../../src/index.js';
import type { ChatCompletionChunk, ChatCompletionEvent } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { chunkStream, deltaChunk } from '../helpers/fold-streams.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';
import { valuesOf } from '../helpers/streams.js';

// Tool calls stay apart however a server streams them: calls without `index` by their `id`,
// calls whose indices interleave by index, each done only once its arguments are whole.

const a = functionTool({ name: 'a', parameters: z.object({ a: z.number() }), execute: ({ a }) => `a=${a}` });
const b = functionTool({ name: 'b', parameters: z.object({ b: z.number() }), execute: ({ b }) => `b=${b}` });
const tools = [a, b];

const calls = (...list: object[]) => deltaChunk({ tool_calls: list });
const finish = deltaChunk({}, 'tool_calls');
/** Two whole calls in one chunk, without `index`, as Mistral sends its calls. */
const twoWhole = [
  deltaChunk({ role: 'assistant', content: '' }),
  calls({ id: 'call_a', function: { name: 'a', arguments: '{"a":1}' } }, { id: 'call_b', function: { name: 'b', arguments: '{"b":2}' } }),
  finish,
];
/** Indices 0, 1, then 0 again: call 0 is still growing when call 1 begins. */
const interleaved = [
  calls({ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"a":' } }),
  calls({ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"b":2}' } }),
  calls({ index: 0, function: { arguments: '1}' } }),
  finish,
];

/** Each call's done event, as `[id, arguments, parsed_arguments]`. */
const dones = (events: readonly ChatCompletionEvent<unknown, unknown>[]) =>
  events.flatMap((event) => (event.type === 'tool_calls.function.arguments.done' ? [[event.id, event.arguments, event.parsed_arguments]] : []));
const eventsOf = (chunks: unknown[]) => valuesOf(toChatCompletionEvents(chunkStream(chunks), { tools: tools as unknown[] }));
const expectedCalls = [
  { id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"a":1}' } },
  { id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"b":2}' } },
];

describe('tool calls without index', () => {
  it('fold into two calls when two whole ones come in one chunk, told apart by id', async () => {
    const completion = await accumulateChatCompletion(chunkStream(twoWhole));
    expect(completion.choices[0]!.message.tool_calls).toEqual(expectedCalls);
  });

  it('give two done events with their own arguments, validated', async () => {
    const events = await eventsOf(twoWhole);
    expect(dones(events)).toEqual([
      ['call_a', '{"a":1}', { a: 1 }],
      ['call_b', '{"b":2}', { b: 2 }],
    ]);
    const done = events.at(-1);
    expect(done?.type === 'done' && done.completion.choices[0]!.message.tool_calls).toEqual([
      { ...expectedCalls[0], function: { ...expectedCalls[0]!.function, parsed_arguments: { a: 1 } } },
      { ...expectedCalls[1], function: { ...expectedCalls[1]!.function, parsed_arguments: { b: 2 } } },
    ]);
  });

  it('continue the call before them when they carry no id', async () => {
    const pieces = [calls({ id: 'call_a', function: { name: 'a', arguments: '{"a"' } }), calls({ function: { arguments: ':1}' } }), finish];
    const completion = await accumulateChatCompletion(chunkStream(pieces));
    expect(completion.choices[0]!.message.tool_calls).toEqual([expectedCalls[0]]);
    expect(dones(await eventsOf(pieces))).toEqual([['call_a', '{"a":1}', { a: 1 }]]);
  });
});

describe('tool calls whose indices interleave', () => {
  it('fold by index, and give each done once its arguments are whole, never a validation error while they grow', async () => {
    const completion = await accumulateChatCompletion(chunkStream(interleaved));
    expect(completion.choices[0]!.message.tool_calls).toEqual(expectedCalls);
    const events = await eventsOf(interleaved);
    // Call b is whole when the stream goes back to a; a is done at the finish.
    expect(dones(events)).toEqual([
      ['call_b', '{"b":2}', { b: 2 }],
      ['call_a', '{"a":1}', { a: 1 }],
    ]);
    const deltas = events.filter((event) => event.type === 'tool_calls.function.arguments.delta');
    expect(deltas.map((event) => event.type === 'tool_calls.function.arguments.delta' && [event.index, event.arguments])).toEqual([
      [0, '{"a":'],
      [1, '{"b":2}'],
      [0, '{"a":1}'],
    ]);
  });
});

describe('a call is whole only when its JSON is', () => {
  it('reads braces and quotes inside strings, escaped or not, as text', async () => {
    const text = functionTool({ name: 'a', parameters: z.object({ a: z.string() }) });
    const pieces = [
      calls({ index: 0, id: 'call_a', function: { name: 'a', arguments: '{"a":"} \\" {' } }),
      calls({ index: 1, id: 'call_b', function: { name: 'b', arguments: '{"b":2}' } }),
      calls({ index: 0, function: { arguments: '"}' } }),
      finish,
    ];
    const events = await valuesOf(toChatCompletionEvents(chunkStream(pieces), { tools: [text, b] as unknown[] }));
    expect(dones(events)).toEqual([
      ['call_b', '{"b":2}', { b: 2 }],
      ['call_a', '{"a":"} \\" {"}', { a: '} " {' }],
    ]);
  });
});

describe('through runTools over HTTP', () => {
  let script: FakeReply[] = [];
  const { overHTTP } = useScriptedFake(() => script.shift());

  for (const [name, chunks] of Object.entries({ 'without index': twoWhole, interleaved })) {
    for (const stream of [false, true]) {
      it(`runs both calls ${name}, ${stream ? 'streamed' : 'plain'}`, async () => {
        script = [chunks as ChatCompletionChunk[], 'Done.'];
        const body = { model: 'm', messages: [{ role: 'user' as const, content: 'Go.' }], tools };
        const result = stream
          ? await valuesOf(runTools({ ...body, stream: true }, overHTTP())).then((events) => events.at(-1) as { steps: { results: { content: string }[] }[] })
          : await runTools(body, overHTTP());
        expect(result.steps[0]!.results.map((r) => r.content)).toEqual(['a=1', 'b=2']);
      });
    }
  }
});
