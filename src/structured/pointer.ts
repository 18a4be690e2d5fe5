/** A schema node or any JSON value, read by keyword. */
export type Node = Record<string, any>;

/** A plain object (not null, not an array). */
export const isObject = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a schema's `type` (a name or a list of names) includes `name`. */
export const hasType = (schema: Node, name: string): boolean => [schema.type].flat().includes(name);

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
    node = (node as Node)[key];
  }
  return node;
}
