/**
 * Writes `record[name] = value` as a data property of its own: a name from the network or a
 * user's record (`__proto__`) stays data and never reaches a prototype. Plain assignment for
 * every other name, since defineProperty costs many times an assignment on this hot path.
 */
export function defineOwn(record: object, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else (record as Record<string, unknown>)[name] = value;
}
