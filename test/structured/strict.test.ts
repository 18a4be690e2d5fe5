import { readdirSync, readFileSync } from 'node:fs';
import { toStrictJsonSchema as official6 } from 'openai/lib/transform';
import { toStrictJsonSchema as official7 } from 'openai7/lib/transform';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIError } from '../../src/errors.js';
import { toStrictSchema } from '../../src/structured/strict.js';
import type { JSONSchema } from '../../src/types/json-schema.js';

const CORPUS = new URL('../fixtures/schemas/', import.meta.url);
const corpus = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')) as JSONSchema] as const);

const strict = (schema: unknown, validated = false) => toStrictSchema(schema as JSONSchema, validated, "response_format 'test'").schema;
/** What goes on the wire: the JSON text, parsed back. */
const wire = (schema: unknown) => JSON.parse(JSON.stringify(schema));

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('strict mode: the same schema as the official SDK on the corpus', () => {
  it.each(corpus)('%s', (_, schema) => {
    expect(corpus.length).toBeGreaterThanOrEqual(7);
    const ours = wire(strict(schema));
    expect(ours).toEqual(wire(official7(structuredClone(schema) as never)));
    expect(ours).toEqual(wire(official6(structuredClone(schema) as never)));
  });

  it('closes every object and requires every property, nested, in arrays, in $defs and in anyOf', () => {
    const ours = strict(corpus.find(([file]) => file === 'definitions.json')![1]);
    expect(ours).toMatchObject({ additionalProperties: false, required: ['name', 'children', 'owner'] });
    expect(ours.definitions.user).toMatchObject({ additionalProperties: false, required: ['id', 'manager'] });
  });
});

describe('strict mode: where we differ from the official SDK, on purpose', () => {
  it('makes an optional property nullable and required (the official transform throws instead)', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', description: 'years' },
        role: { type: 'string', enum: ['admin', 'user'] },
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        kind: { const: 'x' },
        either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        ref: { $ref: '#/$defs/tag' },
        already: { type: ['string', 'null'] },
      },
      required: ['name'],
      $defs: { tag: { type: 'string' } },
    };
    expect(() => official7(structuredClone(schema))).toThrow(/optional\(\)/);
    expect(wire(strict(schema))).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        // Wrapped in an anyOf with null, as zod writes `.nullable()`; annotations stay inside.
        age: { anyOf: [{ type: 'integer', description: 'years' }, { type: 'null' }] },
        role: { anyOf: [{ type: 'string', enum: ['admin', 'user'] }, { type: 'null' }] },
        address: { anyOf: [{ type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, { type: 'null' }] },
        kind: { anyOf: [{ const: 'x' }, { type: 'null' }] },
        either: { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, { type: 'null' }] },
        ref: { anyOf: [{ $ref: '#/$defs/tag' }, { type: 'null' }] },
        // Already nullable: left as it is.
        already: { type: ['string', 'null'] },
      },
      required: ['name', 'age', 'role', 'address', 'kind', 'either', 'ref', 'already'],
      additionalProperties: false,
      $defs: { tag: { type: 'string' } },
    });
  });

  it('marks only the property schemas it made nullable', () => {
    const { schema, nullable } = toStrictSchema(
      { type: 'object', properties: { a: { type: 'string' }, b: { type: ['string', 'null'] }, c: { type: 'string' } }, required: ['c'] },
      false,
      't',
    );
    expect([nullable.has(schema.properties.a), nullable.has(schema.properties.b), nullable.has(schema.properties.c)]).toEqual([true, false, false]);
  });

  it('sends oneOf as anyOf when a validator checks the answer afterwards (zod discriminated unions), and refuses it otherwise', () => {
    const Pet = z.object({ pet: z.discriminatedUnion('type', [z.object({ type: z.literal('cat') }), z.object({ type: z.literal('dog') })]) });
    const schema = Pet['~standard'].jsonSchema.input({ target: 'draft-07' });
    expect(strict(schema, true).properties.pet.anyOf).toHaveLength(2);
    expect(strict(schema, true).properties.pet.oneOf).toBeUndefined();
    expect(() => strict(schema, false)).toThrow("response_format 'test': #/properties/pet/oneOf is not supported in strict mode");
  });

  it('inlines a root $ref into its definitions, and unwraps a one-branch allOf (zod with .meta({ id }))', () => {
    const Address = z.object({ city: z.string() }).meta({ id: 'Address' });
    const Person = z.object({ name: z.string(), work: Address.optional() }).meta({ id: 'Person' });
    const schema = Person['~standard'].jsonSchema.input({ target: 'draft-07' });
    expect(schema).toMatchObject({
      $ref: '#/definitions/Person',
      definitions: { Person: { properties: { work: { allOf: [{ $ref: '#/definitions/Address' }] } } } },
    });
    const ours = strict(schema);
    expect(ours).toMatchObject({
      type: 'object',
      required: ['name', 'work'],
      additionalProperties: false,
      definitions: { Address: { additionalProperties: false } },
    });
    expect(ours.$ref).toBeUndefined();
    expect(ours.properties.work).toEqual({ anyOf: [{ $ref: '#/definitions/Address' }, { type: 'null' }] });
    // Same as the official transform on the same schema with the optional made nullable.
    const nullable = z.object({ name: z.string(), work: Address.nullable() }).meta({ id: 'Person' })['~standard'].jsonSchema.input({ target: 'draft-07' });
    expect(wire(strict(nullable))).toEqual(wire(official7(structuredClone(nullable) as never)));
  });

  it('refuses an allOf of several schemas, which the official transform merges when it can', () => {
    const schema = { type: 'object', properties: { a: { allOf: [{ type: 'string' }, { minLength: 1 }] } }, required: ['a'] };
    expect(() => strict(schema)).toThrow('#/properties/a/allOf is not supported in strict mode');
  });
});

describe('strict mode: what it cannot express is a usage error naming the JSON path', () => {
  const cases: [string, unknown, string][] = [
    [
      'an open additionalProperties (a record)',
      { type: 'object', properties: { tags: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['tags'] },
      '#/properties/tags/additionalProperties must be false in strict mode',
    ],
    ['additionalProperties: true', { type: 'object', properties: {}, additionalProperties: true }, '#/additionalProperties must be false in strict mode'],
    ['patternProperties', { type: 'object', patternProperties: { '^x': { type: 'string' } } }, '#/patternProperties is not supported'],
    [
      'a tuple',
      { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } }, required: ['pair'] },
      '#/properties/pair/items is not supported',
    ],
    [
      'uniqueItems',
      { type: 'object', properties: { xs: { type: 'array', items: { type: 'string' }, uniqueItems: true } }, required: ['xs'] },
      '#/properties/xs/uniqueItems is not supported',
    ],
    ['not, inside $defs', { type: 'object', properties: {}, $defs: { x: { not: { type: 'string' } } } }, '#/$defs/x/not is not supported'],
    ['if/then/else', { type: 'object', properties: {}, if: { type: 'object' } }, '#/if is not supported'],
    ['a boolean schema', { type: 'object', properties: { any: true }, required: ['any'] }, '#/properties/any is not supported'],
    [
      'an unknown keyword',
      { type: 'object', properties: { a: { type: 'string', nullable: true } }, required: ['a'] },
      '#/properties/a/nullable is not supported',
    ],
    [
      'an allOf whose branch and siblings share a keyword',
      { type: 'object', properties: { a: { type: 'object', properties: {}, allOf: [{ properties: { b: { type: 'string' } } }] } }, required: ['a'] },
      '#/properties/a/allOf is not supported',
    ],
    [
      'an anyOf that is not a list',
      { type: 'object', properties: { a: { anyOf: { type: 'string' } } }, required: ['a'] },
      '#/properties/a/anyOf is not supported',
    ],
    ['properties that are not an object', { type: 'object', properties: ['a'] }, '#/properties is not supported'],
    ['a root that is not an object', { type: 'array', items: { type: 'string' } }, '# must be an object schema'],
    ['a root union', { anyOf: [{ type: 'object', properties: {} }] }, '# must be an object schema'],
  ];
  it.each(cases)('%s', (_, schema, message) => {
    expect(() => strict(schema)).toThrow(OpenAIError);
    expect(() => strict(schema)).toThrow(message);
  });

  it('names a property as it is spelled, even with "/" in it', () => {
    expect(() => strict({ type: 'object', properties: { 'a/b': { type: 'object', additionalProperties: {} } }, required: ['a/b'] })).toThrow(
      '#/properties/a/b/additionalProperties',
    );
  });
});

describe('strict mode: the user schema is left alone', () => {
  it.each(corpus)('never changes %s (deep-frozen, and equal afterwards)', (_, schema) => {
    const before = structuredClone(schema);
    strict(deepFreeze(schema));
    expect(schema).toEqual(before);
  });

  it('keeps a property named __proto__ as a property, without touching any prototype', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"object","properties":{"polluted":{"type":"string"}}}}}');
    const ours = strict(schema);
    expect(Object.hasOwn(ours.properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(ours.properties)).toBe(Object.prototype);
    expect(ours.required).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops undefined placeholders, as JSON would', () => {
    expect(strict({ type: 'object', properties: { a: { type: 'string', description: undefined } }, required: ['a'] }).properties.a).toEqual({ type: 'string' });
  });
});
