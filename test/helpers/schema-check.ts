import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** A schema of the spec, read by keyword. */
type Schema = Record<string, any>;

/** Finds the schema a `$ref` names. */
type Resolve = (ref: string) => Schema;

/** Checks a value against a named schema of the spec: what disagrees, one line each; empty when it fits. */
export type SchemaCheck = (value: unknown, name: string) => string[];

/**
 * A checker for the contract's OpenAPI extract (test/fixtures/chat-completions.yaml), read
 * afresh; `widen` may first edit its `components.schemas` (where the SDK's types knowingly allow
 * more than the spec).
 */
export function specChecker(widen?: (schemas: Record<string, Schema>) => void): SchemaCheck {
  const spec = parse(readFileSync(new URL('../fixtures/chat-completions.yaml', import.meta.url), 'utf8')) as Schema;
  const schemas: Record<string, Schema> = spec.components.schemas;
  widen?.(schemas);
  const named = (name: string): Schema => {
    if (!schemas[name]) throw new Error(`the spec has no schema ${name}`);
    return schemas[name];
  };
  return (value, name) => checkSchema(value, named(name), '$', (ref) => named(ref.replace('#/components/schemas/', '')));
}

/**
 * What in `value` disagrees with `schema`, one line each (`$.choices[0].finish_reason: ...`):
 * the subset of JSON Schema the spec uses for responses — `$ref`, `type` (a name or a list),
 * OpenAPI 3.0's `nullable`, `enum`, `const`, `properties`, `required`, `additionalProperties`,
 * `items`, `minItems`, `anyOf`, `allOf`, `minimum`, `maximum`. Annotations (`description`,
 * `format`, `deprecated` ...) are not checked. Empty when the value fits.
 */
function checkSchema(value: unknown, schema: Schema, path: string, resolve: Resolve): string[] {
  // OpenAPI 3.0's `nullable` is honoured beside a `$ref` too, as the spec writes `usage`.
  if (value === null && schema.nullable === true) return [];
  if (typeof schema.$ref === 'string') return checkSchema(value, resolve(schema.$ref), path, resolve);
  const problems: string[] = [];
  const type = typeProblem(value, schema);
  if (type) return [`${path}: ${type}`];
  if (Array.isArray(schema.enum) && !schema.enum.some((option: unknown) => option === value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if ('const' in schema && schema.const !== value) problems.push(`${path}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') problems.push(...rangeProblems(value, schema, path));
  if (Array.isArray(value)) problems.push(...arrayProblems(value, schema, path, resolve));
  else if (typeof value === 'object' && value !== null) problems.push(...objectProblems(value as Record<string, unknown>, schema, path, resolve));
  if (Array.isArray(schema.anyOf)) problems.push(...anyOfProblems(value, schema.anyOf, path, resolve));
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) problems.push(...checkSchema(value, part, path, resolve));
  return problems;
}

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function typeProblem(value: unknown, schema: Schema): string | undefined {
  if (schema.type === undefined) return undefined;
  const allowed: string[] = [schema.type].flat();
  const actual = typeOf(value);
  const fits = allowed.some((name) => name === actual || (name === 'integer' && Number.isInteger(value)) || (name === 'number' && actual === 'number'));
  return fits ? undefined : `${JSON.stringify(value)?.slice(0, 60)} is ${actual}, not ${allowed.join(' or ')}`;
}

function rangeProblems(value: number, schema: Schema, path: string): string[] {
  const problems: string[] = [];
  if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: ${value} is below ${schema.minimum}`);
  if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: ${value} is above ${schema.maximum}`);
  return problems;
}

function arrayProblems(value: unknown[], schema: Schema, path: string, resolve: Resolve): string[] {
  const problems: string[] = [];
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) problems.push(`${path}: fewer than ${schema.minItems} items`);
  if (schema.items) value.forEach((item, i) => problems.push(...checkSchema(item, schema.items, `${path}[${i}]`, resolve)));
  return problems;
}

function objectProblems(value: Record<string, unknown>, schema: Schema, path: string, resolve: Resolve): string[] {
  const problems: string[] = [];
  const properties: Schema = schema.properties ?? {};
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (!Object.hasOwn(value, name)) problems.push(`${path}.${name}: required, missing`);
  }
  for (const [name, member] of Object.entries(value)) {
    if (Object.hasOwn(properties, name)) problems.push(...checkSchema(member, properties[name], `${path}.${name}`, resolve));
    else if (schema.additionalProperties === false) problems.push(`${path}.${name}: not allowed`);
    else if (typeof schema.additionalProperties === 'object') problems.push(...checkSchema(member, schema.additionalProperties, `${path}.${name}`, resolve));
  }
  return problems;
}

function anyOfProblems(value: unknown, branches: Schema[], path: string, resolve: Resolve): string[] {
  const results = branches.map((branch) => checkSchema(value, branch, path, resolve));
  if (results.some((problems) => problems.length === 0)) return [];
  // The branch that came closest says what is wrong.
  const closest = results.reduce((best, problems) => (problems.length < best.length ? problems : best));
  return [`${path}: fits no branch of anyOf; closest: ${closest.join('; ')}`];
}
