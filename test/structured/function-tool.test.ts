import { type } from 'arktype';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { functionTool } from '../../src/structured/index.js';
import type { FunctionTool, ToolContext } from '../../src/structured/index.js';
import type { ChatCompletionCreateParams } from '../../src/types/index.js';

const City = z.object({ city: z.string(), days: z.number().int().optional() });

describe('functionTool', () => {
  it('is a function tool on the wire, strict by default, with parse and execute not enumerable', () => {
    const execute = ({ city }: { city: string }) => `Sunny in ${city}`;
    const weather = functionTool({ name: 'weather', description: 'Weather by city', parameters: City, execute });
    expect(JSON.parse(JSON.stringify(weather))).toEqual({
      type: 'function',
      function: {
        name: 'weather',
        description: 'Weather by city',
        parameters: {
          $schema: 'http://json-schema.org/draft-07/schema#',
          type: 'object',
          properties: {
            city: { type: 'string' },
            days: { anyOf: [{ type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 }, { type: 'null' }] },
          },
          required: ['city', 'days'],
          additionalProperties: false,
        },
        strict: true,
      },
    });
    expect(Object.keys(weather)).toEqual(['type', 'function']);
    expect(weather.execute).toBe(execute);
    expect(Object.getOwnPropertyDescriptor(weather, 'execute')?.enumerable).toBe(false);
    expect(Object.getOwnPropertyDescriptor(weather, 'parse')?.enumerable).toBe(false);
    const body: ChatCompletionCreateParams = { model: 'm', messages: [], tools: [weather] };
    expect(body.tools).toHaveLength(1);
  });

  it('parses and validates arguments: optional nulls dropped, issues for bad ones', async () => {
    const weather = functionTool({ name: 'weather', parameters: City });
    expect(await weather.parse('{"city":"Oslo","days":null}')).toEqual({ value: { city: 'Oslo' } });
    expect((await weather.parse('{"days":1}')).issues?.[0].path).toEqual(['city']);
    expect(await weather.parse('{')).toEqual({ issues: [{ message: 'not valid JSON' }] });
  });

  it('takes arktype, and a plain JSON Schema typed by its type argument', async () => {
    const lookup = functionTool({ name: 'lookup', parameters: type({ id: 'string' }) });
    expect(await lookup.parse('{"id":"x"}')).toEqual({ value: { id: 'x' } });
    const plain = functionTool<{ q: string }>({
      name: 'search',
      parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      strict: false,
    });
    expect(plain.function).toEqual({ name: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }, strict: false });
    expect(await plain.parse('{"q":1}')).toEqual({ value: { q: 1 } });
  });

  it('names the tool and the path of what strict mode cannot express', () => {
    expect(() => functionTool({ name: 'tagger', parameters: z.object({ tags: z.looseObject({}) }) })).toThrow(
      "tool 'tagger': #/properties/tags/additionalProperties must be false in strict mode",
    );
  });

  it('types execute(args, { signal, toolCall, messages }) from the schema', () => {
    const weather = functionTool({
      name: 'weather',
      parameters: City,
      execute(args, context) {
        expectTypeOf(args).toEqualTypeOf<{ city: string; days?: number | undefined }>();
        expectTypeOf(context).toEqualTypeOf<ToolContext>();
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
        return args.city;
      },
    });
    expectTypeOf(weather).toEqualTypeOf<FunctionTool<'weather', { city: string; days?: number | undefined }>>();
    expectTypeOf(functionTool<{ q: string }>({ name: 'search', parameters: { type: 'object' } })).toEqualTypeOf<FunctionTool<string, { q: string }>>();
    expect(weather.function.name).toBe('weather');
  });
});
