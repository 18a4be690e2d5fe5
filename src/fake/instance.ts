import { isObject, resolveRef } from '../structured/pointer.js';
import { AnswerTooLarge, MAX_ANSWER_CHARACTERS } from './size.js';

/** The fewest characters a value adds to the answer's JSON: itself and a comma (`"",` for an empty string). */
const VALUE_COST = 3;

/** What is left of the characters an answer may have (see MAX_ANSWER_CHARACTERS). */
interface Budget {
  left: number;
}

/** Nesting followed before giving up with `null` (a recursive schema that requires itself). */
const MAX_DEPTH = 32;
/** Past this nesting, a nullable schema gets `null`, so optional recursion ends well before MAX_DEPTH. */
const DEEP = MAX_DEPTH / 2;
/** Caps on `minItems` and `minLength`: a request cannot make the fake build something huge. */
const MAX_ITEMS = 100;
const MAX_LENGTH = 1_000;

/** A fixed example of each string `format` strict mode supports. */
const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  duration: 'P1D',
  email: 'user@example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  ipv6: '::1',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

/**
 * A small value that fits `schema`, deterministically: `const`, the first `enum` value, the
 * `default`, the first branch of `anyOf`/`oneOf`; strings empty (or `minLength` long, or an
 * example of their `format`), numbers 0 moved into their bounds, `false`, arrays with
 * `minItems` items, objects with their required properties; local `$ref`s followed. `pattern`
 * is not honoured. Past a nesting of 16 a nullable schema gets `null` (so optional recursion
 * ends); `null` when nothing fits or the schema nests deeper than 32.
 * @throws AnswerTooLarge past MAX_ANSWER_CHARACTERS (`minItems` that multiply at every level).
 */
export function instanceOf(schema: unknown, root: unknown = schema, depth = 0, budget: Budget = { left: MAX_ANSWER_CHARACTERS }): unknown {
  if (!isObject(schema) || depth > MAX_DEPTH) return null;
  // Each value costs at least the comma and brackets around it: a runaway schema stops at the cap.
  spend(budget, VALUE_COST);
  const next = (child: unknown) => instanceOf(child, root, depth + 1, budget);
  if (typeof schema.$ref === 'string') return next(resolveRef(root, schema.$ref));
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches) && branches.length > 0) return next((depth > DEEP && branches.find((branch) => typeOf(branch) === 'null')) || branches[0]);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return merge(schema.allOf.map(next));
  switch (depth > DEEP && [schema.type].flat().includes('null') ? 'null' : typeOf(schema)) {
    case 'string':
      return FORMATS[schema.format] ?? text(bounded(schema.minLength, MAX_LENGTH), budget);
    case 'number':
      return numberIn(schema, false);
    case 'integer':
      return numberIn(schema, true);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: bounded(schema.minItems, MAX_ITEMS) }, () => next(schema.items));
    case 'object':
      return objectOf(schema, next);
    default:
      return null;
  }
}

/** The first type that is not `null`, or what the keywords imply when `type` is absent. */
function typeOf(schema: unknown): unknown {
  if (!isObject(schema)) return undefined;
  const types = [schema.type].flat().filter((type) => type !== undefined);
  if (types.length > 0) return types.find((type) => type !== 'null') ?? 'null';
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function objectOf(schema: Record<string, any>, next: (child: unknown) => unknown): Record<string, unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  const names = required.filter((name: unknown) => typeof name === 'string' && Object.hasOwn(properties, name));
  // fromEntries defines own keys: a property named `__proto__` stays a property.
  return Object.fromEntries(names.map((name: string) => [name, next(properties[name])]));
}

function numberIn(schema: Record<string, any>, integer: boolean): number {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
  let value = 0;
  if (typeof minimum === 'number' && value < minimum) value = minimum;
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) value = exclusiveMinimum + 1;
  if (typeof maximum === 'number' && value > maximum) value = maximum;
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) value = exclusiveMaximum - 1;
  if (typeof multipleOf === 'number' && multipleOf > 0) value = Math.ceil(value / multipleOf) * multipleOf;
  return integer ? Math.ceil(value) : value;
}

/** allOf's parts: objects merged (by own keys, so `__proto__` stays a key), otherwise the first part. */
function merge(parts: unknown[]): unknown {
  return parts.every(isObject) ? Object.fromEntries(parts.flatMap((part) => Object.entries(part))) : parts[0];
}

const bounded = (count: unknown, max: number) => (typeof count === 'number' && count > 0 ? Math.min(Math.floor(count), max) : 0);

/** `length` characters, paid from the budget. */
function text(length: number, budget: Budget): string {
  spend(budget, length);
  return 'a'.repeat(length);
}

function spend(budget: Budget, characters: number): void {
  budget.left -= characters;
  if (budget.left < 0) throw new AnswerTooLarge();
}
