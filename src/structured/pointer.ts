import { isPlainObject } from '../own.js';

/**
 * A JSON Schema read by keyword. Its keywords are open (`items` a schema or a list, `type` a
 * name or a list of names), so a walker reads them loosely, where a `JSONObject` of own.ts
 * would want a check before every read.
 */
export type SchemaNode = Record<string, any>;

/** own.ts's plain-object test, narrowing to a schema read by keyword. */
export const isObject: (value: unknown) => value is SchemaNode = isPlainObject;

/** Whether a schema's `type` (a name or a list of names) includes `name`. */
export const hasType = (schema: SchemaNode, name: string): boolean => [schema.type].flat().includes(name);

/**
 * The schema a local `$ref` (`#`, `#/$defs/Name`, `#/definitions/Name`, any JSON Pointer into
 * the document) points to, or undefined. Only own keys are followed, so a `$ref` through
 * `__proto__` finds nothing.
 */
export function resolveRef(root: unknown, ref: string): unknown {
  if (ref[0] !== '#') return undefined;
  let node = root;
  for (const token of ref.slice(1).split('/').slice(1)) {
    // RFC 6901: `~1` is `/` and `~0` is `~`, decoded in that order.
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as SchemaNode)[key];
  }
  return node;
}
