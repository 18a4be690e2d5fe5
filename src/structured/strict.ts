import { OpenAIError } from '../errors.js';
import type { JSONSchema } from '../types/json-schema.js';
import { hasType, isObject, resolveRef } from './pointer.js';
import type { SchemaNode } from './pointer.js';

/**
 * How deep schemas may nest inside one another: far beyond the nesting strict mode allows (the
 * API's guide says 10 levels of objects), and far within the call stack.
 */
const MAX_SCHEMA_DEPTH = 100;

/** A schema prepared for strict mode, and which property schemas it made nullable. */
export interface StrictSchema {
  schema: SchemaNode;
  /** Property schemas that were optional: a `null` the model writes there means "absent". */
  nullable: WeakSet<object>;
}

/**
 * The keywords strict Structured Outputs support, from the API's guide ("Supported schemas"):
 * the structure, the string, number and array constraints it lists, and annotations. Anything
 * else (`allOf`, `not`, `if`, `patternProperties`, `uniqueItems`, ...) is refused here, with
 * its path, rather than by the API after a round trip.
 */
export const SUPPORTED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'enum',
  'const',
  '$ref',
  '$defs',
  'definitions',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'title',
  'description',
  'default',
  'examples',
  '$schema',
]);

/**
 * A copy of `schema` as strict Structured Outputs require it: every object closed
 * (`additionalProperties: false`) with every property required, optional properties made
 * nullable, `$defs`/`definitions` prepared alike. `oneOf` becomes `anyOf` only when a
 * validator checks answers afterwards (`validated`), since the API has no `oneOf`. What strict
 * mode cannot express is an `OpenAIError` naming the JSON path; `schema` is never changed.
 */
export function toStrictSchema(schema: JSONSchema, validated: boolean, label: string): StrictSchema {
  const nullable = new WeakSet<object>();
  const fail: (path: string, problem?: string) => never = (path, problem = 'is not supported in strict mode') => {
    throw new OpenAIError(`${label}: ${path} ${problem}`);
  };
  // The schemas from the root to the one being prepared: a cycle or a runaway depth is a usage
  // error with its path, never a stack overflow.
  const open = new Set<object>();

  function strict(node: unknown, path: string): SchemaNode {
    // A boolean schema (`true`, `false`) has no strict form.
    if (!isObject(node)) fail(path);
    if (open.has(node)) fail(path, 'contains itself (a cycle of objects); a recursive schema refers to itself with $ref');
    if (open.size >= MAX_SCHEMA_DEPTH) fail(path, `nests deeper than ${MAX_SCHEMA_DEPTH} schemas`);
    open.add(node);
    try {
      return strictNode(node, path);
    } finally {
      open.delete(node);
    }
  }

  function strictNode(node: SchemaNode, path: string): SchemaNode {
    // zod wraps a `$ref` that has annotations beside it in a one-branch `allOf`: unwrap it
    // when nothing beside it says otherwise (no keyword in both).
    const { allOf, ...beside } = node as SchemaNode;
    const [only] = Array.isArray(allOf) && allOf.length === 1 ? allOf : [];
    if (isObject(only) && Object.keys(only).every((key) => !(key in beside))) return strict({ ...only, ...beside }, path);
    const required: unknown[] = Array.isArray(node.required) ? node.required : [];
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries<any>(node)) {
      const at = `${path}/${key}`;
      const renamed = key === 'oneOf' && validated ? 'anyOf' : key;
      if (!SUPPORTED.has(renamed)) fail(at);
      // A tuple's `items` is a list; an open object's `additionalProperties` a schema or true.
      if (renamed === 'items' && Array.isArray(value)) fail(at);
      if (renamed === 'additionalProperties' && value !== false) fail(at, 'must be false in strict mode');
      // Converters leave `undefined` placeholders, which JSON leaves out anyway.
      if (value !== undefined) entries.push([renamed, keyword(renamed, value, at, required)]);
    }
    // Object.fromEntries defines keys as own data properties: a `__proto__` key stays a key.
    const out: SchemaNode = Object.fromEntries(entries);
    if (out.properties || hasType(out, 'object')) {
      out.additionalProperties = false;
      if (out.properties) out.required = Object.keys(out.properties);
    }
    return out;
  }

  /** A keyword's value with the schemas in it prepared (properties not in `required` made nullable). */
  function keyword(key: string, value: any, at: string, required: unknown[]): unknown {
    if (key === 'anyOf') return Array.isArray(value) ? value.map((branch: unknown, i: number) => strict(branch, `${at}/${i}`)) : fail(at);
    if (key === 'items') return strict(value, at);
    if (key !== 'properties' && key !== '$defs' && key !== 'definitions') return value;
    if (!isObject(value)) fail(at);
    return map(value, (name, schema) => {
      const prepared = strict(schema, `${at}/${name}`);
      return key !== 'properties' || required.includes(name) ? prepared : orNull(prepared);
    });
  }

  /** An optional property's schema, made to accept `null` too (and marked as such), as zod writes `.nullable()`. */
  function orNull(schema: SchemaNode): SchemaNode {
    if (hasType(schema, 'null') || schema.const === null || schema.enum?.includes(null) || schema.anyOf?.some((branch: SchemaNode) => hasType(branch, 'null')))
      return schema;
    const result = { anyOf: [schema, { type: 'null' }] };
    nullable.add(result);
    return result;
  }

  // A root named in a registry (zod's `.meta({ id })`) is a `$ref` into its definitions: the
  // API wants the object itself there, with the definitions kept for the refs inside.
  const target = typeof schema.$ref === 'string' ? resolveRef(schema, schema.$ref) : undefined;
  const root = strict(isObject(target) ? { ...schema, $ref: undefined, ...target } : schema, '#');
  if (root.type !== 'object' || root.anyOf) fail('#', 'must be an object schema');
  return { schema: root, nullable };
}

/** An object with each value replaced, keys kept as own data properties. */
const map = (object: SchemaNode, replace: (key: string, value: unknown) => unknown): SchemaNode =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [key, replace(key, value)]));
