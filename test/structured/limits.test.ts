import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIError } from '../../src/errors.js';
import type { FakeReply } from '../../src/fake/index.js';
import { OutputValidationError, functionTool, jsonSchemaFormat, createParsedChatCompletion } from '../../src/structured/index.js';
import type { JSONSchema, RequestOptions } from '../../src/types/index.js';
import { useScriptedFake } from '../helpers/scripted-fake.js';

// Names the API refuses, schemas no JSON can carry, answers deeper than anything walks: each an
// OpenAIError that says so, never a RangeError or a 400 after a round trip.

let script: FakeReply[] = [];
const { fake, server } = useScriptedFake(() => script.shift());
beforeEach(() => {
  fake.reset();
  script = [];
});
const options = (): RequestOptions => ({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries: 0 });

const object = (properties: Record<string, JSONSchema> = {}): JSONSchema => ({
  type: 'object',
  properties,
  additionalProperties: false,
  required: Object.keys(properties),
});

/** The error `make` throws (it must throw). */
function thrown(make: () => unknown): Error {
  try {
    make();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('names', () => {
  const bad: [string, unknown][] = [
    ['empty', ''],
    ['with a space', 'get weather'],
    ['with a dot', 'weather.get'],
    ['not ASCII', 'météo'],
    ['65 characters', 'a'.repeat(65)],
    ['not a string', 42],
    ['missing', undefined],
  ];

  it.each(bad)('jsonSchemaFormat refuses a name %s at once', (_, name) => {
    const error = thrown(() => jsonSchemaFormat(object(), { name } as never));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/^jsonSchemaFormat: the name must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, got /);
  });

  it.each(bad)('functionTool refuses a name %s at once', (_, name) => {
    const error = thrown(() => functionTool({ name, parameters: object() } as never));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/^functionTool: the name must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, got /);
  });

  it('quotes a long name cut, with its length', () => {
    expect(thrown(() => jsonSchemaFormat(object(), { name: 'x'.repeat(500) })).message).toBe(
      `jsonSchemaFormat: the name must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, got "${'x'.repeat(80)}…" (500 characters).`,
    );
  });

  it('takes every name the API takes', () => {
    for (const name of ['a', 'A-z_0-9', 'x'.repeat(64)]) {
      expect(jsonSchemaFormat(object(), { name }).json_schema.name).toBe(name);
      expect(functionTool({ name, parameters: object() }).function.name).toBe(name);
    }
  });
});

describe('schemas JSON cannot carry', () => {
  const cyclic = () => {
    const schema = object({ a: { type: 'string' } }) as Record<string, any>;
    schema.properties.self = schema;
    schema.required.push('self');
    return schema as JSONSchema;
  };
  const deep = (levels: number): JSONSchema => {
    let schema: JSONSchema = { type: 'string' };
    for (let i = 0; i < levels; i++) schema = object({ x: schema });
    return schema;
  };

  it('a cycle of objects, strict: an OpenAIError naming where, not a RangeError', () => {
    const error = thrown(() => jsonSchemaFormat(cyclic(), { name: 'loop' }));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toBe("response_format 'loop': #/properties/self contains itself (a cycle of objects); a recursive schema refers to itself with $ref");
    expect(thrown(() => functionTool({ name: 'loop', parameters: cyclic() }))).toBeInstanceOf(OpenAIError);
  });

  it('a cycle of objects, not strict: an OpenAIError at once, not at the request', () => {
    const error = thrown(() => jsonSchemaFormat(cyclic(), { name: 'loop', strict: false }));
    expect(error).toBeInstanceOf(OpenAIError);
    expect(error.message).toMatch(/^response_format 'loop': the schema cannot be sent as JSON: .*circular/i);
    expect(thrown(() => functionTool({ name: 'loop', parameters: cyclic(), strict: false }))).toBeInstanceOf(OpenAIError);
  });

  it('a value inside a keyword JSON cannot encode (a BigInt default)', () => {
    const schema = object({ n: { type: 'integer', default: 10n } });
    expect(thrown(() => jsonSchemaFormat(schema, { name: 'big' })).message).toMatch(/^response_format 'big': the schema cannot be sent as JSON: .*BigInt/);
  });

  it('a schema nested 20,000 deep: an OpenAIError, strict or not', () => {
    const strict = thrown(() => jsonSchemaFormat(deep(20_000), { name: 'deep' }));
    expect(strict).toBeInstanceOf(OpenAIError);
    expect(strict.message).toMatch(/^response_format 'deep': #(\/properties\/x)+ nests deeper than 100 schemas$/);
    expect(thrown(() => jsonSchemaFormat(deep(20_000), { name: 'deep', strict: false }))).toBeInstanceOf(OpenAIError);
  });

  it('still prepares a schema nested as deep as real ones go', () => {
    expect(jsonSchemaFormat(deep(30), { name: 'nested' }).json_schema.strict).toBe(true);
  });
});

describe('an answer nested deeper than anything walks', () => {
  // `child` is optional: strict mode makes it nullable, and the walk drops the nulls again.
  const Tree: JSONSchema = { type: 'object', properties: { child: { $ref: '#' } }, additionalProperties: false };
  const nested = (levels: number) => '{"child":'.repeat(levels) + 'null' + '}'.repeat(levels);

  it('200,000 deep in strict mode: an OutputValidationError carrying the completion, over HTTP', async () => {
    const content = nested(200_000);
    // A whole completion: the fake sends it as it is (it makes no answer past 1,000,000 characters itself).
    script = [
      {
        id: 'chatcmpl-deep',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      },
    ];
    const error = (await createParsedChatCompletion(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'grow' }], response_format: jsonSchemaFormat(Tree, { name: 'tree' }) },
      options(),
    ).catch((e: unknown) => e)) as OutputValidationError;
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toBe('The answer of choice 0 failed validation: nested deeper than 512 levels');
    expect(error.completion.choices[0]!.message.content).toBe(content);
  });

  it('511 deep is read, and its nulls dropped as the schema says', async () => {
    script = [nested(511)];
    const completion = await createParsedChatCompletion(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'grow' }], response_format: jsonSchemaFormat(Tree, { name: 'tree' }) },
      options(),
    );
    let node = completion.choices[0]!.message.parsed as { child?: unknown };
    let depth = 1;
    while (node.child) {
      node = node.child as { child?: unknown };
      depth++;
    }
    expect(depth).toBe(511);
    // The optional `child` the model wrote as null is dropped: the shape the schema describes.
    expect(node).toEqual({});
  });

  it('nesting the schema leaves open (z.any()) is not walked: the value as JSON.parse reads it', async () => {
    const format = jsonSchemaFormat(z.object({ list: z.array(z.any()) }), { name: 'loose' });
    const result = await format.parse(`{"list":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`);
    expect(result.issues).toBeUndefined();
    expect(Array.isArray((result as { value: { list: unknown[] } }).value.list[0])).toBe(true);
  });
});
