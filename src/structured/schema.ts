import { OpenAIError } from '../errors.js';
import type { JSONSchema } from '../types/json-schema.js';
import type { StandardJSONSchemaValidator, StandardSchemaV1 } from '../types/standard-schema.js';
import { MAX_DEPTH, dropAddedNulls } from './nulls.js';
import type { SchemaNode } from './pointer.js';
import { toStrictSchema } from './strict.js';
import { tryParse } from '../own.js';

/** Parses and validates a model's JSON text: the value, or what is wrong with it. */
export type ParseAnswer<T> = (text: string) => Promise<StandardSchemaV1.Result<T>>;

/** What Standard JSON Schema converters are asked for: the dialect strict mode is closest to. */
const TARGET = { target: 'draft-07' } as const;

/**
 * The JSON Schema to send for `schema` (strict-mode prepared unless `strict` is false) and
 * the parser of answers to it. A Standard Schema validates answers with its own
 * `~standard.validate`; a plain JSON Schema is only `JSON.parse`d.
 */
export function prepareSchema(
  schema: JSONSchema | StandardJSONSchemaValidator,
  strict: boolean,
  label: string,
): { schema: SchemaNode; parse: ParseAnswer<unknown> } {
  const standard = (schema as StandardJSONSchemaValidator)['~standard'];
  const source: SchemaNode | undefined = standard ? standard.jsonSchema?.input(TARGET) : schema;
  if (!source) throw new OpenAIError(`${label}: the schema lacks ~standard.jsonSchema`);
  const prepared = strict ? toStrictSchema(source, standard !== undefined, label) : undefined;
  const sent = prepared ? prepared.schema : source;
  checkEncodable(sent, label);
  return {
    schema: sent,
    async parse(text) {
      const value: unknown = tryParse(text);
      // The parser's message would quote the text; the issue does not.
      if (value === undefined) return { issues: [{ message: 'not valid JSON' }] };
      if (prepared && !dropAddedNulls(value, prepared)) return { issues: [{ message: `nested deeper than ${MAX_DEPTH} levels` }] };
      return standard ? standard.validate(value) : { value };
    },
  };
}

/** A schema is sent as JSON: one JSON cannot encode (a cycle, a BigInt, deeper than the engine goes) fails now, not at the request. */
function checkEncodable(schema: SchemaNode, label: string): void {
  try {
    JSON.stringify(schema);
  } catch (cause) {
    throw new OpenAIError(`${label}: the schema cannot be sent as JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
