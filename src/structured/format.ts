import type { JSONSchema } from '../types/json-schema.js';
import type { ResponseFormatJSONSchema } from '../types/response-format.js';
import type { StandardJSONSchemaValidator, StandardSchemaV1 } from '../types/standard-schema.js';
import { checkName } from './name.js';
import { prepareSchema } from './schema.js';
import type { ParseAnswer } from './schema.js';

/** Options of `jsonSchemaFormat`. */
export interface JSONSchemaFormatOptions {
  /** The format's name: a-z, A-Z, 0-9, `_` and `-`, at most 64 characters. */
  name: string;
  /** What the format is for; the model reads it. */
  description?: string;
  /**
   * Strict Structured Outputs: the model's answer always fits the schema. The schema is
   * prepared for it (objects closed, optional properties made nullable and dropped again when
   * `null`). Default true.
   */
  strict?: boolean;
}

/**
 * A `response_format` that also knows how to parse and validate its answer: pass it as the
 * body's `response_format`, and `createParsedChatCompletion` types `message.parsed` as `T`.
 */
export interface JSONSchemaFormat<T = unknown> extends ResponseFormatJSONSchema {
  json_schema: {
    name: string;
    description?: string;
    schema: Record<string, unknown>;
    strict: boolean;
  };
  /**
   * Parses a message's content and validates it: `{ value }` or `{ issues }`. Not
   * enumerable, so the format serialises to exactly what the API takes.
   */
  readonly parse: ParseAnswer<T>;
}

/**
 * A Structured Outputs `response_format` from a schema: a Standard Schema that also
 * implements Standard JSON Schema (zod 4.2+, arktype 2.2+, valibot with its converter) — the
 * answer's type is inferred and its own `~standard.validate` (sync or async) checks it — or a
 * plain JSON Schema object typed by the type argument, which is only `JSON.parse`d. Throws an
 * `OpenAIError` naming the JSON path of what strict mode cannot express, and for a name the API
 * refuses or a schema JSON cannot encode (a cycle of objects).
 *
 * @example
 * const Person = z.object({ name: z.string(), age: z.number().optional() });
 * const completion = await createParsedChatCompletion({ model, messages, response_format: jsonSchemaFormat(Person, { name: 'person' }) });
 * completion.choices[0].message.parsed; // { name: string; age?: number } | null
 */
export function jsonSchemaFormat<S extends StandardJSONSchemaValidator>(
  schema: S,
  options: JSONSchemaFormatOptions,
): JSONSchemaFormat<StandardSchemaV1.InferOutput<S>>;
export function jsonSchemaFormat<T = unknown>(schema: JSONSchema, options: JSONSchemaFormatOptions): JSONSchemaFormat<T>;
export function jsonSchemaFormat(
  schema: JSONSchema | StandardJSONSchemaValidator,
  { name, description, strict = true }: JSONSchemaFormatOptions,
): JSONSchemaFormat {
  checkName(name, 'jsonSchemaFormat: the name');
  const prepared = prepareSchema(schema, strict, `response_format '${name}'`);
  // An undefined description is left out by JSON, as the wire wants.
  const json_schema = { name, description, schema: prepared.schema, strict };
  return Object.defineProperty({ type: 'json_schema' as const, json_schema }, 'parse', { value: prepared.parse }) as JSONSchemaFormat;
}
