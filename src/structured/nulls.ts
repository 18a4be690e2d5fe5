import { DEFAULT_MAX_DEPTH } from '../partial-json/parser.js';
import { isObject, resolveRef } from './pointer.js';
import type { SchemaNode } from './pointer.js';
import type { StrictSchema } from './strict.js';

/** `$ref`s followed in a row without entering the value: a cycle of bare refs stops here. */
const MAX_REF_HOPS = 32;
/** How deep the walk goes: as deep as the partial parser reads by default, so a streamed answer and its final parse agree. */
export const MAX_DEPTH = DEFAULT_MAX_DEPTH;

/**
 * Deletes, in place, each `null` the model wrote for a property strict mode made nullable
 * because it was optional, so the value has the shape the original schema describes
 * (`{ age?: number }`, not `{ age: number | null }`). Walks the value along the schema, at most
 * `MAX_DEPTH` levels down: returns false, the walk left unfinished, for a value nested deeper
 * (a recursive schema lets a model nest without end; `JSON.parse` reads any depth, a recursive
 * walk would overflow the stack).
 */
export function dropAddedNulls(value: unknown, { schema, nullable }: StrictSchema): boolean {
  let tooDeep = false;
  walk(value, schema, 0, 0);
  return !tooDeep;

  // The schema is strict mode's own output: `properties` is an object, `anyOf` a list.
  function walk(value: unknown, node: SchemaNode | undefined, hops: number, depth: number): void {
    const { $ref, items, properties, anyOf } = node ?? {};
    if (typeof $ref === 'string') {
      if (hops < MAX_REF_HOPS) walk(value, resolveRef(schema, $ref) as SchemaNode, hops + 1, depth);
      return;
    }
    // `depth` containers hold this value: one more is past the limit.
    if (depth >= MAX_DEPTH && typeof value === 'object' && value !== null) tooDeep = true;
    if (tooDeep) return;
    // Only where the schema describes the members: nothing is dropped elsewhere.
    if (Array.isArray(value) && items) {
      for (const item of value) walk(item, items, 0, depth + 1);
    } else if (isObject(value) && properties) {
      for (const key of Object.keys(properties)) {
        if (!Object.hasOwn(value, key)) continue;
        if (value[key] === null && nullable.has(properties[key])) delete value[key];
        else walk(value[key], properties[key], 0, depth + 1);
      }
    }
    if (anyOf)
      walk(
        value,
        anyOf.find((branch: SchemaNode) => fits(value, branch)),
        hops,
        depth,
      );
  }

  /** The branch of an `anyOf` a value took: in strict mode an object has exactly its branch's keys. */
  function fits(value: unknown, branch: SchemaNode): boolean {
    const node = (branch.$ref ? resolveRef(schema, branch.$ref) : branch) as SchemaNode | undefined;
    if (Array.isArray(value)) return node?.items !== undefined;
    const properties = node?.properties;
    if (!properties || !isObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length === Object.keys(properties).length && keys.every((key) => Object.hasOwn(properties, key));
  }
}
