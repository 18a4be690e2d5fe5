import { type } from 'arktype';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { OpenAIError } from '../../src/errors.js';
import { jsonSchemaFormat } from '../../src/structured/index.js';
import type { JSONSchemaFormat } from '../../src/structured/index.js';
import type { ChatCompletionCreateParams, StandardJSONSchemaValidator, StandardSchemaV1 } from '../../src/types/index.js';

const Person = z.object({ name: z.string(), age: z.number().optional(), tags: z.array(z.string()) });

describe('jsonSchemaFormat: the response_format on the wire', () => {
  it('serialises to exactly the wire shape, strict by default, the parser not enumerable', () => {
    const format = jsonSchemaFormat(Person, { name: 'person', description: 'A person' });
    expect(JSON.parse(JSON.stringify(format))).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'person',
        description: 'A person',
        schema: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: { name: { type: 'string' }, age: { anyOf: [{ type: 'number' }, { type: 'null' }] }, tags: { type: 'array', items: { type: 'string' } } },
          required: ['name', 'age', 'tags'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(Object.keys(format)).toEqual(['type', 'json_schema']);
    expect(typeof format.parse).toBe('function');
    expect(Object.getOwnPropertyDescriptor(format, 'parse')?.enumerable).toBe(false);
  });

  it('leaves description out when not given, and is assignable to the body', () => {
    const format = jsonSchemaFormat({ type: 'object', properties: {}, additionalProperties: false }, { name: 'empty' });
    expect(JSON.stringify(format)).toBe(
      '{"type":"json_schema","json_schema":{"name":"empty","schema":{"type":"object","properties":{},"additionalProperties":false,"required":[]},"strict":true}}',
    );
    const body: ChatCompletionCreateParams = { model: 'm', messages: [], response_format: format };
    expect(body.response_format).toBe(format);
  });

  it('sends the schema as it is with strict: false, and does not change it', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } } as const;
    const format = jsonSchemaFormat(schema, { name: 'loose', strict: false });
    expect(format.json_schema).toEqual({ name: 'loose', schema, strict: false });
  });

  it('takes arktype, whose JSON Schema comes from the same standard', () => {
    const Cat = type({ name: 'string', 'lives?': 'number.integer' });
    expect(jsonSchemaFormat(Cat, { name: 'cat' }).json_schema.schema).toMatchObject({
      properties: { name: { type: 'string' }, lives: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
      required: ['name', 'lives'],
      additionalProperties: false,
    });
  });

  it('is a usage error, naming the format and the path, for what strict mode cannot express', () => {
    const Tagged = z.object({ tags: z.record(z.string(), z.string()) });
    expect(() => jsonSchemaFormat(Tagged, { name: 'tagged' })).toThrow(OpenAIError);
    expect(() => jsonSchemaFormat(Tagged, { name: 'tagged' })).toThrow(
      "response_format 'tagged': #/properties/tags/propertyNames is not supported in strict mode",
    );
  });

  it('is a usage error for a Standard Schema without Standard JSON Schema', () => {
    const bare = { '~standard': { version: 1, vendor: 'bare', validate: (value: unknown) => ({ value }) } };
    expect(() => jsonSchemaFormat(bare as never, { name: 'bare' })).toThrow("response_format 'bare': the schema lacks ~standard.jsonSchema");
  });
});

describe('jsonSchemaFormat: parsing an answer', () => {
  it('validates with the schema itself (zod): the value, or the issues', async () => {
    const format = jsonSchemaFormat(Person, { name: 'person' });
    expect(await format.parse('{"name":"Ada","age":36,"tags":[]}')).toEqual({ value: { name: 'Ada', age: 36, tags: [] } });
    const failed = await format.parse('{"name":1,"age":null,"tags":[]}');
    expect(failed.issues).toEqual([expect.objectContaining({ path: ['name'], message: expect.stringContaining('string') })]);
  });

  it('removes the null strict mode let the model write for an optional property', async () => {
    const format = jsonSchemaFormat(Person, { name: 'person' });
    expect(await format.parse('{"name":"Ada","age":null,"tags":[]}')).toEqual({ value: { name: 'Ada', tags: [] } });
  });

  it('keeps a null the schema itself allows', async () => {
    const format = jsonSchemaFormat(z.object({ nickname: z.string().nullable(), note: z.string().nullable().optional() }), { name: 'n' });
    expect(await format.parse('{"nickname":null,"note":null}')).toEqual({ value: { nickname: null, note: null } });
  });

  it('removes those nulls in nested objects, arrays, $refs and the branch of a union the answer took', async () => {
    const Item = z.object({ id: z.string(), label: z.string().optional() });
    const Shape = z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), x: z.number().optional() }),
      z.object({ kind: z.literal('b'), y: z.number().optional(), z: z.string().nullable() }),
    ]);
    const Tree: z.ZodType<{ name: string; note?: string; children: unknown[] }> = z.object({
      name: z.string(),
      note: z.string().optional(),
      get children() {
        return z.array(Tree);
      },
    });
    const format = jsonSchemaFormat(z.object({ items: z.array(Item), shape: Shape, tree: Tree }), { name: 'nested' });
    const answer = {
      items: [
        { id: '1', label: null },
        { id: '2', label: 'two' },
      ],
      shape: { kind: 'b', y: null, z: null },
      tree: { name: 'root', note: null, children: [{ name: 'leaf', note: null, children: [] }] },
    };
    expect(await format.parse(JSON.stringify(answer))).toEqual({
      value: {
        items: [{ id: '1' }, { id: '2', label: 'two' }],
        shape: { kind: 'b', z: null },
        tree: { name: 'root', children: [{ name: 'leaf', children: [] }] },
      },
    });
  });

  it('awaits an async validator (a zod refinement that awaits)', async () => {
    const Slow = z.object({ name: z.string() }).refine(async (value) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return value.name !== 'taken';
    }, 'name taken');
    const format = jsonSchemaFormat(Slow, { name: 'slow' });
    expect(await format.parse('{"name":"free"}')).toEqual({ value: { name: 'free' } });
    expect((await format.parse('{"name":"taken"}')).issues?.[0].message).toBe('name taken');
  });

  it('validates with arktype, which reports its own issues', async () => {
    const format = jsonSchemaFormat(type({ name: 'string', 'lives?': 'number' }), { name: 'cat' });
    expect(await format.parse('{"name":"Tom","lives":null}')).toEqual({ value: { name: 'Tom' } });
    expect([...((await format.parse('{"name":7,"lives":9}')).issues?.[0].path ?? [])]).toEqual(['name']);
  });

  it('only JSON.parses an answer to a plain JSON Schema (no validation beyond that)', async () => {
    const format = jsonSchemaFormat<{ name: string; age?: number }>(
      { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name'] },
      { name: 'person' },
    );
    expect(await format.parse('{"name":"Ada","age":null}')).toEqual({ value: { name: 'Ada' } });
    expect(await format.parse('{"name":42}')).toEqual({ value: { name: 42 } });
  });

  it('says "not valid JSON" without quoting the answer', async () => {
    const format = jsonSchemaFormat(Person, { name: 'person' });
    expect(await format.parse('{"name": "secret-ish'.slice(0, 12))).toEqual({ issues: [{ message: 'not valid JSON' }] });
  });
});

describe('jsonSchemaFormat: types', () => {
  it('infers the output type of a Standard Schema, or takes it as a type argument', () => {
    expectTypeOf(jsonSchemaFormat(Person, { name: 'p' })).toEqualTypeOf<JSONSchemaFormat<{ name: string; age?: number | undefined; tags: string[] }>>();
    expectTypeOf(jsonSchemaFormat(type({ name: 'string' }), { name: 'c' })).toEqualTypeOf<JSONSchemaFormat<{ name: string }>>();
    expectTypeOf(jsonSchemaFormat<{ id: string }>({ type: 'object', properties: { id: { type: 'string' } } }, { name: 'x' })).toEqualTypeOf<
      JSONSchemaFormat<{ id: string }>
    >();
    expectTypeOf(jsonSchemaFormat({ type: 'object', properties: {} }, { name: 'x' })).toEqualTypeOf<JSONSchemaFormat<unknown>>();
    expectTypeOf(Person).toExtend<StandardJSONSchemaValidator>();
    expectTypeOf<StandardSchemaV1.InferOutput<typeof Person>>().toEqualTypeOf<z.output<typeof Person>>();
    // Checked by tsc only: a misspelt type name does not compile.
    // @ts-expect-error: not a type name
    expectTypeOf(jsonSchemaFormat).toBeCallableWith({ type: 'strnig' }, { name: 'x' });
  });
});
