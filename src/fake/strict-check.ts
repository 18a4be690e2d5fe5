import { hasType, isObject } from '../structured/pointer.js';
import { SUPPORTED } from '../structured/strict.js';

/**
 * How deep a schema is read, in keywords and names: far past the nesting strict mode allows
 * (10 levels of objects), and far within the call stack (the check recurses).
 */
const MAX_PATH = 200;

/** The place of a schema in the API's messages: a Python tuple, `()` or `('properties', 'age')`. */
function context(path: string[]): string {
  const parts = path.map((part) => `'${part}'`);
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

/**
 * Why the real API would refuse `schema` in strict mode, in its words, or undefined: an object
 * not closed with `additionalProperties: false`, a property missing from `required`, a keyword
 * strict mode does not permit, a root that is not an object. So the fake fails offline where
 * the API would fail online.
 */
export function strictSchemaProblem(schema: unknown): string | undefined {
  if (!isObject(schema) || schema.type !== 'object') {
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${isObject(schema) ? schema.type : typeof schema}"'.`;
  }
  return problemAt(schema, []);
}

function problemAt(schema: unknown, path: string[]): string | undefined {
  if (!isObject(schema)) return `In context=${context(path)}, schema must be a JSON Schema object.`;
  if (path.length > MAX_PATH) return `In context=${context(path.slice(0, MAX_PATH))}, schema nests deeper than the fake reads (${MAX_PATH} keywords).`;
  const keyword = Object.keys(schema).find((key) => !SUPPORTED.has(key));
  if (keyword !== undefined) return `In context=${context(path)}, '${keyword}' is not permitted.`;
  if (isObject(schema.properties) || hasType(schema, 'object')) {
    if (schema.additionalProperties !== false) return `In context=${context(path)}, 'additionalProperties' is required to be supplied and to be false.`;
    const required = Array.isArray(schema.required) ? schema.required : [];
    const missing = Object.keys(schema.properties ?? {}).find((key) => !required.includes(key));
    if (missing !== undefined)
      return `In context=${context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
  }
  for (const [keyword, children] of childrenOf(schema)) {
    for (const [name, child] of children) {
      const problem = problemAt(child, [...path, keyword, ...(name === undefined ? [] : [name])]);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

/** The subschemas of a schema, by keyword: `[name, schema]` for maps and lists, no name for `items`. */
function childrenOf(schema: Record<string, any>): [string, [string | undefined, unknown][]][] {
  const children: [string, [string | undefined, unknown][]][] = [];
  for (const keyword of ['properties', '$defs', 'definitions']) {
    if (isObject(schema[keyword])) children.push([keyword, Object.entries(schema[keyword])]);
  }
  if (Array.isArray(schema.anyOf)) children.push(['anyOf', schema.anyOf.map((branch: unknown, i: number) => [String(i), branch])]);
  if (schema.items !== undefined) children.push(['items', [[undefined, schema.items]]]);
  return children;
}
