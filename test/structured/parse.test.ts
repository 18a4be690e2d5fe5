import { type } from 'arktype';
import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { createChatCompletion } from '../../src/chat.js';
import { OpenAIError } from '../../src/errors.js';
import type { FakeReply } from '../../src/fake/index.js';
import {
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
  OutputValidationError,
  functionTool,
  jsonSchemaFormat,
  createParsedChatCompletion,
  toParsedChatCompletion,
} from '../../src/structured/index.js';
import type { ParsedChatCompletion } from '../../src/structured/index.js';
import type { ChatCompletion, ChatCompletionMessageParam, RequestOptions } from '../../src/types/index.js';
import { serve } from '../server/http.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

// The fake over real HTTP; each test scripts the replies it needs, the rest are the default.
let script: FakeReply[] = [];
const { fake, server } = useScriptedFake(() => script.shift());
beforeEach(() => {
  fake.reset();
  script = [];
});
const options = (): RequestOptions => ({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 });

const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Who is Ada?' }];
const Person = z.object({ name: z.string(), age: z.number().int().optional(), tags: z.array(z.string()) });
const person = jsonSchemaFormat(Person, { name: 'person' });

async function rejection(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('createParsedChatCompletion: message.parsed', () => {
  it('parses and validates the answer with zod, and sends exactly the wire format', async () => {
    script = [{ content: '{"name":"Ada","age":36,"tags":["math"]}' }];
    const completion = await createParsedChatCompletion({ model: 'gpt-4o-mini', messages, response_format: person }, options());
    expect(completion.choices[0].message.parsed).toEqual({ name: 'Ada', age: 36, tags: ['math'] });
    expect(completion.choices[0].message.content).toBe('{"name":"Ada","age":36,"tags":["math"]}');
    expect((fake.requests[0].body as { response_format: unknown }).response_format).toEqual(JSON.parse(JSON.stringify(person)));
    expectTypeOf(completion.choices[0].message.parsed).toEqualTypeOf<{ name: string; age?: number | undefined; tags: string[] } | null>();
  });

  it('gives back an optional property the model set to null as absent', async () => {
    script = [{ content: '{"name":"Ada","age":null,"tags":[]}' }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: person }, options());
    expect(completion.choices[0].message.parsed).toEqual({ name: 'Ada', tags: [] });
    expect(completion.choices[0].message.parsed).not.toHaveProperty('age');
  });

  it('parses the fake’s default answer, JSON that fits the schema', async () => {
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: person }, options());
    expect(completion.choices[0].message.parsed).toEqual({ name: '', age: 0, tags: [] });
  });

  it('validates with arktype', async () => {
    const Cat = type({ name: 'string', 'lives?': 'number.integer' });
    script = [{ content: '{"name":"Tom","lives":null}' }, { content: '{"name":"Tom","lives":1.5}' }];
    const cat = jsonSchemaFormat(Cat, { name: 'cat' });
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: cat }, options());
    expect(completion.choices[0].message.parsed).toEqual({ name: 'Tom' });
    expectTypeOf(completion.choices[0].message.parsed).toEqualTypeOf<{ name: string; lives?: number } | null>();
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: cat }, options()));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toMatch(/^The answer of choice 0 failed validation: lives: /);
  });

  it('types a plain JSON Schema by its type argument, and only JSON.parses the answer', async () => {
    interface Weather {
      city: string;
      celsius: number;
    }
    const weather = jsonSchemaFormat<Weather>(
      { type: 'object', properties: { city: { type: 'string' }, celsius: { type: 'number' } }, required: ['city', 'celsius'] },
      { name: 'weather' },
    );
    script = [{ content: '{"city":"Paris","celsius":"warm"}' }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: weather }, options());
    expect(completion.choices[0].message.parsed).toEqual({ city: 'Paris', celsius: 'warm' });
    expectTypeOf(completion.choices[0].message.parsed).toEqualTypeOf<Weather | null>();
  });

  it('awaits an async validator', async () => {
    const Unique = z.object({ name: z.string() }).refine(async ({ name }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return name !== 'taken';
    }, 'name is taken');
    script = [{ content: '{"name":"taken"}' }];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: jsonSchemaFormat(Unique, { name: 'u' }) }, options()));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.issues).toEqual([expect.objectContaining({ message: 'name is taken' })]);
  });

  it('parses every choice when n > 1', async () => {
    script = [{ content: '{"name":"Ada","age":null,"tags":[]}' }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, n: 3, response_format: person }, options());
    expect(completion.choices.map((choice) => choice.message.parsed)).toEqual([
      { name: 'Ada', tags: [] },
      { name: 'Ada', tags: [] },
      { name: 'Ada', tags: [] },
    ]);
  });

  it('works in-process too, with the fake as fetch', async () => {
    script = [{ content: '{"name":"Bo","tags":["x"]}' }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: person }, { fetch: fake, apiKey: 'sk-test' });
    expect(completion.choices[0].message.parsed).toEqual({ name: 'Bo', tags: ['x'] });
  });

  it('leaves a completion without a parseable format as it is: no parsed', async () => {
    const completion = await createParsedChatCompletion({ model: 'm', messages }, options());
    expect(completion.choices[0].message).not.toHaveProperty('parsed');
    expectTypeOf(completion.choices[0].message.parsed).toEqualTypeOf<undefined>();
    const plain = await createParsedChatCompletion({ model: 'm', messages, response_format: { type: 'json_object' } }, options());
    expect(plain.choices[0].message).not.toHaveProperty('parsed');
  });
});

describe('createParsedChatCompletion: refusals, early stops and bad answers', () => {
  it('gives parsed: null and keeps the refusal when the model refuses', async () => {
    script = [{ refusal: "I can't help with that." }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: person }, options());
    expect(completion.choices[0].message).toMatchObject({ parsed: null, refusal: "I can't help with that.", content: null });
  });

  it('is a LengthFinishReasonError carrying the completion when the answer hit the token limit', async () => {
    script = [{ finish_reason: 'length' }];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: person }, options()));
    expect(error).toBeInstanceOf(LengthFinishReasonError);
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.name).toBe('LengthFinishReasonError');
    const { finish_reason, message } = error.completion.choices[0];
    expect(finish_reason).toBe('length');
    expect(message.content).toBe('{"name":"","age');
  });

  it('is a ContentFilterFinishReasonError carrying the completion when the filter stopped it', async () => {
    script = [{ finish_reason: 'content_filter' }];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: person }, options()));
    expect(error).toBeInstanceOf(ContentFilterFinishReasonError);
    expect(error.name).toBe('ContentFilterFinishReasonError');
    expect(error.completion.choices[0].finish_reason).toBe('content_filter');
  });

  it('is an OutputValidationError with the issues and the completion when validation fails', async () => {
    script = [{ content: '{"name":1,"age":2.5,"tags":[]}' }];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: person }, options()));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.name).toBe('OutputValidationError');
    expect(error.issues.map((issue: { path: PropertyKey[] }) => issue.path)).toEqual([['name'], ['age']]);
    expect(error.message).toMatch(/^The answer of choice 0 failed validation: name: .+; age: /);
    expect(error.completion.choices[0].message.content).toBe('{"name":1,"age":2.5,"tags":[]}');
  });

  it('is an OutputValidationError, without quoting the text, when the answer is not JSON', async () => {
    script = ['Sure! Here is the person you asked for'];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, response_format: person }, options()));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toBe('The answer of choice 0 failed validation: not valid JSON');
  });

  it('tells the three apart by class and by name', () => {
    const completion: ChatCompletion = { id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [] };
    const length = new LengthFinishReasonError('x', completion);
    const filtered = new ContentFilterFinishReasonError('x', completion);
    const invalid = new OutputValidationError('x', completion, []);
    expect([length.name, filtered.name, invalid.name]).toEqual(['LengthFinishReasonError', 'ContentFilterFinishReasonError', 'OutputValidationError']);
    expect(length).not.toBeInstanceOf(ContentFilterFinishReasonError);
    expect(invalid.completion).toBe(completion);
    expectTypeOf(length.name).toEqualTypeOf<'LengthFinishReasonError'>();
  });
});

describe('createParsedChatCompletion: tool calls of a functionTool', () => {
  const weather = functionTool({
    name: 'weather',
    description: 'The weather in a city',
    parameters: z.object({ city: z.string(), unit: z.enum(['c', 'f']).optional() }),
    execute: ({ city }) => `Sunny in ${city}`,
  });
  const search = functionTool<{ query: string }>({
    name: 'search',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  });
  const plain = { type: 'function' as const, function: { name: 'plain', parameters: { type: 'object', properties: {} } } };

  it('parses and validates each call’s arguments into function.parsed_arguments', async () => {
    script = [
      { tool_calls: [{ name: 'weather', arguments: { city: 'Paris', unit: null } }, { name: 'search', arguments: '{"query":"ada"}' }, { name: 'plain' }] },
    ];
    const completion = await createParsedChatCompletion({ model: 'm', messages, tools: [weather, search, plain] }, options());
    const calls = completion.choices[0].message.tool_calls!;
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(calls.map((call) => (call.function as { parsed_arguments?: unknown }).parsed_arguments)).toEqual([{ city: 'Paris' }, { query: 'ada' }, undefined]);
  });

  it('types each call by its tool: narrowed by the function name', async () => {
    const lookup = functionTool({ name: 'lookup', parameters: type({ id: 'string' }) });
    script = [{ tool_calls: [{ name: 'lookup', arguments: { id: 'x' } }] }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, tools: [weather, lookup] }, options());
    const call = completion.choices[0].message.tool_calls![0];
    expect(call.function).toMatchObject({ name: 'lookup', parsed_arguments: { id: 'x' } });
    expectTypeOf(call.function.name).toEqualTypeOf<'weather' | 'lookup'>();
    if (call.function.name === 'weather') expectTypeOf(call.function.parsed_arguments).toEqualTypeOf<{ city: string; unit?: 'c' | 'f' | undefined }>();
    if (call.function.name === 'lookup') expectTypeOf(call.function.parsed_arguments).toEqualTypeOf<{ id: string }>();
  });

  it('sends the tools without execute or the parser', async () => {
    await createParsedChatCompletion({ model: 'm', messages, tools: [weather] }, options());
    expect((fake.requests[0].body as { tools: unknown }).tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'The weather in a city',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { city: { type: 'string' }, unit: { anyOf: [{ type: 'string', enum: ['c', 'f'] }, { type: 'null' }] } },
            required: ['city', 'unit'],
            additionalProperties: false,
          },
          strict: true,
        },
      },
    ]);
  });

  it('parses the fake’s default arguments, made from the tool’s parameters', async () => {
    script = [{ tool_calls: [{ name: 'weather' }] }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, tools: [weather] }, options());
    const call = completion.choices[0].message.tool_calls![0];
    expect(call).toMatchObject({
      id: 'call_fake1',
      type: 'function',
      function: { name: 'weather', arguments: '{"city":"","unit":"c"}', parsed_arguments: { city: '', unit: 'c' } },
    });
  });

  it('is an OutputValidationError naming the call when arguments fail validation', async () => {
    script = [{ tool_calls: [{ name: 'weather', id: 'call_bad', arguments: { town: 'Paris' } }] }];
    const error = await rejection(createParsedChatCompletion({ model: 'm', messages, tools: [weather] }, options()));
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toMatch(/^The arguments of tool call call_bad failed validation: city: /);
  });

  it('lets the parsed message go back into the conversation', async () => {
    script = [{ tool_calls: [{ name: 'weather', arguments: { city: 'Oslo', unit: 'c' } }] }];
    const completion = await createParsedChatCompletion({ model: 'm', messages, tools: [weather] }, options());
    const conversation: ChatCompletionMessageParam[] = [...messages];
    conversation.push(completion.choices[0].message);
    expect(conversation).toHaveLength(2);
  });
});

describe('toParsedChatCompletion: the pure step, for a folded stream', () => {
  it('parses a streamed structured answer once folded', async () => {
    script = [{ content: '{"name":"Streamed Ada","age":null,"tags":["a","b"]}' }];
    const body = { model: 'm', messages, response_format: person, stream: true as const };
    const stream = await createChatCompletion(body, options());
    const folded = await accumulateChatCompletion(stream);
    const parsed = await toParsedChatCompletion(folded, body);
    expect(parsed.choices[0].message.parsed).toEqual({ name: 'Streamed Ada', tags: ['a', 'b'] });
    expect(fake.streams[0].sent).toBeGreaterThan(4);
    expect(folded.choices[0].message).not.toHaveProperty('parsed');
    expectTypeOf(parsed.choices[0].message.parsed).toEqualTypeOf<z.output<typeof Person> | null>();
    expectTypeOf(parsed).toEqualTypeOf<ParsedChatCompletion<z.output<typeof Person>>>();
  });

  it('returns the completion itself when nothing is parseable', async () => {
    const completion = await createChatCompletion({ model: 'm', messages }, options());
    expect(await toParsedChatCompletion(completion, { tools: [{ type: 'function', function: { name: 'x' } }] })).toBe(completion);
  });
});

describe('createParsedChatCompletion: what a server sends is not trusted', () => {
  const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }) });
  const bodies: [string, unknown][] = [
    ['no choices', { id: 'x', object: 'chat.completion' }],
    ['a choice without a message', { choices: [{ index: 0, finish_reason: 'stop' }] }],
    ['a null choice', { choices: [null] }],
  ];
  it.each(bodies)('%s: an OpenAIError, not a crash', async (_, answer) => {
    const hostile = await serve(async () => Response.json(answer));
    try {
      const error = await rejection(
        createParsedChatCompletion({ model: 'm', messages, response_format: person }, { baseURL: hostile.baseURL, apiKey: 'k', maxRetries: 0 }),
      );
      expect(error).toBeInstanceOf(OpenAIError);
      expect(error.message).toBe('The completion to parse has no list of choices with messages.');
    } finally {
      await hostile.close();
    }
  });

  it('skips tool calls that are not calls, and keys nothing by a name it was sent', async () => {
    const completion: ChatCompletion = {
      id: 'x',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          logprobs: null,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              null,
              { type: 'function' },
              { id: 'c', type: 'function', function: { name: '__proto__', arguments: '{}' } },
              { id: 'd', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
            ] as never,
          },
        },
      ],
    };
    const parsed = await toParsedChatCompletion(completion, { tools: [weather] });
    expect(
      parsed.choices[0].message.tool_calls!.map((call) => (call as { function?: { parsed_arguments?: unknown } } | null)?.function?.parsed_arguments),
    ).toEqual([undefined, undefined, undefined, { city: 'Rome' }]);
  });
});

describe('createParsedChatCompletion: a turn that calls tools is not a broken answer', () => {
  const weather = functionTool({ name: 'weather', parameters: z.object({ city: z.string() }) });
  /** A tool-call turn as DeepSeek (`content: ""`), Mistral (`""`, a call without `type`) or others (no `content`) answer it. */
  const toolTurn = (content: Record<string, unknown>, call: Record<string, unknown>): ChatCompletion => ({
    id: 'chatcmpl-turn',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        logprobs: null,
        message: {
          role: 'assistant',
          refusal: null,
          ...content,
          tool_calls: [{ id: 'call_1', ...call, function: { name: 'weather', arguments: '{"city":"Rome"}' } }],
        } as never,
      },
    ],
  });
  const cases: [string, ChatCompletion][] = [
    ['content ""', toolTurn({ content: '' }, { type: 'function' })],
    ['content missing', toolTurn({}, { type: 'function' })],
    ['content null', toolTurn({ content: null }, { type: 'function' })],
    ['content "" and a call without type (Mistral)', toolTurn({ content: '' }, {})],
  ];
  it.each(cases)('%s: parsed null, the call parsed, over HTTP', async (_, answer) => {
    script = [answer];
    const completion = await createParsedChatCompletion({ model: 'm', messages, response_format: person, tools: [weather] }, options());
    expect(completion.choices[0].message.parsed).toBeNull();
    expect(completion.choices[0].message.tool_calls?.[0]?.function.parsed_arguments).toEqual({ city: 'Rome' });
  });
});
