// What every layer reads from the network, read without trusting it: own properties only (a
// key such as `__proto__` never reaches a prototype), JSON that may not be JSON, an index that
// may be missing. One copy each, below every layer that needs them.

/** A JSON object as the layers read and write it: any key, values unknown until checked. */
export type JSONObject = Record<string, unknown>;

/** A plain object: not null, not an array. */
export function isPlainObject(value: unknown): value is JSONObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only: `__proto__` or `constructor` in a chunk never reads a prototype. */
export function own(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as JSONObject)[name] : undefined;
}

/**
 * Writes `record[name] = value` as a data property of its own: a name from the network or a
 * user's record (`__proto__`) stays data and never reaches a prototype. Plain assignment for
 * every other name: the fold writes every field of every chunk through here, and defineProperty
 * costs many times an assignment (bench (l), the fold, counts it).
 */
export function defineOwn(record: object, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else (record as JSONObject)[name] = value;
}

/** JSON, or `undefined` where the text is not JSON: the caller decides what a non-JSON text means. */
export function tryParse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A choice's `index` as given, or 0 where it is missing: servers that send a single choice may
 * leave it out. Any other value is kept as it came: a Map key, never an array index.
 */
export function choiceIndex(choice: object): unknown {
  const index = own(choice, 'index');
  return index === undefined ? 0 : index;
}

/** Does nothing: for a promise whose rejection nobody is left to hear (`.catch(noop)`). */
export function noop(): void {}
