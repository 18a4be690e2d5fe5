import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createChatCompletion } from '../../src/chat.js';
import { toChatCompletionEvents } from '../../src/events/to-events.js';
import type { FakeReply } from '../../src/fake/index.js';
import { functionTool, jsonSchemaFormat, createParsedChatCompletion } from '../../src/structured/index.js';
import type { FormatOutput, ToolsOf } from '../../src/structured/index.js';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from '../../src/types/index.js';
import type { ChatCompletionEvent } from '../../src/events/types.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

// The events of streamed answers, against the fake over real HTTP (and in-process where said):
// what each event holds, in what order, for a zod format, a plain JSON Schema, n = 2, a refusal,
// tool calls and logprobs.

let script: FakeReply[] = [];
const { overHTTP, inProcess } = useScriptedFake(() => script.shift());

const messages = [{ role: 'user' as const, content: 'Fill in the form.' }];
const Person = z.object({
  name: z.string().min(12),
  age: z.number().int().min(18),
  pets: z.array(z.object({ name: z.string().min(9), kind: z.enum(['cat', 'dog']) })).min(2),
  nickname: z.string().optional(),
});
const person = jsonSchemaFormat(Person, { name: 'person' });

type Events<Body extends { response_format?: unknown; tools?: unknown }> = ChatCompletionEvent<FormatOutput<Body['response_format']>, ToolsOf<Body['tools']>>[];

async function eventsOf<Body extends Omit<ChatCompletionCreateParamsStreaming, 'model' | 'messages' | 'stream'>>(
  body: Body,
  options = overHTTP(),
): Promise<Events<Body>> {
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, ...body, stream: true }, options);
  const events: Events<Body> = [];
  for await (const event of toChatCompletionEvents<Body['response_format'], Body['tools']>(stream, body)) events.push(event);
  return events;
}

const ofType = <E extends { type: string }, T extends E['type']>(events: E[], type: T) =>
  events.filter((event): event is Extract<E, { type: T }> => event.type === type);
const withoutChunks = <E extends { type: string }>(events: E[]) => events.filter((event) => event.type !== 'chunk').map((event) => event.type);

describe('a structured answer with a zod format', () => {
  it('gives a chunk event per chunk, content deltas with their snapshots, content.done, then done', async () => {
    const events = await eventsOf({ response_format: person });
    const chunks = ofType(events, 'chunk');
    const deltas = ofType(events, 'content.delta');
    const whole = deltas.map((event) => event.delta).join('');
    expect(chunks.length).toBe(deltas.length + 2); // the role chunk and the finish chunk give no delta
    expect(deltas.length).toBe(Math.ceil(whole.length / 8));
    expect(deltas.map((event) => event.snapshot)).toEqual(
      deltas.map((_, i) =>
        deltas
          .slice(0, i + 1)
          .map((event) => event.delta)
          .join(''),
      ),
    );
    expect(withoutChunks(events)).toEqual([...deltas.map(() => 'content.delta'), 'content.done', 'done']);
    expect(events.at(-1)?.type).toBe('done');
    expect(deltas.every((event) => event.choice_index === 0)).toBe(true);
  });

  it('parses each delta: partial values that grow into the validated answer', async () => {
    const events = await eventsOf({ response_format: person });
    const parsed = ofType(events, 'content.delta').map((event) => event.parsed);
    const [done] = ofType(events, 'content.done');
    const answer = JSON.parse(done.content);
    expect(parsed[0]).toEqual({}); // the first 8 characters, `{"name":`: the object is known, no member yet
    // A string as its text so far, then complete, then the next members as they come.
    expect(parsed[1]).toEqual({ name: answer.name.slice(0, 7) });
    expect(parsed).toContainEqual({ name: answer.name, age: answer.age, pets: [] });
    expect(parsed.at(-1)).toEqual(answer);
    expect(done.parsed).toEqual(Person.parse(answer));
  });

  it('drops the null strict mode sends for an optional property from the done value, not from the partial ones', async () => {
    script = [
      JSON.stringify({
        name: 'Ada Lovelace',
        age: 36,
        pets: [
          { name: 'Lord Byron', kind: 'cat' },
          { name: 'Babbage!!', kind: 'dog' },
        ],
        nickname: null,
      }),
    ];
    const events = await eventsOf({ response_format: person });
    expect(ofType(events, 'content.delta').at(-1)?.parsed).toHaveProperty('nickname', null);
    expect(ofType(events, 'content.done')[0].parsed).not.toHaveProperty('nickname');
  });

  it('ends with the completion createParsedChatCompletion gives for the same request', async () => {
    const events = await eventsOf({ response_format: person });
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const expected = await createParsedChatCompletion({ model: 'gpt-4o-mini', messages, response_format: person }, overHTTP());
    if (done?.type !== 'done') return;
    // The non-streamed answer also has the `annotations: []` the stream never sends.
    const essentials = ({ choices }: typeof expected) =>
      choices.map(({ index, finish_reason, message }) => ({ index, finish_reason, content: message.content, parsed: message.parsed }));
    expect(essentials(done.completion)).toEqual(essentials(expected));
    expect(done.completion.choices[0].message.parsed).toEqual(ofType(events, 'content.done')[0].parsed);
  });

  it('reads the same through the fake in-process', async () => {
    const http = await eventsOf({ response_format: person });
    const local = await eventsOf({ response_format: person }, inProcess());
    expect(ofType(local, 'content.delta').map((event) => [event.delta, event.parsed])).toEqual(
      ofType(http, 'content.delta').map((event) => [event.delta, event.parsed]),
    );
  });

  it('types parsed from the format', async () => {
    for (const event of await eventsOf({ response_format: person })) {
      if (event.type === 'content.delta')
        expectTypeOf(event.parsed).toEqualTypeOf<
          { name?: string; age?: number; pets?: { name?: string; kind?: 'cat' | 'dog' }[]; nickname?: string | null } | undefined
        >();
      if (event.type === 'content.done') expectTypeOf(event.parsed).toEqualTypeOf<z.infer<typeof Person>>();
      if (event.type === 'done') expectTypeOf(event.completion.choices[0].message.parsed).toEqualTypeOf<z.infer<typeof Person> | null>();
    }
  });
});

describe('a structured answer with a plain JSON Schema', () => {
  interface Point {
    x: number;
    y: number;
    label: string;
  }
  const schema = {
    type: 'object',
    properties: { x: { type: 'number' }, y: { type: 'number' }, label: { type: 'string', minLength: 20 } },
    required: ['x', 'y', 'label'],
    additionalProperties: false,
  } as const;
  const point = jsonSchemaFormat<Point>(schema, { name: 'point' });

  it('parses deltas and types them from the type argument', async () => {
    const events = await eventsOf({ response_format: point });
    const [done] = ofType(events, 'content.done');
    expect(done.parsed).toEqual(JSON.parse(done.content));
    expect(ofType(events, 'content.delta').map((event) => event.parsed)).toContainEqual({ x: done.parsed.x });
    expectTypeOf(done.parsed).toEqualTypeOf<Point>();
  });

  it('gives no parsed value for a format that cannot parse (a json_schema written by hand)', async () => {
    const events = await eventsOf({ response_format: { type: 'json_schema', json_schema: { name: 'point', schema, strict: true } } });
    const deltas = ofType(events, 'content.delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.every((event) => event.parsed === undefined)).toBe(true);
    expect(ofType(events, 'content.done')[0].parsed).toBeUndefined();
    expectTypeOf(deltas[0].parsed).toEqualTypeOf<undefined>();
  });
});

describe('plain text', () => {
  it('gives content deltas and done events without parsed values', async () => {
    const events = await eventsOf({});
    expect(ofType(events, 'content.delta').map((event) => event.delta)).toEqual(['Echo:', ' Fill', ' in', ' the', ' form.']);
    expect(ofType(events, 'content.done')).toEqual([{ type: 'content.done', choice_index: 0, content: 'Echo: Fill in the form.', parsed: undefined }]);
  });
});

describe('n = 2', () => {
  it('gives every choice its events, each saying its choice_index, and one done', async () => {
    const events = await eventsOf({ response_format: person, n: 2 });
    for (const index of [0, 1]) {
      const deltas = ofType(events, 'content.delta').filter((event) => event.choice_index === index);
      const [done] = ofType(events, 'content.done').filter((event) => event.choice_index === index);
      expect(deltas.map((event) => event.delta).join('')).toBe(done.content);
      expect(deltas.at(-1)?.parsed).toEqual(JSON.parse(done.content));
      expect(done.parsed).toEqual(Person.parse(JSON.parse(done.content)));
    }
    // Interleaved as the chunks are: choice 0's piece, then choice 1's.
    expect(
      ofType(events, 'content.delta')
        .slice(0, 4)
        .map((event) => event.choice_index),
    ).toEqual([0, 1, 0, 1]);
    expect(ofType(events, 'done')).toHaveLength(1);
    expect(ofType(events, 'done')[0].completion.choices.map((choice) => choice.message.parsed)).toEqual(
      ofType(events, 'content.done').map((event) => event.parsed),
    );
  });
});

describe('a refusal', () => {
  it('gives refusal deltas and refusal.done, no content events, and parsed null', async () => {
    script = [{ refusal: "I can't help with that." }];
    const events = await eventsOf({ response_format: person });
    expect(withoutChunks(events)).toEqual(['refusal.delta', 'refusal.done', 'done']);
    expect(ofType(events, 'refusal.delta')[0]).toEqual({
      type: 'refusal.delta',
      choice_index: 0,
      delta: "I can't help with that.",
      snapshot: "I can't help with that.",
    });
    expect(ofType(events, 'refusal.done')[0]).toEqual({ type: 'refusal.done', choice_index: 0, refusal: "I can't help with that." });
    const [done] = ofType(events, 'done');
    expect(done.completion.choices[0].message).toMatchObject({ content: null, refusal: "I can't help with that.", parsed: null });
  });
});

describe('tool calls', () => {
  const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string(), days: z.number().int() }) });
  const plain = { type: 'function' as const, function: { name: 'now', parameters: { type: 'object', properties: {} } } };
  const tools = [weather, plain];

  /** A call streamed as the API streams it: id and name first, then the arguments in pieces. */
  function callChunks(index: number, id: string, name: string, args: string[]): ChatCompletionChunk[] {
    const chunk = (delta: object): ChatCompletionChunk => ({
      id: 'chatcmpl-tools',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { tool_calls: [{ index, ...delta }] }, logprobs: null, finish_reason: null }],
    });
    return [chunk({ id, type: 'function', function: { name, arguments: '' } }), ...args.map((piece) => chunk({ function: { arguments: piece } }))];
  }
  const role: ChatCompletionChunk = {
    id: 'chatcmpl-tools',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { role: 'assistant', content: null }, logprobs: null, finish_reason: null }],
  };
  const finish: ChatCompletionChunk = { ...role, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }] };

  it('gives argument deltas with parsed_arguments so far, each call done when the next begins, validated', async () => {
    script = [
      [role, ...callChunks(0, 'call_1', 'weather', ['{"ci', 'ty": "Os', 'lo", "da', 'ys": 3}']), ...callChunks(1, 'call_2', 'now', ['{', '}']), finish],
    ];
    const events = await eventsOf({ tools });
    expect(withoutChunks(events)).toEqual([
      ...Array(4).fill('tool_calls.function.arguments.delta'),
      'tool_calls.function.arguments.done',
      ...Array(2).fill('tool_calls.function.arguments.delta'),
      'tool_calls.function.arguments.done',
      'done',
    ]);
    const deltas = ofType(events, 'tool_calls.function.arguments.delta');
    expect(deltas.slice(0, 4).map((event) => [event.arguments_delta, event.arguments, event.parsed_arguments])).toEqual([
      ['{"ci', '{"ci', {}],
      ['ty": "Os', '{"city": "Os', { city: 'Os' }],
      ['lo", "da', '{"city": "Oslo", "da', { city: 'Oslo' }],
      ['ys": 3}', '{"city": "Oslo", "days": 3}', { city: 'Oslo', days: 3 }],
    ]);
    expect(deltas[0]).toMatchObject({ choice_index: 0, index: 0, id: 'call_1', name: 'weather' });
    // A tool without a schema to parse by gives no parsed arguments.
    expect(deltas.slice(4).map((event) => [event.name, event.parsed_arguments])).toEqual([
      ['now', undefined],
      ['now', undefined],
    ]);
    const dones = ofType(events, 'tool_calls.function.arguments.done');
    expect(dones.map(({ type: _type, ...rest }) => rest)).toEqual([
      { choice_index: 0, index: 0, id: 'call_1', name: 'weather', arguments: '{"city": "Oslo", "days": 3}', parsed_arguments: { city: 'Oslo', days: 3 } },
      { choice_index: 0, index: 1, id: 'call_2', name: 'now', arguments: '{}', parsed_arguments: undefined },
    ]);
    const [done] = ofType(events, 'done');
    expect(done.completion.choices[0].message.tool_calls?.[0]).toMatchObject({
      id: 'call_1',
      function: { name: 'weather', parsed_arguments: { city: 'Oslo', days: 3 } },
    });
  });

  it('narrows parsed_arguments by the tool name', async () => {
    script = [{ tool_calls: [{ name: 'weather', arguments: { city: 'Bergen', days: 1 } }] }];
    for (const event of await eventsOf({ tools: [weather] })) {
      if (event.type !== 'tool_calls.function.arguments.done') continue;
      expectTypeOf(event.name).toEqualTypeOf<'weather'>();
      expectTypeOf(event.parsed_arguments).toEqualTypeOf<{ city: string; days: number }>();
      expect(event.parsed_arguments.city).toBe('Bergen');
    }
  });

  it("gives the fake's calls, made from the tools' parameters, to every choice", async () => {
    script = [{ tool_calls: [{ name: 'weather' }] }];
    const events = await eventsOf({ tools: [weather], n: 2 });
    expect(ofType(events, 'tool_calls.function.arguments.done').map((event) => [event.choice_index, event.parsed_arguments])).toEqual([
      [0, { city: '', days: 0 }],
      [1, { city: '', days: 0 }],
    ]);
  });
});

describe('logprobs', () => {
  const token = (text: string) => ({ token: text, logprob: -0.5, bytes: [...new TextEncoder().encode(text)], top_logprobs: [] });
  const chunk = (content: string, finish: 'stop' | null = null): ChatCompletionChunk => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { content }, logprobs: { content: [token(content)], refusal: null }, finish_reason: finish }],
  });

  it('gives the tokens of each chunk with the tokens so far, and all of them when done', async () => {
    script = [[chunk('Hi'), chunk(' there', 'stop')]];
    const events = await eventsOf({ logprobs: true });
    const deltas = ofType(events, 'logprobs.content.delta');
    expect(deltas.map((event) => [event.content, event.snapshot])).toEqual([
      [[token('Hi')], [token('Hi')]],
      [[token(' there')], [token('Hi'), token(' there')]],
    ]);
    expect(ofType(events, 'logprobs.content.done')).toEqual([{ type: 'logprobs.content.done', choice_index: 0, content: [token('Hi'), token(' there')] }]);
    expect(withoutChunks(events)).toEqual([
      'content.delta',
      'logprobs.content.delta',
      'content.delta',
      'logprobs.content.delta',
      'content.done',
      'logprobs.content.done',
      'done',
    ]);
  });
});

describe('the event union', () => {
  it('narrows by type, with parsed typed undefined when nothing is parseable', () => {
    type Plain = ChatCompletionEvent;
    expectTypeOf<Extract<Plain, { type: 'content.delta' }>['parsed']>().toEqualTypeOf<undefined>();
    expectTypeOf<Extract<Plain, { type: 'tool_calls.function.arguments.done' }>['name']>().toEqualTypeOf<string>();
    expectTypeOf<Extract<Plain, { type: 'done' }>['completion']['choices'][number]['message']['parsed']>().toEqualTypeOf<undefined>();
  });
});
