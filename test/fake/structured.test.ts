import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accumulateChatCompletion } from '../../src/fold/accumulate.js';
import { createChatCompletion } from '../../src/chat.js';
import { APIError } from '../../src/errors.js';
import type { FakeReply } from '../../src/fake/index.js';
import { instanceOf } from '../../src/fake/instance.js';
import { jsonSchemaFormat } from '../../src/structured/index.js';
import type { ChatCompletionChunk, ChatCompletionCreateParams } from '../../src/types/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

let script: FakeReply[] = [];
const { overHTTP, inProcess } = useScriptedFake(() => script.shift());

const messages = [{ role: 'user' as const, content: 'Fill in the form.' }];
const CORPUS = new URL('../fixtures/schemas/', import.meta.url);
const corpus = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8'))] as const);

async function answer(body: Omit<ChatCompletionCreateParams, 'model' | 'messages'>, options = overHTTP()) {
  const completion = await createChatCompletion({ model: 'gpt-4o-mini', messages, ...body, stream: false }, options);
  return completion.choices[0];
}

async function streamed(body: Omit<ChatCompletionCreateParams, 'model' | 'messages'>) {
  const stream = await createChatCompletion({ model: 'gpt-4o-mini', messages, ...body, stream: true }, overHTTP());
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return {
    chunks,
    completion: await accumulateChatCompletion(
      (async function* () {
        yield* chunks;
      })(),
    ),
  };
}

describe('the fake answers a json_schema request with JSON that fits the schema', () => {
  const schemas = {
    'strings, numbers and bounds': z.object({
      name: z.string().min(3),
      age: z.number().int().min(18),
      ratio: z.number().gt(0).lte(1),
      even: z.number().int().multipleOf(4).min(5),
      ok: z.boolean(),
    }),
    formats: z.object({ email: z.email(), id: z.uuid(), at: z.iso.datetime(), day: z.iso.date() }),
    'enums, literals and nullable': z.object({
      role: z.enum(['admin', 'user']),
      kind: z.literal('cat'),
      nick: z.string().nullable(),
      size: z.union([z.literal(1), z.literal(2)]),
    }),
    'optional properties (made nullable by strict mode)': z.object({ a: z.string().optional(), b: z.array(z.number()).optional() }),
    'nested objects and arrays': z.object({ owner: z.object({ name: z.string(), pets: z.array(z.object({ name: z.string() })).min(2) }) }),
    'discriminated unions': z.object({
      shape: z.discriminatedUnion('type', [z.object({ type: z.literal('circle'), r: z.number() }), z.object({ type: z.literal('square'), side: z.number() })]),
    }),
    'recursion through $ref': (() => {
      const Node: z.ZodType<{ name: string; children: unknown[] }> = z.object({
        name: z.string(),
        get children() {
          return z.array(Node);
        },
      });
      return z.object({ root: Node });
    })(),
  };
  it.each(Object.entries(schemas))('%s', async (_, Schema) => {
    const choice = await answer({ response_format: jsonSchemaFormat(Schema, { name: 'form' }) });
    expect(choice.finish_reason).toBe('stop');
    expect(Schema.safeParse(JSON.parse(choice.message.content!)).success).toBe(true);
  });

  // The fake does not write strings to a `pattern`: the check leaves patterns out.
  const withoutPatterns = (schema: object) => JSON.parse(JSON.stringify(schema, (key, value) => (key === 'pattern' ? undefined : value)));
  it.each(corpus)('%s of the strict corpus, before and after strict preparation', async (_, schema) => {
    const loose = await answer({ response_format: { type: 'json_schema', json_schema: { name: 'x', schema, strict: false } } });
    expect(z.fromJSONSchema(withoutPatterns(schema)).safeParse(JSON.parse(loose.message.content!)).error).toBeUndefined();
    const format = jsonSchemaFormat(schema, { name: 'x' });
    const strict = await answer({ response_format: format }, inProcess());
    expect(z.fromJSONSchema(withoutPatterns(format.json_schema.schema)).safeParse(JSON.parse(strict.message.content!)).error).toBeUndefined();
  });

  it('ends optional recursion with null well before the depth limit', () => {
    const schema = { type: 'object', properties: { next: { anyOf: [{ $ref: '#' }, { type: 'null' }] } }, required: ['next'] } as const;
    const depth = (value: any): number => (value === null ? 0 : 1 + depth(value.next));
    expect(depth(instanceOf(schema))).toBeLessThan(16);
    expect(z.fromJSONSchema(schema as never).safeParse(instanceOf(schema)).success).toBe(true);
  });

  it('gives the same answer to the same request', async () => {
    const format = jsonSchemaFormat(schemas['nested objects and arrays'], { name: 'form' });
    expect((await answer({ response_format: format })).message.content).toBe((await answer({ response_format: format })).message.content);
  });

  it('still echoes a request without a json_schema format', async () => {
    expect((await answer({})).message.content).toBe('Echo: Fill in the form.');
    expect((await answer({ response_format: { type: 'json_object' } })).message.content).toBe('Echo: Fill in the form.');
  });

  it('answers with a scripted reply instead, as it is', async () => {
    script = ['{"not":"the schema"}'];
    expect((await answer({ response_format: jsonSchemaFormat(schemas['formats'], { name: 'form' }) })).message.content).toBe('{"not":"the schema"}');
  });
});

describe('the fake refuses, stops early and calls tools on request', () => {
  const format = jsonSchemaFormat(z.object({ title: z.string(), words: z.array(z.string()).min(3) }), { name: 'essay' });

  it('refuses: no content, the refusal text', async () => {
    script = [{ refusal: "I can't help with that." }];
    expect(await answer({ response_format: format })).toMatchObject({
      finish_reason: 'stop',
      message: { role: 'assistant', content: null, refusal: "I can't help with that." },
    });
  });

  it('stops at length: the answer it would give, cut in half', async () => {
    script = [{ finish_reason: 'length' }];
    const full = JSON.stringify({ title: '', words: ['', '', ''] });
    expect(await answer({ response_format: format })).toMatchObject({
      finish_reason: 'length',
      message: { content: full.slice(0, Math.ceil(full.length / 2)) },
    });
  });

  it('stops at the content filter with no content, or with the content given', async () => {
    script = [{ finish_reason: 'content_filter' }, { finish_reason: 'content_filter', content: '{"tit' }];
    expect(await answer({ response_format: format })).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });
    expect(await answer({ response_format: format })).toMatchObject({ finish_reason: 'content_filter', message: { content: '{"tit' } });
  });

  it('calls tools, with arguments made from their parameters unless given', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city', 'days'] },
        },
      },
      { type: 'function' as const, function: { name: 'now' } },
    ];
    script = [
      {
        tool_calls: [
          { name: 'weather' },
          { name: 'now' },
          { name: 'weather', id: 'call_mine', arguments: { city: 'Oslo', days: 2 } },
          { name: 'weather', arguments: '{"city":' },
        ],
      },
    ];
    const choice = await answer({ tools });
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: 'call_fake1', type: 'function', function: { name: 'weather', arguments: '{"city":"","days":1}' } },
      { id: 'call_fake2', type: 'function', function: { name: 'now', arguments: '{}' } },
      { id: 'call_mine', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo","days":2}' } },
      { id: 'call_fake4', type: 'function', function: { name: 'weather', arguments: '{"city":' } },
    ]);
  });

  it('says the same in every choice when n > 1', async () => {
    script = [{ refusal: 'No.' }];
    const completion = await createChatCompletion({ model: 'm', messages, n: 2, response_format: format }, overHTTP());
    expect(completion.choices.map((choice) => [choice.index, choice.message.refusal])).toEqual([
      [0, 'No.'],
      [1, 'No.'],
    ]);
  });
});

describe('the fake streams structured answers', () => {
  const format = jsonSchemaFormat(z.object({ title: z.string().min(20), words: z.array(z.string()).min(2) }), { name: 'essay' });

  it('streams JSON in 8-character pieces, which fold into the same answer as without stream', async () => {
    const { chunks, completion } = await streamed({ response_format: format });
    const pieces = chunks.map((chunk) => chunk.choices[0]?.delta.content).filter((piece) => piece);
    const whole = (await answer({ response_format: format })).message.content!;
    expect(pieces.join('')).toBe(whole);
    expect(pieces.length).toBe(Math.ceil(whole.length / 8));
    expect(pieces.every((piece) => piece!.length <= 8)).toBe(true);
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: whole } });
  });

  it('streams a refusal, and a stop at length', async () => {
    script = [{ refusal: 'Not this.' }, { finish_reason: 'length' }];
    expect((await streamed({ response_format: format })).completion.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: null, refusal: 'Not this.' },
    });
    const cut = (await streamed({ response_format: format })).completion.choices[0];
    expect(cut.finish_reason).toBe('length');
    expect(() => JSON.parse(cut.message.content!)).toThrow(SyntaxError);
  });
});

describe('the fake survives hostile schemas', () => {
  it('keeps a property named __proto__ as a property and pollutes nothing', () => {
    const value = instanceOf(
      JSON.parse(
        '{"type":"object","properties":{"__proto__":{"type":"object","properties":{"polluted":{"const":"yes"}},"required":["polluted"]}},"required":["__proto__"]}',
      ),
    ) as object;
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(instanceOf({ allOf: [JSON.parse('{"type":"object","properties":{"__proto__":{"const":1}},"required":["__proto__"]}')] })).toEqual(
      JSON.parse('{"__proto__":1}'),
    );
  });

  it('caps sizes and depth: a huge minItems, a schema that requires itself, a $ref through __proto__', () => {
    expect(instanceOf({ type: 'array', items: { type: 'string', minLength: 1e9 }, minItems: 1e9 })).toHaveLength(100);
    expect((instanceOf({ type: 'array', items: { type: 'string', minLength: 1e9 }, minItems: 1 }) as string[])[0]).toHaveLength(1_000);
    const selfish = { type: 'object', properties: { me: { $ref: '#' } }, required: ['me'] };
    expect(JSON.stringify(instanceOf(selfish))).toMatch(/^(\{"me":)+null\}+$/);
    expect(instanceOf({ $ref: '#/__proto__/constructor' })).toBeNull();
    expect(instanceOf({ $ref: 'https://example.com/schema.json' })).toBeNull();
  });
});

describe('the fake refuses a strict schema the API would refuse, with the API’s 400', () => {
  const refusal = async (body: Omit<ChatCompletionCreateParams, 'model' | 'messages'>) => {
    const error = await answer(body).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(APIError);
    return error as APIError;
  };
  const strictFormat = (schema: Record<string, unknown>) => ({
    response_format: { type: 'json_schema' as const, json_schema: { name: 'person', schema, strict: true } },
  });

  it('an object not closed, or with a property not required', async () => {
    const open = await refusal(strictFormat({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }));
    expect(open).toMatchObject({
      status: 400,
      param: 'response_format',
      message: "400 Invalid schema for response_format 'person': In context=(), 'additionalProperties' is required to be supplied and to be false.",
    });
    const optional = await refusal(
      strictFormat({
        type: 'object',
        properties: { a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false } },
        required: ['a'],
        additionalProperties: false,
      }),
    );
    expect(optional.message).toBe(
      "400 Invalid schema for response_format 'person': In context=('properties', 'a'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'b'.",
    );
  });

  it('a keyword strict mode does not permit, and a root that is not an object', async () => {
    const oneOf = await refusal(
      strictFormat({ type: 'object', properties: { x: { oneOf: [{ type: 'string' }] } }, required: ['x'], additionalProperties: false }),
    );
    expect(oneOf.message).toBe("400 Invalid schema for response_format 'person': In context=('properties', 'x'), 'oneOf' is not permitted.");
    const array = await refusal(strictFormat({ type: 'array', items: { type: 'string' } }));
    expect(array.message).toBe(`400 Invalid schema for response_format 'person': schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`);
  });

  it('a strict function tool, naming the tool and its place', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } },
    ];
    expect(await refusal({ tools })).toMatchObject({
      param: 'tools[0].function.parameters',
      message: "400 Invalid schema for function 'weather': In context=(), 'additionalProperties' is required to be supplied and to be false.",
    });
  });

  it('accepts every schema jsonSchemaFormat prepares, and anything without strict', async () => {
    for (const [, schema] of corpus) expect((await answer({ response_format: jsonSchemaFormat(schema, { name: 'x' }) })).finish_reason).toBe('stop');
    const loose = { type: 'json_schema' as const, json_schema: { name: 'loose', schema: { type: 'object', properties: { a: { allOf: [] } } }, strict: false } };
    expect((await answer({ response_format: loose })).finish_reason).toBe('stop');
  });
});
