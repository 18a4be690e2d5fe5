import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { functionTool, jsonSchemaFormat, runTools, toChatCompletionEvents } from '../../src/index.js';
import type { FakeReply } from '../../src/fake/index.js';
import { chunkStream, deltaChunk } from '../helpers/fold-streams.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';
import { valuesOf } from '../helpers/streams.js';

// Each answer and each call's arguments are validated once, and everything that shows the value
// shows that same value: a transform whose output differs per run (a counter) tells.

let runs = 0;
/** A schema whose transform numbers its runs: two validations give two different values. */
const counted = <T extends z.ZodRawShape>(shape: T) => z.object(shape).transform((value) => ({ ...value, run: ++runs }));
const format = jsonSchemaFormat(counted({ answer: z.string() }), { name: 'answer' });
const weather = functionTool({ name: 'weather', parameters: counted({ city: z.string() }), execute: ({ city, run }) => `${city} #${run}` });

const ofType = <E extends { type: string }, K extends E['type']>(events: readonly E[], type: K) =>
  events.filter((event): event is Extract<E, { type: K }> => event.type === type);

describe('the events validate once', () => {
  it('content.done and done share one validated answer', async () => {
    runs = 0;
    const chunks = [deltaChunk({ role: 'assistant', content: '{"answer":' }), deltaChunk({ content: '"yes"}' }), deltaChunk({}, 'stop')];
    const events = await valuesOf(toChatCompletionEvents(chunkStream(chunks), { response_format: format }));
    const [contentDone] = ofType(events, 'content.done');
    const [done] = ofType(events, 'done');
    expect(runs).toBe(1);
    expect(contentDone!.parsed).toEqual({ answer: 'yes', run: 1 });
    expect(done!.completion.choices[0]!.message.parsed).toBe(contentDone!.parsed);
  });

  it('each call once, the same call twice twice, each done and the completion sharing the values', async () => {
    runs = 0;
    const call = (index: number, id: string) => ({ index, id, type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } });
    const chunks = [
      deltaChunk({ role: 'assistant', tool_calls: [call(0, 'call_1')] }),
      deltaChunk({ tool_calls: [call(1, 'call_2')] }),
      deltaChunk({}, 'tool_calls'),
    ];
    const events = await valuesOf(toChatCompletionEvents(chunkStream(chunks), { tools: [weather] }));
    const argumentDones = ofType(events, 'tool_calls.function.arguments.done');
    const [done] = ofType(events, 'done');
    expect(runs).toBe(2);
    const parsed = done!.completion.choices[0]!.message.tool_calls!.map((c) => c.function.parsed_arguments);
    expect(parsed).toEqual([
      { city: 'Oslo', run: 1 },
      { city: 'Oslo', run: 2 },
    ]);
    expect(parsed[0]).toBe(argumentDones[0]!.parsed_arguments);
    expect(parsed[1]).toBe(argumentDones[1]!.parsed_arguments);
  });
});

describe('runTools validates each call once, streamed or not, over HTTP', () => {
  let script: FakeReply[] = [];
  const { overHTTP } = useScriptedFake(() => script.shift());

  for (const stream of [false, true]) {
    it(stream ? 'streamed' : 'plain', async () => {
      script = [{ tool_calls: [{ name: 'weather', arguments: { city: 'Oslo' } }] }, '{"answer":"cold"}'];
      runs = 0;
      const body = { model: 'm', messages: [{ role: 'user' as const, content: 'Oslo?' }], tools: [weather], response_format: format };
      const result = stream ? ofType(await valuesOf(runTools({ ...body, stream: true }, overHTTP())), 'done')[0] : await runTools(body, overHTTP());
      // One run for the call's arguments, one for the answer: execute got the call's value.
      expect(runs).toBe(2);
      expect(result!.steps[0]!.results[0]!.content).toBe('Oslo #1');
      expect(result!.completion.choices[0]!.message.parsed).toEqual({ answer: 'cold', run: 2 });
    });
  }
});
